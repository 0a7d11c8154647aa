package io.gen4j.core.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.gen4j.core.data.DatasetFormatException;
import io.gen4j.core.data.PixelRange;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Reads and writes one array in the format its file name says: {@code .npy} ({@link Npy}), {@code
 * .npz} ({@link Npz}: its only array; {@link Npz#readArray} reads a named one) or {@code .csv}
 * ({@link Csv}, float64 (N, D)). The entry point for users' own data and for a model's outputs:
 *
 * <pre>{@code
 * NDArray points = ArrayFiles.read(Path.of("points.npy"), manager);
 * ArrayFiles.writeSamples(Path.of("samples.npy"), samples);                          // float32
 * ArrayFiles.writeImages(Path.of("images.npz"), images, PixelRange.MINUS_ONE_ONE);   // uint8
 * ArrayFiles.writeLikelihoods(Path.of("log-likelihoods.csv"), logLikelihoods);       // double[]
 * }</pre>
 *
 * <p>A {@code .npz} written here holds the array under {@code np.savez}'s positional name {@code
 * arr_0}. For several named arrays use {@link Npz} directly; for N samples that should not be in
 * memory at once, {@link NpyWriter}.
 */
public final class ArrayFiles {

    /** The name of the array in a {@code .npz} written by {@link #write(Path, NumpyArray)}. */
    public static final String NPZ_ARRAY_NAME = "arr_0";

    /** The header of a log-likelihood {@code .csv} written by {@link #writeLikelihoods}. */
    public static final String LOG_LIKELIHOOD_HEADER = "log_likelihood";

    private static final String UNKNOWN =
            "unknown array file type: expected a name ending in .npy, .npz or .csv";

    private ArrayFiles() {}

    /** The formats, by file extension. */
    private enum Format {
        NPY,
        NPZ,
        CSV
    }

    /**
     * Reads the array of a {@code .npy}, the only array of a {@code .npz}, or a {@code .csv} table.
     *
     * @param file the file
     * @return the array
     * @throws DatasetFormatException when the extension is none of these or the content is invalid
     * @throws IOException when the file cannot be read
     */
    public static NumpyArray read(Path file) throws IOException {
        Format format = format(file);
        if (format == null) {
            throw new DatasetFormatException(file, UNKNOWN);
        }
        return switch (format) {
            case NPY -> Npy.read(file);
            case NPZ -> Npz.readSingle(file);
            case CSV -> Csv.read(file);
        };
    }

    /**
     * Reads an array like {@link #read(Path)} into an NDArray of the file's type (a {@code .csv}
     * gives float64; convert with {@code toType} when the model computes in float32).
     *
     * @param file the file
     * @param manager the manager that will own the array
     * @return the array
     * @throws IOException as {@link #read(Path)}
     */
    public static NDArray read(Path file, NDManager manager) throws IOException {
        return read(file).toNDArray(manager);
    }

    /**
     * Writes an array in the format of the file's extension.
     *
     * @param file the destination (replaced if it exists)
     * @param array the array; for {@code .csv}, of shape (N) or (N, D)
     * @throws IllegalArgumentException when the extension is none of .npy, .npz, .csv
     * @throws IOException when writing fails
     */
    public static void write(Path file, NumpyArray array) throws IOException {
        Format format = format(file);
        if (format == null) {
            throw new IllegalArgumentException(file + ": " + UNKNOWN);
        }
        switch (format) {
            case NPY -> Npy.write(file, array);
            case NPZ -> Npz.write(file, Map.of(NPZ_ARRAY_NAME, array));
            case CSV -> Csv.write(file, array);
        }
    }

    /**
     * Writes an NDArray, keeping its type, in the format of the file's extension.
     *
     * @param file the destination (replaced if it exists)
     * @param array the array
     * @throws IllegalArgumentException when the extension is none of .npy, .npz, .csv
     * @throws IOException when writing fails
     */
    public static void write(Path file, NDArray array) throws IOException {
        write(file, NumpyArray.of(array));
    }

    /**
     * Writes samples as float32 (converted when the model computes in another float type):
     * {@code .npy}, {@code .npz} or, for points of shape (N, D), {@code .csv}.
     *
     * @param file the destination (replaced if it exists)
     * @param samples shape (N, ...)
     * @throws IOException when writing fails
     */
    public static void writeSamples(Path file, NDArray samples) throws IOException {
        write(file, NumpyArray.of(samples).asType(NumpyType.FLOAT32));
    }

    /**
     * Writes float images as 8-bit pixels ({@link NumpyArray#toPixels(PixelRange)}: rounded,
     * clamped), the form image tools and {@code gen4j eval} read.
     *
     * @param file a {@code .npy} or {@code .npz} destination (replaced if it exists)
     * @param images shape (N, C, H, W) or any other
     * @param range the range the floats are in, e.g. {@link PixelRange#MINUS_ONE_ONE}
     * @throws IOException when writing fails
     */
    public static void writeImages(Path file, NDArray images, PixelRange range) throws IOException {
        write(file, NumpyArray.of(images).toPixels(range));
    }

    /**
     * Writes per-example log-likelihoods (nats) as float64 (N): {@code .npy}, {@code .npz}, or a
     * {@code .csv} with the header {@code log_likelihood}.
     *
     * @param file the destination (replaced if it exists)
     * @param logLikelihoods one value per example, e.g. from {@link
     *     io.gen4j.core.model.ChunkedLikelihoodModel#logLikelihoods}
     * @throws IOException when writing fails
     */
    public static void writeLikelihoods(Path file, double[] logLikelihoods) throws IOException {
        NumpyArray values = NumpyArray.of(logLikelihoods);
        if (format(file) == Format.CSV) {
            Csv.write(file, values, LOG_LIKELIHOOD_HEADER);
        } else {
            write(file, values);
        }
    }

    private static Format format(Path file) {
        Path name = file.getFileName();
        String lower = name == null ? "" : name.toString().toLowerCase(Locale.ROOT);
        if (lower.endsWith(".npy")) {
            return Format.NPY;
        }
        if (lower.endsWith(".npz")) {
            return Format.NPZ;
        }
        if (lower.endsWith(".csv")) {
            return Format.CSV;
        }
        return null;
    }
}
