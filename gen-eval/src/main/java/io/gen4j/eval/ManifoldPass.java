package io.gen4j.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The k-NN manifold metrics ({@link PrecisionRecall}, {@link DensityCoverage}) computed together:
 * one real-vs-real pass for the radii of both k, one generated-vs-generated pass when recall is
 * wanted, and a single real-vs-generated pass for all four numbers.
 */
final class ManifoldPass {

    private ManifoldPass() {}

    /**
     * Results of one pass; a part not asked for is null.
     *
     * @param precisionRecall precision and recall, or null
     * @param densityCoverage density and coverage, or null
     */
    record Results(PrecisionRecall.Result precisionRecall, DensityCoverage.Result densityCoverage) {}

    /**
     * @param generated generated features (M rows)
     * @param real real features (N rows), same dimension
     * @param kPr neighbour rank for precision/recall, or 0 to skip them
     * @param kDc neighbour rank for density/coverage, or 0 to skip them
     * @param manager scratch manager
     * @return the requested metrics
     */
    static Results run(Features generated, Features real, int kPr, int kDc, NDManager manager) {
        if (kPr < 0 || kDc < 0 || (kPr == 0 && kDc == 0)) {
            throw new IllegalArgumentException("k must be >= 1 for at least one metric, got " + kPr + " and " + kDc);
        }
        if (generated.dim() != real.dim()) {
            throw new IllegalArgumentException(
                    "feature dimensions differ: " + generated.dim() + " vs " + real.dim());
        }
        int[] ks = kPr > 0 && kDc > 0 ? new int[] {kPr, kDc} : new int[] {Math.max(kPr, kDc)};
        double[][] realRadii = kthNeighbourSquaredDistances(real, ks, manager);
        double[] realPr = kPr > 0 ? realRadii[0] : null;
        double[] realDc = kDc > 0 ? realRadii[ks.length - 1] : null;
        double[] genPr = kPr > 0 ? kthNeighbourSquaredDistances(generated, new int[] {kPr}, manager)[0] : null;

        int m = generated.count();
        long[] recalled = {0};
        long[] covered = {0};
        double[] inside = {0};
        double[] genHits;
        try (NDManager scope = manager.newSubManager()) {
            NDArray genRadiiRow = genPr == null ? null : NearestNeighbours.vector(genPr, scope, false);
            NDArray hits = scope.zeros(new Shape(m), DataType.FLOAT64);
            NearestNeighbours.forEachChunk(real, generated, scope, (from, d2) -> {
                int rows = (int) d2.getShape().get(0);
                NDManager step = d2.getManager();
                if (realPr != null) {
                    NDArray column = NearestNeighbours.vector(slice(realPr, from, rows), step, true);
                    hits.addi(d2.lte(column).toType(DataType.FLOAT64, false).sum(new int[] {0}));
                    double[] rowHits = d2.lte(genRadiiRow).toType(DataType.FLOAT64, false)
                            .sum(new int[] {1}).toDoubleArray();
                    for (double h : rowHits) {
                        if (h > 0) {
                            recalled[0]++;
                        }
                    }
                }
                if (realDc != null) {
                    double[] radii = slice(realDc, from, rows);
                    NDArray column = NearestNeighbours.vector(radii, step, true);
                    inside[0] += d2.lt(column).toType(DataType.FLOAT64, false).sum().getDouble();
                    double[] nearest = d2.min(new int[] {1}).toDoubleArray();
                    for (int r = 0; r < rows; r++) {
                        if (nearest[r] < radii[r]) {
                            covered[0]++;
                        }
                    }
                }
            });
            genHits = hits.toDoubleArray();
        }
        PrecisionRecall.Result pr = null;
        if (kPr > 0) {
            int precise = 0;
            for (double h : genHits) {
                if (h > 0) {
                    precise++;
                }
            }
            pr = new PrecisionRecall.Result((double) precise / m, (double) recalled[0] / real.count());
        }
        DensityCoverage.Result dc = kDc > 0
                ? new DensityCoverage.Result(inside[0] / ((double) kDc * m), (double) covered[0] / real.count())
                : null;
        return new Results(pr, dc);
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
        int width = kMax + 1;
        double[][] out = new double[ks.length][n];
        NearestNeighbours.forEachChunk(x, x, manager, (from, d2) -> {
            NDList top = d2.topK(width, 1, false, true);
            int rows = (int) d2.getShape().get(0);
            double[] values = top.get(0).toDoubleArray();
            long[] indices = top.get(1).toLongArray();
            double[] kept = new double[kMax];
            for (int r = 0; r < rows; r++) {
                int self = from + r;
                int count = 0;
                for (int t = 0; t < width && count < kMax; t++) {
                    if (indices[r * width + t] != self) {
                        kept[count++] = values[r * width + t];
                    }
                }
                for (int i = 0; i < ks.length; i++) {
                    out[i][self] = kept[ks[i] - 1];
                }
            }
        });
        return out;
    }

    private static double[] slice(double[] a, int from, int length) {
        double[] out = new double[length];
        System.arraycopy(a, from, out, 0, length);
        return out;
    }
}
