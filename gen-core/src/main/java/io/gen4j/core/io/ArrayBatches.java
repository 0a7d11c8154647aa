package io.gen4j.core.io;

import io.gen4j.core.data.BatchOrder;
import io.gen4j.core.data.BatchSource;
import io.gen4j.core.data.DatasetFormatException;
import io.gen4j.core.data.TensorBatches;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Training batches from your own arrays: a seeded, epoch-reshuffling, exactly seekable {@link
 * BatchSource} ({@link TensorBatches}) over the rows of an array read from a {@code .npy}, {@code
 * .npz} or {@code .csv} file, with optional integer labels.
 *
 * <pre>{@code
 * BatchSource points = ArrayBatches.read(Path.of("points.npy"), 256, 42);      // (256, 2) float32
 * BatchSource labelled = ArrayBatches.read(Path.of("train.npz"), "x", "y", 128, 42, true);
 * }</pre>
 *
 * <p>Each batch is float32 (B, ...row shape) whatever the file's type (float64, integers and uint8
 * values are converted, not scaled: for 8-bit images either scale them yourself or build an {@link
 * io.gen4j.core.data.ImageDataset} and use its {@link io.gen4j.core.data.PixelRange}), followed by
 * int32 labels (B) when there are labels. Shuffling is {@link BatchOrder}'s: epoch {@code e} is a
 * permutation drawn from {@code new Random(seed + e)}, so {@code seek(p)} then {@code next()} is
 * the {@code p}-th batch of a fresh source, which is what a checkpoint resume needs. The rows are
 * held in Java memory as floats (4 bytes per value).
 */
public final class ArrayBatches {

    private ArrayBatches() {}

    /**
     * The batches of an array file, without labels, keeping the last smaller batch of each epoch.
     * The file type comes from the extension (see {@link ArrayFiles#read(Path)}); a {@code .npz}
     * must hold a single array.
     *
     * @param file a {@code .npy}, {@code .npz} or {@code .csv} file of shape (N, ...)
     * @param batchSize rows per batch, at least 1
     * @param seed the shuffling seed
     * @return the batch source, at position 0
     * @throws IOException when the file cannot be read or is invalid
     */
    public static TensorBatches read(Path file, int batchSize, long seed) throws IOException {
        return of(ArrayFiles.read(file), null, batchSize, seed, false);
    }

    /**
     * The batches of named arrays of a {@code .npz}: data and, optionally, labels.
     *
     * @param npz the {@code .npz}
     * @param dataName the data array, shape (N, ...)
     * @param labelsName the labels array, integer, shape (N); or {@code null} for none
     * @param batchSize rows per batch, at least 1
     * @param seed the shuffling seed
     * @param dropLast whether the last, smaller batch of each epoch is skipped
     * @return the batch source, at position 0
     * @throws IOException when the file cannot be read, lacks an array or the arrays do not fit
     */
    public static TensorBatches read(
            Path npz, String dataName, String labelsName, int batchSize, long seed, boolean dropLast)
            throws IOException {
        Objects.requireNonNull(dataName, "dataName");
        NumpyArray data = Npz.readArray(npz, dataName);
        NumpyArray labels = labelsName == null ? null : Npz.readArray(npz, labelsName);
        try {
            return of(data, labels, batchSize, seed, dropLast);
        } catch (IllegalArgumentException e) {
            throw new DatasetFormatException(npz, e.getMessage(), e);
        }
    }

    /**
     * The batches of arrays already in memory.
     *
     * @param data shape (N, ...), N at least 1, any {@link NumpyType}
     * @param labels integer labels of shape (N), or {@code null}
     * @param batchSize rows per batch, at least 1 (at most N with drop-last)
     * @param seed the shuffling seed
     * @param dropLast whether the last, smaller batch of each epoch is skipped
     * @return the batch source, at position 0
     * @throws IllegalArgumentException when the shapes do not fit or the labels are not integers
     */
    public static TensorBatches of(
            NumpyArray data, NumpyArray labels, int batchSize, long seed, boolean dropLast) {
        Objects.requireNonNull(data, "data");
        if (data.shape().dimension() < 1 || data.shape().get(0) < 1) {
            throw new IllegalArgumentException(
                    "data must have shape (N, ...) with N >= 1, got " + data.shape());
        }
        long n = data.shape().get(0);
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("at most 2^31 - 1 rows, got " + n);
        }
        int[] labelArray = null;
        if (labels != null) {
            if (labels.shape().dimension() != 1 || labels.shape().get(0) != n) {
                throw new IllegalArgumentException(
                        "labels must have shape (" + n + "), got " + labels.shape());
            }
            if (labels.type().isFloating()) {
                throw new IllegalArgumentException(
                        "labels must be integers, got " + labels
                                + "; convert with asType(NumpyType.INT32)");
            }
            labelArray = labels.toIntArray();
        }
        return new TensorBatches(
                data.toFloatArray(),
                data.shape().slice(1).getShape(),
                labelArray,
                new BatchOrder((int) n, batchSize, seed, dropLast));
    }
}
