package io.gen4j.core.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.gen4j.core.data.DatasetFormatException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and writes single arrays in NumPy's {@code .npy} format ({@code np.save} / {@code np.load}).
 *
 * <p>Reads format versions 1.0, 2.0 and 3.0, little- and big-endian data (big-endian is swapped on
 * reading), C order, and the types of {@link NumpyType}. Writes exactly the bytes {@code np.save}
 * writes for the same little-endian array: version 1.0 header, keys sorted, padded to 64 bytes.
 *
 * <p>Every problem raises a {@link DatasetFormatException} naming the file: a bad magic string, an
 * unknown version, a malformed header, Fortran order, object, structured or unsupported dtypes,
 * data shorter or longer than the header announces.
 *
 * <p>Why not DJL's {@code NDList.decode}, which also reads {@code .npy}? Measured on DJL 0.36: it
 * returns big-endian data unswapped (garbage values, no error), and an int16 array makes the
 * PyTorch engine abort the JVM; its errors do not name the file. Its {@code NDList.encode(...,
 * NPZ)} writes correct files but cannot write a single {@code .npy}.
 *
 * <pre>{@code
 * NumpyArray points = Npy.read(Path.of("points.npy"));          // engine-free
 * NDArray x = Npy.read(Path.of("points.npy"), manager);          // straight to an NDArray
 * Npy.write(Path.of("samples.npy"), samples);                    // from an NDArray
 * }</pre>
 */
public final class Npy {

    private static final Logger LOG = LoggerFactory.getLogger(Npy.class);

    private Npy() {}

    /**
     * Reads a {@code .npy} file into Java memory.
     *
     * @param file the file
     * @return the array, data in little-endian C order
     * @throws DatasetFormatException when the content is not a supported {@code .npy} array
     * @throws IOException when the file cannot be read
     */
    public static NumpyArray read(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            NumpyArray array = decode(in, file, "");
            if (in.read() != -1) {
                throw new DatasetFormatException(
                        file,
                        "wrong length: bytes follow the "
                                + array.shape().size() * array.type().itemSize()
                                + " data bytes of the "
                                + array
                                + " the header announces");
            }
            LOG.debug("read {}: {}", file, array);
            return array;
        }
    }

    /**
     * Reads a {@code .npy} file into an NDArray of the file's type ({@link NumpyType#dataType()}:
     * int16 becomes int32).
     *
     * @param file the file
     * @param manager the manager that will own the array
     * @return the array
     * @throws DatasetFormatException when the content is not a supported {@code .npy} array
     * @throws IOException when the file cannot be read
     */
    public static NDArray read(Path file, NDManager manager) throws IOException {
        return read(file).toNDArray(manager);
    }

    /**
     * Writes an array as {@code np.save} would.
     *
     * @param file the destination (replaced if it exists)
     * @param array the array
     * @throws IOException when writing fails
     */
    public static void write(Path file, NumpyArray array) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            encode(array, out);
        }
        LOG.debug("wrote {}: {}", file, array);
    }

    /**
     * Writes an NDArray, keeping its type (convert first with {@code toType} to save float32).
     *
     * @param file the destination (replaced if it exists)
     * @param array the array, of a type {@link NumpyType#of} accepts
     * @throws IOException when writing fails
     */
    public static void write(Path file, NDArray array) throws IOException {
        write(file, NumpyArray.of(array));
    }

    /**
     * Writes header and data to a stream.
     *
     * @param array the array
     * @param out the destination, left open
     * @throws IOException when writing fails
     */
    static void encode(NumpyArray array, OutputStream out) throws IOException {
        out.write(new NpyHeader(array.type(), ByteOrder.LITTLE_ENDIAN, array.shape()).encode());
        out.write(array.littleEndianBytes());
    }

    /**
     * Reads header and data from a stream; the caller checks what follows.
     *
     * @param in the stream at the magic string
     * @param file the file, for error messages
     * @param where the entry inside the file, for error messages ({@code ""} for a plain file)
     * @return the array
     * @throws IOException when the content is invalid or reading fails
     */
    static NumpyArray decode(InputStream in, Path file, String where) throws IOException {
        NpyHeader header = NpyHeader.read(in, file, where);
        int length = (int) header.dataLength();
        byte[] data = in.readNBytes(length);
        if (data.length < length) {
            throw new DatasetFormatException(
                    file,
                    where + "truncated: the header announces "
                            + header.type().name().toLowerCase(java.util.Locale.ROOT)
                            + " "
                            + header.shape()
                            + " = "
                            + length
                            + " data bytes but only "
                            + data.length
                            + " follow");
        }
        if (header.byteOrder() == ByteOrder.BIG_ENDIAN) {
            NumpyArray.swapBytes(data, header.type().itemSize());
        }
        return new NumpyArray(header.type(), header.shape(), data);
    }
}
