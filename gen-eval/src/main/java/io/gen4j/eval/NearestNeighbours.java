package io.gen4j.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;

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

    /** Neighbour ranks kept by a shared table: every k up to this costs no extra pass. */
    static final int SHARED_RANKS = 10;

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
        return kthNeighbourSquaredDistances(x, new int[] {k}, manager)[0];
    }

    /**
     * The k-th neighbour distances of the input's reference (or sample) set, read from a table of the
     * nearest min(max(k, {@link #SHARED_RANKS}), N − 1) neighbours of every row that is computed once
     * per input and shared by all k-NN metrics evaluated on it ({@link MetricInput#shared}), so that
     * precision/recall and density/coverage cost one pass over the reference set, not two.
     *
     * @param input the metric input
     * @param reference true for the reference set, false for the samples
     * @param k neighbour rank, in [1, N − 1]
     * @param manager scratch manager
     * @return length N; shared, not to be modified
     */
    static double[] kthNeighbourSquaredDistances(MetricInput input, boolean reference, int k, NDManager manager) {
        Features x = reference ? input.reference() : input.samples();
        int n = x.count();
        if (k < 1 || k >= n) {
            throw new IllegalArgumentException("k must be in [1, " + (n - 1) + "] for " + n + " "
                    + (reference ? "reference" : "sample") + " rows, got " + k);
        }
        int ranks = Math.min(Math.max(k, SHARED_RANKS), n - 1);
        double[][] table = input.shared(new NeighbourTable(reference, ranks), () -> {
            int[] all = new int[ranks];
            for (int r = 0; r < ranks; r++) {
                all[r] = r + 1;
            }
            return kthNeighbourSquaredDistances(x, all, manager);
        });
        return table[k - 1];
    }

    /**
     * Squared distance from every row to its k-th nearest neighbour in the same set for several k,
     * the row itself excluded by index (an exact duplicate counts as a neighbour at distance 0).
     *
     * @param x the set, N > max(k) rows
     * @param ks neighbour ranks, each >= 1
     * @param manager scratch manager
     * @return one array of length N per k
     */
    static double[][] kthNeighbourSquaredDistances(Features x, int[] ks, NDManager manager) {
        int n = x.count();
        int largest = 0;
        for (int k : ks) {
            if (k < 1 || k >= n) {
                throw new IllegalArgumentException(
                        "k must be in [1, " + (n - 1) + "] for " + n + " samples, got " + k);
            }
            largest = Math.max(largest, k);
        }
        final int kMax = largest;
        double[][] out = new double[ks.length][n];
        forEachChunk(x, x, manager, (from, rows, d2) -> {
            double[] smallest = new double[kMax];
            for (int r = 0; r < rows; r++) {
                int self = from + r;
                Arrays.fill(smallest, Double.POSITIVE_INFINITY);
                int base = r * n;
                for (int j = 0; j < n; j++) {
                    double v = d2[base + j];
                    if (j == self || v >= smallest[kMax - 1]) {
                        continue;
                    }
                    int pos = kMax - 1;
                    while (pos > 0 && smallest[pos - 1] > v) {
                        smallest[pos] = smallest[pos - 1];
                        pos--;
                    }
                    smallest[pos] = v;
                }
                for (int i = 0; i < ks.length; i++) {
                    out[i][self] = smallest[ks[i] - 1];
                }
            }
        });
        return out;
    }

    /** Key of the shared neighbour table of one set of a {@link MetricInput}. */
    private record NeighbourTable(boolean reference, int ranks) {}
}
