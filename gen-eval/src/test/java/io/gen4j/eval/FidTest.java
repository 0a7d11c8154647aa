package io.gen4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FidTest {

    private static double[][] identity(int d, double scale) {
        double[][] m = new double[d][d];
        for (int i = 0; i < d; i++) {
            m[i][i] = scale;
        }
        return m;
    }

    @Test
    void unitShiftInDDimensionsGivesD() {
        for (int d : new int[] {1, 2, 7, 64}) {
            double[] ones = new double[d];
            java.util.Arrays.fill(ones, 1.0);
            assertEquals(d, Fid.fromStatistics(new double[d], identity(d, 1), ones, identity(d, 1)), 1e-10 * d);
        }
    }

    @Test
    void diagonalCovariances() {
        double fid = Fid.fromStatistics(new double[2], new double[][] {{1, 0}, {0, 4}},
                new double[2], new double[][] {{9, 0}, {0, 16}});
        assertEquals(8.0, fid, 1e-12);
    }

    @Test
    void correlatedCovarianceAgainstClosedForm() {
        double fid = Fid.fromStatistics(new double[] {0, 0}, new double[][] {{2, 1}, {1, 2}},
                new double[] {1, 2}, new double[][] {{1, 0}, {0, 3}});
        assertEquals(13 - 2 * Math.sqrt(14), fid, 1e-12);
    }

    @Test
    void singularCovarianceIsClippedNotNaN() {
        // rank-1 covariances: eigenvalues 0 (possibly slightly negative after rounding) are clipped
        double fid = Fid.fromStatistics(new double[2], new double[][] {{1, 1}, {1, 1}},
                new double[2], new double[][] {{1, 1}, {1, 1}});
        assertEquals(0.0, fid, 1e-7);
    }

    @Test
    void featureSetPropertiesIdentitySymmetryShiftRotationScale() {
        try (NDManager manager = Managers.create()) {
            int d = 6;
            Features a = Managers.gaussian(300, d, 1);
            Features b = Managers.gaussian(250, d, 2).scale(1.5);
            assertEquals(0.0, Fid.compute(a, a, manager), 1e-10);
            double ab = Fid.compute(a, b, manager);
            assertEquals(ab, Fid.compute(b, a, manager), 1e-10 * ab);

            double[] shift = {3, -1, 2, 0.5, 10, -7};
            double[][] q = randomRotation(d, new Random(3));
            Features a2 = affine(a, q, shift);
            Features b2 = affine(b, q, shift);
            assertEquals(ab, Fid.compute(a2, b2, manager), 1e-9 * ab);

            double c = 3.0;
            assertEquals(c * c * ab, Fid.compute(a.scale(c), b.scale(c), manager), 1e-9 * c * c * ab);
        }
    }

    @Test
    void engineProductsAgreeWithPureJavaForLargeD() {
        try (NDManager manager = Managers.create()) {
            int d = 300;
            GaussianStatistics a = GaussianStatistics.estimate(Managers.gaussian(400, d, 1), manager);
            GaussianStatistics b = GaussianStatistics.estimate(Managers.gaussian(500, d, 2).scale(1.3), manager);
            double pure = Fid.fromStatistics(a, b);
            assertEquals(pure, Fid.fromStatistics(a, b, manager), 1e-9 * pure);
            // 400 samples in 300-d: positive definite, so the Cholesky route ran; compare with the eigen route
            assertEquals(Fid.traceSqrtProductByEigen(a.covariance(), b.covariance(), d),
                    Fid.traceSqrtProduct(a.covariance(), b.covariance(), d, manager), 1e-9 * pure);
        }
    }

    @Test
    void covarianceIsUnbiasedAndStableUnderALargeOffset() {
        try (NDManager manager = Managers.create()) {
            Features x = Features.of(new double[][] {{1e8 + 1}, {1e8 + 2}, {1e8 + 3}, {1e8 + 4}});
            GaussianStatistics s = GaussianStatistics.estimate(x, manager);
            assertEquals(1e8 + 2.5, s.mean()[0], 1e-6);
            assertEquals(5.0 / 3.0, s.covariance()[0], 1e-9); // Σ(x-μ)² / (N-1) = 5/3
        }
    }

    static Features affine(Features x, double[][] q, double[] shift) {
        int d = x.dim();
        double[] out = new double[x.count() * d];
        for (int i = 0; i < x.count(); i++) {
            for (int r = 0; r < d; r++) {
                double s = shift[r];
                for (int c = 0; c < d; c++) {
                    s += q[r][c] * x.get(i, c);
                }
                out[i * d + r] = s;
            }
        }
        return new Features(x.count(), d, out);
    }

    /** Orthogonal matrix by Gram–Schmidt on a Gaussian matrix. */
    static double[][] randomRotation(int d, Random random) {
        double[][] q = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                q[i][j] = random.nextGaussian();
            }
            for (int k = 0; k < i; k++) {
                double dot = 0;
                for (int j = 0; j < d; j++) {
                    dot += q[i][j] * q[k][j];
                }
                for (int j = 0; j < d; j++) {
                    q[i][j] -= dot * q[k][j];
                }
            }
            double norm = 0;
            for (int j = 0; j < d; j++) {
                norm += q[i][j] * q[i][j];
            }
            norm = Math.sqrt(norm);
            for (int j = 0; j < d; j++) {
                q[i][j] /= norm;
            }
        }
        return q;
    }
}
