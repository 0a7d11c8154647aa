package io.gen4j.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Chunked squared Euclidean distances for the k-NN manifold metrics.
 *
 * <p>The full N×M distance matrix is never held: rows are processed in chunks of at most
 * {@link #MAX_CHUNK_ELEMENTS} entries, so 50k × 50k fits in a few hundred MB. Each chunk's inner
 * products aᵀb are one float64 matrix product on the engine; the squared distances
 * |a|² + |b|² − 2aᵀb (clamped at 0) and everything done with them are then computed in one fused
 * Java pass, which is several times faster than a chain of element-wise engine operations. For
 * integer-valued features below 2²⁶ the distances are exact, which keeps hand-made tie fixtures exact.
 */
final class NearestNeighbours {

    /** Entries of one distance chunk (8 M doubles = 64 MB). */
    static final long MAX_CHUNK_ELEMENTS = 1L << 23;

    private NearestNeighbours() {}

    /** Receives one chunk of squared distances. */
    @FunctionalInterface
    interface ChunkConsumer {
        /**
         * @param from first row of the chunk (index into the row set)
         * @param rows number of rows in the chunk
         * @param squaredDistances row-major (rows × M) squared distances, reused between calls
         */
        void accept(int from, int rows, double[] squaredDistances);
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
        int m = columns.count();
        double[] rowNorms = squaredNorms(rows);
        double[] columnNorms = squaredNorms(columns);
        int chunk = chunkRows(m);
        try (NDManager scope = manager.newSubManager()) {
            NDArray bt = columns.toNDArray(scope).transpose();
            for (int from = 0; from < rows.count(); from += chunk) {
                int to = Math.min(rows.count(), from + chunk);
                double[] d2;
                try (NDManager step = scope.newSubManager()) {
                    d2 = rows.toNDArray(step, from, to).matMul(bt).toDoubleArray();
                }
                for (int r = 0; r < to - from; r++) {
                    double na = rowNorms[from + r];
                    int base = r * m;
                    for (int j = 0; j < m; j++) {
                        double v = na + columnNorms[j] - 2 * d2[base + j];
                        d2[base + j] = v > 0 ? v : 0.0;
                    }
                }
                consumer.accept(from, to - from, d2);
            }
        }
    }

    /**
     * @param x features
     * @return |x_i|² for every row
     */
    static double[] squaredNorms(Features x) {
        int d = x.dim();
        double[] data = x.data();
        double[] out = new double[x.count()];
        for (int i = 0; i < out.length; i++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                double v = data[i * d + j];
                s += v * v;
            }
            out[i] = s;
        }
        return out;
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
}
