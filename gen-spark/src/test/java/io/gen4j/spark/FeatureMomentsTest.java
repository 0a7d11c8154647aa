package io.gen4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import io.gen4j.eval.Features;
import io.gen4j.eval.Fid;
import io.gen4j.eval.GaussianStatistics;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FeatureMomentsTest {

    @Test
    void meanAndCovarianceOfThreeRowsByHand() {
        // rows (1,2), (3,4), (5,0): mean (3,2); deviations (-2,0), (0,2), (2,-2);
        // covariance = 1/2 [[8, -4], [-4, 8]] = [[4, -2], [-2, 4]]
        GaussianStatistics s = FeatureMoments.empty(2).add(Features.of(new double[][] {{1, 2}, {3, 4}, {5, 0}}))
                .statistics();
        assertArrayEquals(new double[] {3, 2}, s.mean(), 1e-15);
        assertArrayEquals(new double[] {4, -2, -2, 4}, s.covariance(), 1e-14);
        assertEquals(3, s.count());
    }

    @Test
    void mergedPartsEqualTheWholeAndTheTwoPassEstimateToRounding() {
        Features all = features(3000, 16, 1, 3.0);
        FeatureMoments whole = FeatureMoments.empty(16).add(all);
        FeatureMoments merged = FeatureMoments.empty(16).add(all.rows(2000, 3000))
                .merge(FeatureMoments.empty(16).add(all.rows(0, 700)))
                .merge(FeatureMoments.empty(16).add(all.rows(700, 2000)));
        assertEquals(whole.count(), merged.count());
        assertArrayEquals(whole.sum(), merged.sum(), 1e-9);
        try (NDManager m = NDManager.newBaseManager()) {
            GaussianStatistics reference = GaussianStatistics.estimate(all, m);
            GaussianStatistics mine = merged.statistics();
            assertArrayEquals(reference.mean(), mine.mean(), 1e-12);
            assertArrayEquals(reference.covariance(), mine.covariance(), 1e-11);
            // The engine's float64 product path gives the same statistics as the plain Java one.
            GaussianStatistics viaEngine = FeatureMoments.empty(16).add(all.toNDArray(m)).statistics();
            assertArrayEquals(mine.covariance(), viaEngine.covariance(), 1e-11);
        }
    }

    @Test
    void fidFromMergedMomentsEqualsTheSingleMachineFid() {
        Features a = features(4000, 24, 2, 2.0);
        Features b = features(5000, 24, 3, 2.5);
        try (NDManager m = NDManager.newBaseManager()) {
            double single = Fid.compute(a, b, m);
            FeatureMoments ma = FeatureMoments.empty(24).add(a.rows(0, 1234)).merge(
                    FeatureMoments.empty(24).add(a.rows(1234, 4000)));
            FeatureMoments mb = FeatureMoments.empty(24).add(b.rows(0, 4999)).merge(
                    FeatureMoments.empty(24).add(b.rows(4999, 5000)));
            assertEquals(single, DistributedEvaluation.fid(ma, mb), 1e-9);
        }
    }

    @Test
    void aShiftNearTheMeanKeepsLargeOffsetsExact() {
        // |mean| = 1e4 against a spread of 1: about zero the sums cancel to ~1e-8 of the covariance.
        Features far = features(2000, 4, 5, 1e4);
        double[] shift = far.row(0);
        try (NDManager m = NDManager.newBaseManager()) {
            GaussianStatistics reference = GaussianStatistics.estimate(far, m);
            GaussianStatistics shifted = FeatureMoments.empty(shift).add(far.rows(0, 999))
                    .merge(FeatureMoments.empty(shift).add(far.rows(999, 2000))).statistics();
            assertArrayEquals(reference.covariance(), shifted.covariance(), 1e-11);
        }
        assertThrows(IllegalArgumentException.class,
                () -> FeatureMoments.empty(shift).merge(FeatureMoments.empty(4)));
        assertThrows(IllegalStateException.class, () -> FeatureMoments.empty(4).statistics());
    }

    /** n rows of a correlated Gaussian: x = offset + A z with a fixed random A. */
    static Features features(int n, int d, long seed, double offset) {
        Random r = new Random(seed);
        double[][] a = new double[d][d];
        for (double[] row : a) {
            for (int j = 0; j < d; j++) {
                row[j] = r.nextGaussian() / Math.sqrt(d);
            }
        }
        double[][] rows = new double[n][d];
        double[] z = new double[d];
        for (double[] row : rows) {
            for (int j = 0; j < d; j++) {
                z[j] = r.nextGaussian();
            }
            for (int i = 0; i < d; i++) {
                double v = offset;
                for (int j = 0; j < d; j++) {
                    v += a[i][j] * z[j];
                }
                row[i] = v;
            }
        }
        return Features.of(rows);
    }
}
