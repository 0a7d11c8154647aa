package io.gen4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Precision/recall and density/coverage on fixtures worked out by hand, ties included. */
class ManifoldMetricsTest {

    // 1-D, k = 1. Real radii: 0->1, 1->1, 3->2, 7->4. Generated radii: 2->3, 5->3, 11->6, 20->9.
    private static final Features REAL_1D = Features.of(new double[][] {{0}, {1}, {3}, {7}});
    private static final Features GEN_1D = Features.of(new double[][] {{2}, {5}, {11}, {20}});

    // 2-D, k = 2, with a duplicated real point. Real radii: a 5, b 5, c 5, d sqrt(45), e 5.
    private static final Features REAL_2D =
            Features.of(new double[][] {{0, 0}, {0, 0}, {3, 4}, {6, 8}, {0, 5}});
    private static final Features GEN_2D = Features.of(new double[][] {{0, 0}, {4, 8}, {10, 0}});

    @Test
    void precisionRecallOneDimensional() {
        try (NDManager manager = Managers.create()) {
            // precision: 2 (|2-1| = 1 <= 1, tie), 5 (|5-3| = 2 <= 2, tie), 11 (|11-7| = 4 <= 4, tie); 20 is out
            PrecisionRecall.Result pr = PrecisionRecall.compute(GEN_1D, REAL_1D, 1, manager);
            assertEquals(0.75, pr.precision(), 0.0);
            assertEquals(1.0, pr.recall(), 0.0);
        }
    }

    @Test
    void densityCoverageOneDimensional() {
        try (NDManager manager = Managers.create()) {
            // density: (2 in ball of 3) + (5 in ball of 7) = 2 of k*M = 4; the ties |2-1| = 1 and |5-3| = 2 do not count
            // coverage: balls of 3 and 7 contain a generated point; ball of 1 only at distance 1 = radius (tie)
            DensityCoverage.Result dc = DensityCoverage.compute(GEN_1D, REAL_1D, 1, manager);
            assertEquals(0.5, dc.density(), 0.0);
            assertEquals(0.5, dc.coverage(), 0.0);
        }
    }

    @Test
    void twoDimensionalWithDuplicatesAndTies() {
        try (NDManager manager = Managers.create()) {
            PrecisionRecall.Result pr = PrecisionRecall.compute(GEN_2D, REAL_2D, 2, manager);
            assertEquals(2.0 / 3.0, pr.precision(), 0.0);
            assertEquals(1.0, pr.recall(), 0.0);
            // density: (0,0) in balls a, b (ties with c and e excluded); (4,8) in c and d (tie with e excluded)
            // coverage: a, b, c, d covered; e's nearest generated points are at distance 5 = radius
            DensityCoverage.Result dc = DensityCoverage.compute(GEN_2D, REAL_2D, 2, manager);
            assertEquals(4.0 / 6.0, dc.density(), 0.0);
            assertEquals(0.8, dc.coverage(), 0.0);
        }
    }

    @Test
    void duplicateRealPointHasRadiusZeroAndSelfIsExcludedByIndex() {
        try (NDManager manager = Managers.create()) {
            double[] r = NearestNeighbours.kthNeighbourSquaredDistances(REAL_2D, 1, manager);
            assertEquals(0.0, r[0], 0.0);
            assertEquals(0.0, r[1], 0.0);
            assertEquals(10.0, r[2], 0.0); // |c - e|² = 9 + 1
            double[] r2 = NearestNeighbours.kthNeighbourSquaredDistances(REAL_2D, 2, manager);
            assertEquals(25.0, r2[0], 0.0);
            assertEquals(45.0, r2[3], 0.0);
        }
    }

    @Test
    void identicalSetsHavePerfectPrecisionRecallAndCoverage() {
        try (NDManager manager = Managers.create()) {
            Features x = Managers.gaussian(60, 5, 9);
            PrecisionRecall.Result pr = PrecisionRecall.compute(x, x, manager);
            assertEquals(1.0, pr.precision(), 0.0);
            assertEquals(1.0, pr.recall(), 0.0);
            DensityCoverage.Result dc = DensityCoverage.compute(x, x, manager);
            assertEquals(1.0, dc.coverage(), 0.0);
        }
    }

    @Test
    void chunkingDoesNotChangeTheResult() {
        try (NDManager manager = Managers.create()) {
            Features real = Managers.gaussian(5000, 3, 1);
            Features gen = Managers.gaussian(4000, 3, 2).scale(1.1);
            // 5000 columns -> 3355 rows per chunk: two chunks for the radii and the cross pass
            PrecisionRecall.Result pr = PrecisionRecall.compute(gen, real, manager);
            PrecisionRecall.Result small = PrecisionRecall.compute(gen.rows(0, 400), real.rows(0, 500), manager);
            assertEquals(pr.precision(), bruteForcePrecision(gen, real, 3), 0.0);
            assertEquals(small.precision(), bruteForcePrecision(gen.rows(0, 400), real.rows(0, 500), 3), 0.0);
        }
    }

    @Test
    void metricsSharingOneInputEqualTheStandaloneFunctionsAndBruteForce() {
        try (NDManager manager = Managers.create()) {
            Features real = Managers.gaussian(300, 4, 11);
            Features gen = Managers.gaussian(200, 4, 12).scale(1.2);
            MetricInput input = MetricInput.of(real, gen);
            List<MetricValue> pr = new PrecisionRecall(3).evaluate(input, manager);
            List<MetricValue> dc = new DensityCoverage(5).evaluate(input, manager);
            PrecisionRecall.Result prAlone = PrecisionRecall.compute(gen, real, manager);
            DensityCoverage.Result dcAlone = DensityCoverage.compute(gen, real, manager);
            assertEquals(List.of(MetricValue.of("precision", prAlone.precision()), MetricValue.of("recall", prAlone.recall())), pr);
            assertEquals(List.of(MetricValue.of("density", dcAlone.density()), MetricValue.of("coverage", dcAlone.coverage())), dc);
            assertEquals(bruteForcePrecision(gen, real, 3), prAlone.precision(), 0.0);
            // both read the reference radii from one shared table of the 10 nearest neighbours
            double[] shared3 = NearestNeighbours.kthNeighbourSquaredDistances(input, true, 3, manager);
            double[] shared5 = NearestNeighbours.kthNeighbourSquaredDistances(input, true, 5, manager);
            assertSame(NearestNeighbours.kthNeighbourSquaredDistances(input, true, 3, manager), shared3);
            assertEquals(Arrays.toString(NearestNeighbours.kthNeighbourSquaredDistances(real, 3, manager)),
                    Arrays.toString(shared3));
            assertEquals(Arrays.toString(NearestNeighbours.kthNeighbourSquaredDistances(real, 5, manager)),
                    Arrays.toString(shared5));
            double[][] radii = NearestNeighbours.kthNeighbourSquaredDistances(real, new int[] {5, 1, 3}, manager);
            assertEquals(Arrays.toString(NearestNeighbours.kthNeighbourSquaredDistances(real, 1, manager)),
                    Arrays.toString(radii[1]));
            // a k beyond the shared table gets its own, exact, table
            assertEquals(Arrays.toString(NearestNeighbours.kthNeighbourSquaredDistances(real, 12, manager)),
                    Arrays.toString(NearestNeighbours.kthNeighbourSquaredDistances(input, true, 12, manager)));
            assertEquals(0, manager.getManagedArrays().size());
        }
    }

    private static double bruteForcePrecision(Features gen, Features real, int k) {
        double[] radii = new double[real.count()];
        for (int i = 0; i < real.count(); i++) {
            double[] d = new double[real.count() - 1];
            int t = 0;
            for (int j = 0; j < real.count(); j++) {
                if (j != i) {
                    d[t++] = sq(real, i, real, j);
                }
            }
            java.util.Arrays.sort(d);
            radii[i] = d[k - 1];
        }
        int hits = 0;
        for (int g = 0; g < gen.count(); g++) {
            for (int i = 0; i < real.count(); i++) {
                if (sq(gen, g, real, i) <= radii[i]) {
                    hits++;
                    break;
                }
            }
        }
        return (double) hits / gen.count();
    }

    private static double sq(Features a, int i, Features b, int j) {
        double s = 0;
        for (int c = 0; c < a.dim(); c++) {
            double diff = a.get(i, c) - b.get(j, c);
            s += diff * diff;
        }
        return s;
    }
}
