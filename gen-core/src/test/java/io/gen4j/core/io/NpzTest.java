package io.gen4j.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.data.DatasetFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Npz} against archives written by real NumPy and by DJL, round trips and corrupt files. */
class NpzTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"named-stored.npz", "named-deflated.npz"})
    void readsNamedArraysInArchiveOrder(String name) throws IOException {
        Path file = NumpyFixtures.file(name);
        assertEquals(List.of("x.npy", "y.npy"), NumpyFixtures.npzEntries(name));
        Map<String, NumpyArray> arrays = Npz.read(file);
        assertEquals(List.of("x", "y"), new ArrayList<>(arrays.keySet()));
        assertEquals(NumpyFixtures.expected("npz:x"), arrays.get("x"));
        assertEquals(NumpyFixtures.expected("npz:y"), arrays.get("y"));
        assertEquals(List.of("x", "y"), Npz.names(file));
        assertEquals(NumpyFixtures.expected("npz:y"), Npz.readArray(file, "y"));
    }

    @Test
    void fixturesCoverStoredAndDeflatedEntries() {
        assertEquals(List.of(0), NumpyFixtures.npzCompression("named-stored.npz"));
        assertEquals(List.of(8), NumpyFixtures.npzCompression("named-deflated.npz"));
    }

    @Test
    void positionalSingleAndBigEndianArchives() throws IOException {
        assertEquals(List.of("arr_0", "arr_1"), Npz.names(NumpyFixtures.file("positional.npz")));
        assertEquals(NumpyFixtures.expected("npz:points"), Npz.readSingle(NumpyFixtures.file("single.npz")));
        NumpyArray z = Npz.readSingle(NumpyFixtures.file("big-endian.npz"));
        assertEquals(NumpyFixtures.expected("npz:z"), z);
        assertArrayEquals(new double[] {1.25, -2.0}, z.toDoubleArray());
    }

    @Test
    void readsIntoNamedNDArrays() throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList list = Npz.read(NumpyFixtures.file("named-deflated.npz"), manager);
            assertEquals(2, list.size());
            NDArray y = list.get("y");
            assertEquals(DataType.INT64, y.getDataType());
            assertArrayEquals(new long[] {2, 0, 1}, y.toLongArray());
            assertEquals("x", list.get(0).getName());
        }
    }

    @Test
    void missingOrAmbiguousArraysListTheNames() {
        Path file = NumpyFixtures.file("named-stored.npz");
        DatasetFormatException missing =
                assertThrows(DatasetFormatException.class, () -> Npz.readArray(file, "z"));
        assertTrue(missing.getMessage().contains("has no array 'z'; it holds [x, y]"), missing.getMessage());
        DatasetFormatException several =
                assertThrows(DatasetFormatException.class, () -> Npz.readSingle(file));
        assertTrue(several.getMessage().contains("holds 2 arrays [x, y]"), several.getMessage());
    }

    @Test
    void roundTripsStoredAndDeflatedReproducibly() throws IOException {
        Map<String, NumpyArray> arrays = new LinkedHashMap<>();
        Random random = new Random(5);
        for (NumpyType type : NumpyType.values()) {
            arrays.put(type.name().toLowerCase(), NpyTest.randomArray(type, new Shape(4, 3), random));
        }
        arrays.put("scalar", NumpyArray.of(new double[] {2.5}, new Shape()));
        arrays.put("empty", NumpyArray.of(new float[0], new Shape(0, 7)));

        Path stored = dir.resolve("stored.npz");
        Path deflated = dir.resolve("deflated.npz");
        Npz.write(stored, arrays);
        Npz.writeCompressed(deflated, arrays);
        assertEquals(arrays, Npz.read(stored));
        assertEquals(arrays, Npz.read(deflated));
        assertEquals(List.of(ZipEntry.STORED), methods(stored));
        assertEquals(List.of(ZipEntry.DEFLATED), methods(deflated));

        Path again = dir.resolve("again.npz");
        Npz.write(again, arrays);
        assertArrayEquals(Files.readAllBytes(stored), Files.readAllBytes(again), "same arrays, same bytes");
    }

    @Test
    void entriesAreTheBytesNpSaveWrites() throws IOException {
        Path file = dir.resolve("points.npz");
        Npz.write(file, Map.of("points", Npz.readSingle(NumpyFixtures.file("single.npz"))));
        try (ZipFile zip = new ZipFile(file.toFile());
                InputStream in = zip.getInputStream(zip.getEntry("points.npy"))) {
            assertArrayEquals(Files.readAllBytes(NumpyFixtures.file("points-f8.npy")), in.readAllBytes());
        }
    }

    @Test
    void interoperatesWithDjlsEncoderAndDecoder() throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray pixels = manager.create(new byte[] {0, (byte) 200, (byte) 255, 7}, new Shape(2, 2))
                    .toType(DataType.UINT8, false);
            pixels.setName("img");
            NDArray floats = manager.create(new float[] {1.5f, -2f, 3.25f});
            Path djl = dir.resolve("djl.npz");
            try (OutputStream out = Files.newOutputStream(djl)) {
                new NDList(pixels, floats).encode(out, NDList.Encoding.NPZ);
            }
            Map<String, NumpyArray> read = Npz.read(djl);
            assertEquals(List.of("img", "arr_0"), new ArrayList<>(read.keySet()));
            assertEquals(NumpyArray.of(pixels), read.get("img"));
            assertEquals(NumpyArray.of(floats), read.get("arr_0"));

            Path ours = dir.resolve("ours.npz");
            Npz.write(ours, new NDList(pixels, floats));
            assertEquals(List.of("img", "arr_0"), Npz.names(ours));
            try (InputStream in = Files.newInputStream(ours)) {
                NDList decoded = NDList.decode(manager, in);
                assertEquals("img", decoded.get(0).getName());
                assertArrayEquals(pixels.toByteArray(), decoded.get(0).toByteArray());
                assertArrayEquals(floats.toFloatArray(), decoded.get(1).toFloatArray());
            }
        }
    }

    @Test
    void duplicateNamesAreRefused() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray a = manager.create(1f);
            NDArray b = manager.create(2f);
            a.setName("arr_0");
            assertThrows(IllegalArgumentException.class,
                    () -> Npz.write(dir.resolve("dup.npz"), new NDList(a, b)));
            assertNull(b.getName(), "writing does not rename the caller's arrays");
        }
    }

    @Test
    void corruptArchivesRaiseClearErrors() throws IOException {
        Path npy = NumpyFixtures.file("float32-le.npy");
        DatasetFormatException notZip = assertThrows(DatasetFormatException.class, () -> Npz.read(npy));
        assertTrue(notZip.getMessage().startsWith(npy + ": not a .npz"), notZip.getMessage());
        assertTrue(notZip.getMessage().contains("single .npy array"), notZip.getMessage());

        byte[] good = Files.readAllBytes(NumpyFixtures.file("named-deflated.npz"));
        Path cut = dir.resolve("cut.npz");
        Files.write(cut, Arrays.copyOf(good, good.length / 2));
        DatasetFormatException truncated = assertThrows(DatasetFormatException.class, () -> Npz.read(cut));
        assertTrue(truncated.getMessage().startsWith(cut + ": "), truncated.getMessage());

        Path badEntry = dir.resolve("bad-entry.npz");
        Npz.write(badEntry, Map.of("x", NumpyArray.of(new float[] {1, 2}, new Shape(2))));
        byte[] bytes = Files.readAllBytes(badEntry);
        int at = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("NUMPY");
        bytes[at] = 'X';
        Files.write(badEntry, bytes);
        DatasetFormatException entry = assertThrows(DatasetFormatException.class, () -> Npz.read(badEntry));
        assertTrue(entry.getMessage().contains("entry 'x.npy': not a .npy array"), entry.getMessage());
    }

    private static List<Integer> methods(Path file) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            return zip.stream().map(ZipEntry::getMethod).distinct().toList();
        }
    }
}
