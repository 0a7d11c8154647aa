package io.gen4j.score.flow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.gen4j.score.SamplingResult;
import io.gen4j.score.VectorField;
import io.gen4j.score.ode.Rk4Solver;
import org.junit.jupiter.api.Test;

/**
 * The paths' targets are the time derivatives of their interpolations; the conditional targets average
 * to the closed-form marginal velocity, which transports the noise to the data.
 */
class ProbabilityPathTest {

    @Test
    void targetsAreTheDerivativeOfThePath() {
        Engine.getInstance().setRandomSeed(31);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x0 = manager.randomNormal(0, 1, new Shape(8, 3), DataType.FLOAT64);
            NDArray x1 = manager.randomNormal(0, 1, new Shape(8, 3), DataType.FLOAT64).add(2);
            for (ProbabilityPath path : new ProbabilityPath[] {StraightPath.rectified(), new StraightPath(0.1),
                    VpPath.defaults(), new VpPath(0.5, 5)}) {
                for (double t : new double[] {0.05, 0.4, 0.9}) {
                    double h = 1e-6;
                    NDArray tt = manager.ones(new Shape(8), DataType.FLOAT64).mul(t);
                    double[] plus = path.sample(x0, x1, tt.add(h)).xt().toDoubleArray();
                    double[] minus = path.sample(x0, x1, tt.sub(h)).xt().toDoubleArray();
                    double[] u = path.sample(x0, x1, tt).target().toDoubleArray();
                    for (int i = 0; i < u.length; i++) {
                        double fd = (plus[i] - minus[i]) / (2 * h);
                        assertEquals(fd, u[i], 1e-5 * Math.max(1, Math.abs(fd)), path + " at t=" + t);
                    }
                }
                // the ends: noise at t = 0, data at t = 1 (up to sigma_min / the VP's e^{-B(1)/2})
                if (!(path instanceof VpPath vp) || vp.equals(VpPath.defaults())) {
                    double[] start = path.sample(x0, x1, manager.zeros(new Shape(8), DataType.FLOAT64)).xt()
                            .toDoubleArray();
                    assertArrayEquals(x0.toDoubleArray(), start, 0.05, path + " at 0");
                }
            }
            double[] end = StraightPath.rectified().sample(x0, x1, manager.ones(new Shape(8), DataType.FLOAT64)).xt()
                    .toDoubleArray();
            assertArrayEquals(x1.toDoubleArray(), end, 1e-12);
        }
    }

    /**
     * Gaussian data N(μ, s²) per dimension, straight path: x_t ~ N(tμ, (1−t)² + t²s²) and the marginal
     * velocity E[x_1 − x_0 | x_t] = μ + (t s² − (1 − t)) / ((1 − t)² + t² s²) (x_t − tμ).
     */
    static double[] marginalVelocity(double t, double mu, double s) {
        double var = (1 - t) * (1 - t) + t * t * s * s;
        double slope = (t * s * s - (1 - t)) / var;
        return new double[] {slope, mu - slope * t * mu};
    }

    @Test
    void conditionalTargetsAverageToTheMarginalVelocity() {
        Engine.getInstance().setRandomSeed(32);
        double mu = 1.5;
        double s = 0.5;
        int n = 200_000;
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x0 = manager.randomNormal(0, 1, new Shape(n, 1), DataType.FLOAT64);
            NDArray x1 = manager.randomNormal(0, 1, new Shape(n, 1), DataType.FLOAT64).mul(s).add(mu);
            for (double t : new double[] {0.3, 0.7}) {
                ProbabilityPath.Sample p = StraightPath.rectified().sample(x0, x1,
                        manager.ones(new Shape(n), DataType.FLOAT64).mul(t));
                // least-squares line of u on x_t: E[u | x_t] is linear for Gaussians
                double[] x = p.xt().toDoubleArray();
                double[] u = p.target().toDoubleArray();
                double mx = 0;
                double mu2 = 0;
                for (int i = 0; i < n; i++) {
                    mx += x[i] / n;
                    mu2 += u[i] / n;
                }
                double sxy = 0;
                double sxx = 0;
                for (int i = 0; i < n; i++) {
                    sxy += (x[i] - mx) * (u[i] - mu2);
                    sxx += (x[i] - mx) * (x[i] - mx);
                }
                double slope = sxy / sxx;
                double intercept = mu2 - slope * mx;
                double[] expected = marginalVelocity(t, mu, s);
                assertEquals(expected[0], slope, 0.01, "slope at t=" + t);
                assertEquals(expected[1], intercept, 0.01, "intercept at t=" + t);
            }
        }
    }

    @Test
    void theMarginalVelocityCarriesNoiseToData() {
        Engine.getInstance().setRandomSeed(33);
        double mu = 1.5;
        double s = 0.5;
        try (NDManager manager = NDManager.newBaseManager()) {
            VectorField v = (x, t) -> {
                double[] line = marginalVelocity(t, mu, s);
                return x.mul(line[0]).add(line[1]);
            };
            NDArray x0 = manager.randomNormal(0, 1, new Shape(20_000, 1), DataType.FLOAT64);
            SamplingResult r = new Rk4Solver(50).solve(v, x0, 0, 1, false);
            // the map is affine: x_1 = mu + s x_0 exactly
            double[] a = x0.toDoubleArray();
            double[] b = r.samples().toDoubleArray();
            for (int i = 0; i < 100; i++) {
                assertEquals(mu + s * a[i], b[i], 1e-4);
            }
            assertTrue(r.evaluations() == 200);
        }
    }
}
