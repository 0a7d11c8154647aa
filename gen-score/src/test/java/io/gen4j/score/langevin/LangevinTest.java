package io.gen4j.score.langevin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.testing.BlockChecks;
import io.gen4j.score.SamplingResult;
import io.gen4j.score.ScoreFunction;
import org.junit.jupiter.api.Test;

/**
 * Langevin dynamics on a Gaussian with its exact score reaches the closed-form stationary law of the
 * unadjusted chain; annealed Langevin with the exact noise-conditional score reaches the data law.
 */
class LangevinTest {

    static double[] moments(NDArray x, int dim, int dims) {
        double[] a = x.toType(DataType.FLOAT64, false).toDoubleArray();
        int n = a.length / dims;
        double mean = 0;
        for (int i = 0; i < n; i++) {
            mean += a[i * dims + dim] / n;
        }
        double var = 0;
        for (int i = 0; i < n; i++) {
            var += Math.pow(a[i * dims + dim] - mean, 2) / (n - 1);
        }
        return new double[] {mean, var};
    }

    @Test
    void unadjustedLangevinHasItsClosedFormBias() {
        Engine.getInstance().setRandomSeed(61);
        double mu = -1;
        double s2 = 1;
        ScoreFunction score = (x, t) -> x.sub(mu).mul(-1 / s2);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x0 = manager.zeros(new Shape(8000, 1));
            for (double alpha : new double[] {0.05, 0.5}) {
                SamplingResult r = new LangevinDynamics(300, alpha).run(score, x0, 0, false);
                double[] m = moments(r.samples(), 0, 1);
                double stationary = s2 / (1 - alpha / (4 * s2));
                assertEquals(mu, m[0], 0.05, "mean, alpha " + alpha);
                assertEquals(stationary, m[1], 0.05 * stationary, "variance, alpha " + alpha);
            }
            // the bias is real: at alpha = 0.5 the variance is 8/7, not 1
            SamplingResult r = new LangevinDynamics(300, 0.5).run(score, x0, 0, false);
            double v = moments(r.samples(), 0, 1)[1];
            org.junit.jupiter.api.Assertions.assertTrue(v > 1.07, "variance " + v);
        }
    }

    @Test
    void annealedLangevinReachesTheData() {
        Engine.getInstance().setRandomSeed(62);
        double[] mu = {1.0, -2.0};
        double[] s = {0.5, 0.8};
        // the exact noise-conditional score of N(mu, s^2) perturbed by sigma: -(x - mu)/(s^2 + sigma^2)
        ScoreFunction score = (x, sigma) -> x.sub(x.getManager().create(mu, new Shape(1, 2)).toType(x.getDataType(), false))
                .div(x.getManager().create(new double[] {s[0] * s[0] + sigma * sigma, s[1] * s[1] + sigma * sigma},
                        new Shape(1, 2)).toType(x.getDataType(), false)).neg();
        double[] sigmas = new io.gen4j.score.matching.NoiseLevels(3, 0.05, 10).sigmas();
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x0 = manager.randomUniform(-3, 3, new Shape(4000, 2));
            int before = BlockChecks.countManagedArrays(manager);
            SamplingResult r = new AnnealedLangevinDynamics(sigmas, 100, 0.005, true).run(score, x0, true);
            assertEquals(1001 + 1, r.trajectory().size());
            assertEquals(before + 1 + 1002, BlockChecks.countManagedArrays(manager), "only the results were added");
            for (int d = 0; d < 2; d++) {
                double[] m = moments(r.samples(), d, 2);
                assertEquals(mu[d], m[0], 0.05, "mean " + d);
                assertEquals(s[d], Math.sqrt(m[1]), 0.05 * s[d], "std " + d);
            }
        }
    }
}
