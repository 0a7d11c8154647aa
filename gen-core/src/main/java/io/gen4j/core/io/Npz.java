package io.gen4j.core.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.gen4j.core.data.DatasetFormatException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and writes named arrays in NumPy's {@code .npz} format: a zip archive holding one {@code
 * <name>.npy} per array ({@code np.savez} stores them, {@code np.savez_compressed} deflates them;
 * both are read).
 *
 * <p>Arrays keep their names and the archive's order. Entries that are not {@code .npy} files are
 * skipped with a warning, as {@code np.load} would only fail on accessing them. Errors name the file
 * and the entry ({@link DatasetFormatException}); asking for a missing array lists the names there
 * are.
 *
 * <p>Files written here are reproducible: the same arrays give the same bytes (every entry is dated
 * 1980-01-01, the zip epoch).
 *
 * <pre>{@code
 * Map<String, NumpyArray> all = Npz.read(Path.of("data.npz"));
 * NumpyArray x = Npz.readArray(Path.of("data.npz"), "x");
 * NDList named = Npz.read(Path.of("stats.npz"), manager);       // named.get("mu")
 * Npz.write(Path.of("out.npz"), Map.of("samples", NumpyArray.of(samples)));
 * }</pre>
 */
public final class Npz {

    private static final Logger LOG = LoggerFactory.getLogger(Npz.class);
    private static final String SUFFIX = ".npy";
    private static final LocalDateTime ZIP_EPOCH = LocalDateTime.of(1980, 1, 1, 0, 0);

    private Npz() {}

    /**
     * Reads every array.
     *
     * @param file the {@code .npz}
     * @return the arrays by name, in archive order
     * @throws DatasetFormatException when the file is not a zip archive or an entry is not a
     *     supported {@code .npy} array
     * @throws IOException when the file cannot be read
     */
    public static Map<String, NumpyArray> read(Path file) throws IOException {
        Map<String, NumpyArray> out = new LinkedHashMap<>();
        try (ZipFile zip = open(file)) {
            for (ZipEntry entry : arrayEntries(zip, file)) {
                out.put(arrayName(entry), readEntry(zip, entry, file));
            }
        }
        LOG.debug("read {}: {}", file, out.keySet());
        return out;
    }

    /**
     * Reads every array into NDArrays named after their entries ({@link NDList#get(String)} finds
     * them), in archive order.
     *
     * @param file the {@code .npz}
     * @param manager the manager that will own the arrays
     * @return the named arrays
     * @throws IOException as {@link #read(Path)}
     */
    public static NDList read(Path file, NDManager manager) throws IOException {
        NDList list = new NDList();
        for (Map.Entry<String, NumpyArray> e : read(file).entrySet()) {
            NDArray array = e.getValue().toNDArray(manager);
            array.setName(e.getKey());
            list.add(array);
        }
        return list;
    }

    /**
     * The names of the arrays, read from the archive's directory only.
     *
     * @param file the {@code .npz}
     * @return the names, in archive order
     * @throws IOException when the file is not a readable zip archive
     */
    public static List<String> names(Path file) throws IOException {
        try (ZipFile zip = open(file)) {
            List<String> names = new ArrayList<>();
            for (ZipEntry entry : arrayEntries(zip, file)) {
                names.add(arrayName(entry));
            }
            return names;
        }
    }

    /**
     * Reads one array without decoding the others.
     *
     * @param file the {@code .npz}
     * @param name the array's name (its entry without {@code .npy})
     * @return the array
     * @throws DatasetFormatException when there is no such array (the message lists the names) or
     *     its entry is invalid
     * @throws IOException when the file cannot be read
     */
    public static NumpyArray readArray(Path file, String name) throws IOException {
        try (ZipFile zip = open(file)) {
            List<ZipEntry> entries = arrayEntries(zip, file);
            for (ZipEntry entry : entries) {
                if (arrayName(entry).equals(name)) {
                    return readEntry(zip, entry, file);
                }
            }
            throw new DatasetFormatException(
                    file, "has no array '" + name + "'; it holds " + namesOf(entries));
        }
    }

    /**
     * Reads the archive's only array, whatever its name ({@code arr_0} of {@code np.savez(f, a)}).
     *
     * @param file the {@code .npz}
     * @return the array
     * @throws DatasetFormatException when the archive holds no array or several (the message lists
     *     them: pick one with {@link #readArray})
     * @throws IOException when the file cannot be read
     */
    public static NumpyArray readSingle(Path file) throws IOException {
        try (ZipFile zip = open(file)) {
            List<ZipEntry> entries = arrayEntries(zip, file);
            if (entries.size() != 1) {
                throw new DatasetFormatException(
                        file,
                        entries.isEmpty()
                                ? "holds no .npy array"
                                : "holds " + entries.size() + " arrays " + namesOf(entries)
                                        + "; name the one to read");
            }
            return readEntry(zip, entries.get(0), file);
        }
    }

    /**
     * Writes arrays uncompressed, like {@code np.savez}.
     *
     * @param file the destination (replaced if it exists)
     * @param arrays the arrays by name (iteration order is archive order)
     * @throws IOException when writing fails
     */
    public static void write(Path file, Map<String, NumpyArray> arrays) throws IOException {
        write(file, arrays, false);
    }

    /**
     * Writes arrays deflated, like {@code np.savez_compressed}.
     *
     * @param file the destination (replaced if it exists)
     * @param arrays the arrays by name (iteration order is archive order)
     * @throws IOException when writing fails
     */
    public static void writeCompressed(Path file, Map<String, NumpyArray> arrays)
            throws IOException {
        write(file, arrays, true);
    }

    /**
     * Writes NDArrays uncompressed under their names ({@link NDArray#getName()}); the k-th unnamed
     * array gets {@code np.savez}'s positional name {@code arr_k} (DJL's encoder does the same).
     *
     * @param file the destination (replaced if it exists)
     * @param arrays the arrays
     * @throws IllegalArgumentException when two arrays end up with the same name
     * @throws IOException when writing fails
     */
    public static void write(Path file, NDList arrays) throws IOException {
        Map<String, NumpyArray> named = new LinkedHashMap<>();
        int unnamed = 0;
        for (NDArray a : arrays) {
            String name = a.getName() == null || a.getName().isEmpty()
                    ? "arr_" + unnamed++
                    : a.getName();
            if (named.put(name, NumpyArray.of(a)) != null) {
                throw new IllegalArgumentException("two arrays are named '" + name + "'");
            }
        }
        write(file, named, false);
    }

    private static void write(Path file, Map<String, NumpyArray> arrays, boolean deflate)
            throws IOException {
        try (ZipOutputStream zip =
                new ZipOutputStream(
                        new BufferedOutputStream(Files.newOutputStream(file), 1 << 16))) {
            for (Map.Entry<String, NumpyArray> e : arrays.entrySet()) {
                String name = e.getKey();
                if (name == null || name.isEmpty()) {
                    throw new IllegalArgumentException("array names must not be empty");
                }
                NumpyArray array = e.getValue();
                byte[] header =
                        new NpyHeader(array.type(), ByteOrder.LITTLE_ENDIAN, array.shape()).encode();
                byte[] data = array.littleEndianBytes();
                ZipEntry entry = new ZipEntry(name + SUFFIX);
                entry.setTimeLocal(ZIP_EPOCH);
                if (deflate) {
                    entry.setMethod(ZipEntry.DEFLATED);
                } else {
                    CRC32 crc = new CRC32();
                    crc.update(header);
                    crc.update(data);
                    entry.setMethod(ZipEntry.STORED);
                    entry.setSize((long) header.length + data.length);
                    entry.setCompressedSize((long) header.length + data.length);
                    entry.setCrc(crc.getValue());
                }
                zip.putNextEntry(entry);
                zip.write(header);
                zip.write(data);
                zip.closeEntry();
            }
        }
        LOG.debug("wrote {}: {}", file, arrays.keySet());
    }

    private static ZipFile open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "not a regular file");
        }
        try {
            return new ZipFile(file.toFile());
        } catch (ZipException e) {
            byte[] head;
            try (InputStream in = Files.newInputStream(file)) {
                head = in.readNBytes(NpyHeader.MAGIC.length);
            }
            boolean npy = java.util.Arrays.equals(head, NpyHeader.MAGIC);
            throw new DatasetFormatException(
                    file,
                    "not a .npz (zip archive)"
                            + (npy ? ": it is a single .npy array, read it with Npy.read" : "")
                            + " (" + e.getMessage() + ")",
                    e);
        }
    }

    private static List<ZipEntry> arrayEntries(ZipFile zip, Path file) {
        List<ZipEntry> out = new ArrayList<>();
        for (Enumeration<? extends ZipEntry> it = zip.entries(); it.hasMoreElements(); ) {
            ZipEntry entry = it.nextElement();
            if (entry.isDirectory()) {
                continue;
            }
            if (!entry.getName().endsWith(SUFFIX)) {
                LOG.warn("{}: skipping entry '{}', not a .npy array", file, entry.getName());
                continue;
            }
            out.add(entry);
        }
        return out;
    }

    private static NumpyArray readEntry(ZipFile zip, ZipEntry entry, Path file) throws IOException {
        String where = "entry '" + entry.getName() + "': ";
        try (InputStream in = new BufferedInputStream(zip.getInputStream(entry), 1 << 16)) {
            NumpyArray array = Npy.decode(in, file, where);
            if (in.read() != -1) {
                throw new DatasetFormatException(
                        file, where + "wrong length: bytes follow the data of the " + array);
            }
            return array;
        } catch (ZipException | java.io.EOFException e) {
            throw new DatasetFormatException(
                    file, where + "corrupt zip data (" + e.getMessage() + ")", e);
        }
    }

    private static String arrayName(ZipEntry entry) {
        String n = entry.getName();
        return n.substring(0, n.length() - SUFFIX.length());
    }

    private static List<String> namesOf(List<ZipEntry> entries) {
        List<String> names = new ArrayList<>();
        for (ZipEntry e : entries) {
            names.add(arrayName(e));
        }
        return Collections.unmodifiableList(names);
    }
}
