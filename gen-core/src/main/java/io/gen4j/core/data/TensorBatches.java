package io.gen4j.core.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Objects;

/**
 * A seeded, epoch-reshuffling {@link BatchSource} over float examples held in memory: points of a
 * 2-D toy set (shape (2)), audio clips (shape (1, L)), any fixed-shape tensor, with optional int
 * labels.
 *
 * <p>Each batch is an {@link NDList} of the data, float32 (B, ...example shape), followed by the
 * labels, int32 (B), when there are labels. Shuffling is the one of {@link BatchOrder}, shared with
 * {@link ShuffledBatches}: {@code seek(p)} then {@code next()} is the {@code p}-th batch of a fresh
 * stream.
 */
public final class TensorBatches implements BatchSource {

    private final float[] data;
    private final long[] exampleShape;
    private final int exampleSize;
    private final int[] labels;
    private final BatchOrder order;
    private long position;

    /**
     * Creates the source at position 0. The arrays are taken as they are (not copied).
     *
     * @param data N examples, each of {@code prod(exampleShape)} floats, concatenated
     * @param exampleShape the shape of one example, e.g. {@code {2}} or {@code {1, 16000}}
     * @param labels N labels, or {@code null}
     * @param order the batch order, sized for N examples
     */
    public TensorBatches(float[] data, long[] exampleShape, int[] labels, BatchOrder order) {
        this.data = Objects.requireNonNull(data, "data");
        this.order = Objects.requireNonNull(order, "order");
        this.exampleShape = exampleShape.clone();
        long per = 1;
        for (long d : exampleShape) {
            if (d < 1) {
                throw new IllegalArgumentException(
                        "exampleShape dimensions must be >= 1, got " + Arrays.toString(exampleShape));
            }
            per *= d;
        }
        if ((long) order.size() * per != data.length) {
            throw new IllegalArgumentException(
                    "data must hold N * prod(exampleShape) = "
                            + order.size()
                            + " * "
                            + per
                            + " floats, got "
                            + data.length);
        }
        if (labels != null && labels.length != order.size()) {
            throw new IllegalArgumentException(
                    "labels must have N = " + order.size() + " entries, got " + labels.length);
        }
        this.exampleSize = (int) per;
        this.labels = labels;
    }

    /**
     * A source over the rows of a matrix (N points of dimension D, e.g. a 2-D toy sample).
     *
     * @param rows N rows of equal length D
     * @param batchSize examples per batch
     * @param seed the shuffling seed
     * @param dropLast whether the last, smaller batch of each epoch is skipped
     * @return the source, batches of shape (B, D)
     */
    public static TensorBatches ofRows(double[][] rows, int batchSize, long seed, boolean dropLast) {
        if (rows.length == 0) {
            throw new IllegalArgumentException("rows must not be empty");
        }
        int d = rows[0].length;
        float[] flat = new float[rows.length * d];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != d) {
                throw new IllegalArgumentException(
                        "row " + i + " has length " + rows[i].length + ", expected " + d);
            }
            for (int j = 0; j < d; j++) {
                flat[i * d + j] = (float) rows[i][j];
            }
        }
        return new TensorBatches(
                flat, new long[] {d}, null, new BatchOrder(rows.length, batchSize, seed, dropLast));
    }

    /** @return the batch order */
    public BatchOrder order() {
        return order;
    }

    /** @return a copy of the shape of one example */
    public long[] exampleShape() {
        return exampleShape.clone();
    }

    /** @return whether batches carry labels */
    public boolean hasLabels() {
        return labels != null;
    }

    @Override
    public NDList next(NDManager manager) {
        int[] indices = order.indices(position);
        position++;
        float[] buf = new float[indices.length * exampleSize];
        for (int k = 0; k < indices.length; k++) {
            System.arraycopy(data, indices[k] * exampleSize, buf, k * exampleSize, exampleSize);
        }
        long[] dims = new long[exampleShape.length + 1];
        dims[0] = indices.length;
        System.arraycopy(exampleShape, 0, dims, 1, exampleShape.length);
        NDArray x = manager.create(buf, new Shape(dims));
        if (labels == null) {
            return new NDList(x);
        }
        int[] l = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            l[k] = labels[indices[k]];
        }
        return new NDList(x, manager.create(l, new Shape(l.length)));
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public void seek(long position) {
        if (position < 0) {
            throw new IllegalArgumentException("position must be >= 0, got " + position);
        }
        this.position = position;
    }
}
