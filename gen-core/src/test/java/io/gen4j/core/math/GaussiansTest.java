package io.gen4j.core.math;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * {@link Gaussians} against values computed independently: the densities integrate to one and have
 * the right moments under Simpson's rule, the KL divergences equal the numerical integral of
 * q log(q/p) written with σ (not log σ²), and the toy helpers equal products of 1-D densities and a
 * direct log-sum-exp.
 */
class GaussiansTest {

    private static final double[] MU = {0.0, 0.7, -1.3, 2.5};
    private static final double[] LOG_VAR = {0.0, -0.6, 0.9, -2.2};

    /** log N(z; μ, σ²) written with σ. */
    private static double direct(double z, double mu, double sigma) {
        double u = (z - mu) / sigma;
        return -0.5 * u * u - Math.log(sigma) - 0.5 * Math.log(2 * Math.PI);
    }

    /** Simpson's rule with n (even) intervals. */
    private static double simpson(DoubleUnaryOperator f, double a, double b, int n) {
        double h = (b - a) / n;
        double s = f.applyAsDouble(a) + f.applyAsDouble(b);
        for (int i = 1; i < n; i++) {
            s += (i % 2 == 1 ? 4 : 2) * f.applyAsDouble(a + i * h);
        }
        return s * h / 3;
    }

    @Test
    void logDensityIsNormalisedWithTheRightMomentsAndMatchesTheFormulaInSigma() {
        try (NDManager manager = NDManager.newBaseManager()) {
            for (int k = 0; k < MU.length; k++) {
                double mu = MU[k];
                double logVar = LOG_VAR[k];
                double sigma = Math.exp(0.5 * logVar);
                double a = mu - 12 * sigma;
                double b = mu + 12 * sigma;
                int n = 4000;
                double[] grid = new double[n + 1];
                for (int i = 0; i <= n; i++) {
                    grid[i] = a + (b - a) * i / n;
                }
                NDArray z = manager.create(grid);
                double[] logP = Gaussians.logDensity(z, manager.create(mu), manager.create(logVar)).toDoubleArray();
                for (int i = 0; i <= n; i += 97) {
                    assertEquals(direct(grid[i], mu, sigma), logP[i], 1e-12);
                }
                DoubleUnaryOperator p = x -> Math.exp(logP[(int) Math.round((x - a) / (b - a) * n)]);
                assertEquals(1.0, simpson(p, a, b, n), 1e-10, "mass, case " + k);
                assertEquals(mu, simpson(x -> x * p.applyAsDouble(x), a, b, n), 1e-9, "mean, case " + k);
                assertEquals(sigma * sigma, simpson(x -> (x - mu) * (x - mu) * p.applyAsDouble(x), a, b, n),
                        1e-9, "variance, case " + k);
            }
            NDArray z = manager.create(new double[] {-2, 0, 0.5, 3});
            double[] std = Gaussians.logStandardDensity(z).toDoubleArray();
            double[] zs = z.toDoubleArray();
            for (int i = 0; i < zs.length; i++) {
                assertEquals(direct(zs[i], 0, 1), std[i], 1e-14);
            }
        }
    }

    /** ∫ q log(q/p) dz by Simpson's rule over ±14 σ of both. */
    private static double numericKl(double mu, double sigma, double muP, double sigmaP) {
        double a = Math.min(mu - 14 * sigma, muP - 14 * sigmaP);
        double b = Math.max(mu + 14 * sigma, muP + 14 * sigmaP);
        return simpson(z -> {
            double lq = direct(z, mu, sigma);
            return Math.exp(lq) * (lq - direct(z, muP, sigmaP));
        }, a, b, 200_000);
    }

    @Test
    void klDivergencesEqualTheNumericalIntegral() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray mu = manager.create(MU);
            NDArray logVar = manager.create(LOG_VAR);
            double[] toStandard = Gaussians.klToStandardNormal(mu, logVar).toDoubleArray();
            double[] muP = {0.4, -0.2, -1.3, 1.0};
            double[] logVarP = {0.3, 0.5, 0.9, -1.0};
            double[] between = Gaussians.klBetween(mu, logVar, manager.create(muP), manager.create(logVarP))
                    .toDoubleArray();
            for (int k = 0; k < MU.length; k++) {
                double sigma = Math.exp(0.5 * LOG_VAR[k]);
                assertEquals(numericKl(MU[k], sigma, 0, 1), toStandard[k], 1e-9, "KL to N(0,1), case " + k);
                assertEquals(numericKl(MU[k], sigma, muP[k], Math.exp(0.5 * logVarP[k])), between[k], 1e-9,
                        "KL between, case " + k);
            }
            assertEquals(0.0, toStandard[0], 0.0);
            assertEquals(0.0, between[2], 1e-15); // same Gaussian
        }
    }

    @Test
    void twoDimensionalDensityIsAProductOfOneDimensionalOnes() {
        double[][] points = {{0, 0}, {0.3, -1.2}, {2.0, 2.0}, {-4, 1}};
        double[] sigmas = {0.05, 0.4, 1.0, 3.0};
        for (double sigma : sigmas) {
            for (double[] x : points) {
                double d2 = x[0] * x[0] + x[1] * x[1];
                assertEquals(direct(x[0], 0, sigma) + direct(x[1], 0, sigma), Gaussians.logDensity2d(d2, sigma),
                        1e-12 * Math.max(1, Math.abs(Gaussians.logDensity2d(d2, sigma))));
            }
        }
    }

    @Test
    void logSumExpIsStable() {
        double[] a = {-1.0, 0.5, 2.0, -3.0};
        double direct = Math.log(Math.exp(-1.0) + Math.exp(0.5) + Math.exp(2.0) + Math.exp(-3.0));
        assertEquals(direct, Gaussians.logSumExp(a, 4), 1e-15);
        assertEquals(Math.log(Math.exp(-1.0) + Math.exp(0.5)), Gaussians.logSumExp(a, 2), 1e-15);
        assertEquals(1000 + Math.log(2), Gaussians.logSumExp(new double[] {1000, 1000}, 2), 1e-12);
        assertEquals(-1000 + Math.log(3), Gaussians.logSumExp(new double[] {-1000, -1000, -1000}, 3), 1e-12);
        assertEquals(5.0, Gaussians.logSumExp(new double[] {5.0, -200.0}, 2), 0.0);
        assertEquals(Double.NEGATIVE_INFINITY,
                Gaussians.logSumExp(new double[] {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY}, 2));
        assertEquals(Double.NEGATIVE_INFINITY, Gaussians.logSumExp(new double[] {7.0}, 0));
    }
}
