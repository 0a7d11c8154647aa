package io.gen4j.eval;

import ai.djl.ndarray.NDManager;

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
        boolean[] genInside = new boolean[m];
        long[] recalled = {0};
        long[] covered = {0};
        long[] inside = {0};
        NearestNeighbours.forEachChunk(real, generated, manager, (from, rows, d2) -> {
            for (int r = 0; r < rows; r++) {
                int i = from + r;
                int base = r * m;
                if (realPr != null) {
                    double radius = realPr[i];
                    boolean inGeneratedManifold = false;
                    for (int j = 0; j < m; j++) {
                        double v = d2[base + j];
                        if (v <= radius) {
                            genInside[j] = true; // generated j inside the ball of real i
                        }
                        if (v <= genPr[j]) {
                            inGeneratedManifold = true; // real i inside the ball of generated j
                        }
                    }
                    if (inGeneratedManifold) {
                        recalled[0]++;
                    }
                }
                if (realDc != null) {
                    double radius = realDc[i];
                    double nearest = Double.POSITIVE_INFINITY;
                    long count = 0;
                    for (int j = 0; j < m; j++) {
                        double v = d2[base + j];
                        if (v < radius) {
                            count++;
                        }
                        if (v < nearest) {
                            nearest = v;
                        }
                    }
                    inside[0] += count;
                    if (nearest < radius) {
                        covered[0]++;
                    }
                }
            }
        });
        PrecisionRecall.Result pr = null;
        if (kPr > 0) {
            int precise = 0;
            for (boolean hit : genInside) {
                if (hit) {
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
        double[][] out = new double[ks.length][n];
        NearestNeighbours.forEachChunk(x, x, manager, (from, rows, d2) -> {
            double[] smallest = new double[kMax];
            for (int r = 0; r < rows; r++) {
                int self = from + r;
                java.util.Arrays.fill(smallest, Double.POSITIVE_INFINITY);
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
}
