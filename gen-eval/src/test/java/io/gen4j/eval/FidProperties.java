package io.gen4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

class FidProperties {

    private static GaussianStatistics randomGaussian(int d, Random r) {
        double[] mean = new double[d];
        double[][] a = new double[d][d];
        for (int i = 0; i < d; i++) {
            mean[i] = r.nextGaussian();
            for (int j = 0; j < d; j++) {
                a[i][j] = r.nextGaussian();
            }
        }
        double[][] cov = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                for (int k = 0; k < d; k++) {
                    cov[i][j] += a[i][k] * a[j][k];
                }
            }
        }
        return GaussianStatistics.of(mean, cov);
    }

    private static GaussianStatistics scaled(GaussianStatistics s, double c) {
        double[] mean = s.mean().clone();
        double[] cov = s.covariance().clone();
        for (int i = 0; i < mean.length; i++) {
            mean[i] *= c;
        }
        for (int i = 0; i < cov.length; i++) {
            cov[i] *= c * c;
        }
        return new GaussianStatistics(mean, cov, 0);
    }

    @Property(tries = 50, seed = "20240611")
    void symmetricNonNegativeAndScalesByCSquared(@ForAll @IntRange(min = 1, max = 8) int d,
            @ForAll long seed, @ForAll @DoubleRange(min = 0.1, max = 10) double c) {
        Random r = new Random(seed);
        GaussianStatistics a = randomGaussian(d, r);
        GaussianStatistics b = randomGaussian(d, r);
        double ab = Fid.fromStatistics(a, b);
        double tol = 1e-9 * (1 + Math.abs(ab));
        assertEquals(ab, Fid.fromStatistics(b, a), tol);
        assertTrue(ab > -tol, "FID must be >= 0, got " + ab);
        assertEquals(0.0, Fid.fromStatistics(a, a), 1e-9 * (1 + traceOf(a)));
        assertEquals(c * c * ab, Fid.fromStatistics(scaled(a, c), scaled(b, c)), 1e-9 * (1 + c * c * Math.abs(ab)));
    }

    @Property(tries = 30, seed = "20240612")
    void choleskyAndEigenRoutesAgree(@ForAll @IntRange(min = 1, max = 12) int d, @ForAll long seed) {
        Random r = new Random(seed);
        GaussianStatistics a = randomGaussian(d, r);
        GaussianStatistics b = randomGaussian(d, r);
        double chol = Fid.traceSqrtProduct(a.covariance(), b.covariance(), d);
        double eig = Fid.traceSqrtProductByEigen(a.covariance(), b.covariance(), d);
        assertEquals(eig, chol, 1e-9 * (1 + Math.abs(eig)));
    }

    private static double traceOf(GaussianStatistics s) {
        double t = 0;
        for (int i = 0; i < s.dim(); i++) {
            t += s.covariance()[i * s.dim() + i];
        }
        return t;
    }
}
