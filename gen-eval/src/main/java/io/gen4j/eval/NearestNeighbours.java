package io.gen4j.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Chunked squared Euclidean distances for the k-NN manifold metrics.
 *
 * <p>The full N×M distance matrix is never held: rows are processed in chunks of at most
 * {@link #MAX_CHUNK_ELEMENTS} entries, so 50k × 50k fits in a few hundred MB. Squared distances are
 * |a|² + |b|² − 2aᵀb in float64, clamped at 0; for integer-valued features below 2²⁶ they are exact,
 * which keeps hand-made tie fixtures exact.
 */
final class NearestNeighbours {

    /** Entries of one distance chunk (16 M doubles = 128 MB). */
    static final long MAX_CHUNK_ELEMENTS = 1L << 24;

    private NearestNeighbours() {}

    /** Receives one chunk of squared distances. */
    @FunctionalInterface
    interface ChunkConsumer {
        /**
         * @param from first row of the chunk (index into the row set)
         * @param squaredDistances shape (rows, M), in a scope closed after the call
         */
        void accept(int from, NDArray squaredDistances);
    }

    /**
     * Number of rows per chunk for a given column count.
     *
     * @param columns M
     * @return rows per chunk, in [1, 4096]
     */
    static int chunkRows(int columns) {
        return (int) Math.max(1, Math.min(4096, MAX_CHUNK_ELEMENTS / columns));
    }

    /**
     * Streams the squared distances between every row of {@code rows} and every row of {@code columns}.
     *
     * @param rows the row set
     * @param columns the column set, same dimension
     * @param manager scratch manager
     * @param consumer called once per chunk, in row order
     */
    static void forEachChunk(Features rows, Features columns, NDManager manager, ChunkConsumer consumer) {
        if (rows.dim() != columns.dim()) {
            throw new IllegalArgumentException("feature dimensions differ: " + rows.dim() + " vs " + columns.dim());
        }
        int chunk = chunkRows(columns.count());
        try (NDManager scope = manager.newSubManager()) {
            NDArray b = columns.toNDArray(scope);
            NDArray bt = b.transpose();
            NDArray bNorms = b.mul(b).sum(new int[] {1}).reshape(new Shape(1, columns.count()));
            for (int from = 0; from < rows.count(); from += chunk) {
                int to = Math.min(rows.count(), from + chunk);
                try (NDManager step = scope.newSubManager()) {
                    NDArray a = rows.toNDArray(step, from, to);
                    NDArray aNorms = a.mul(a).sum(new int[] {1}).reshape(new Shape(to - from, 1));
                    NDArray d2 = a.matMul(bt).muli(-2).addi(aNorms).addi(bNorms).maximum(0);
                    consumer.accept(from, d2);
                }
            }
        }
    }

    /**
     * Squared distance from every row to its k-th nearest neighbour in the same set, the row itself
     * excluded by index.
     *
     * @param x the set, N > k rows
     * @param k neighbour rank, >= 1
     * @param manager scratch manager
     * @return length N
     */
    static double[] kthNeighbourSquaredDistances(Features x, int k, NDManager manager) {
        return ManifoldPass.kthNeighbourSquaredDistances(x, new int[] {k}, manager)[0];
    }

    /**
     * @param values a vector
     * @param manager owner of the result
     * @param asColumn shape (n, 1) when true, (1, n) otherwise
     * @return the vector as a float64 array
     */
    static NDArray vector(double[] values, NDManager manager, boolean asColumn) {
        return manager.create(values, asColumn ? new Shape(values.length, 1) : new Shape(1, values.length));
    }
}
