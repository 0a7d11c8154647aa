package io.gen4j.score.ode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.model.Likelihoods;
import io.gen4j.score.VectorField;
import io.gen4j.score.sde.GaussianDataScore;
import io.gen4j.score.sde.Sde;
import io.gen4j.score.sde.VeSde;
import io.gen4j.score.sde.VpSde;
import org.junit.jupiter.api.Test;

/**
 * The likelihood through the probability-flow ODE of the exact Gaussian score equals the closed-form
 * log-density of the data law at t = ε (exact trace), and Hutchinson's estimate is unbiased.
 */
class OdeLikelihoodTest {

    static final double[] MU = {1.0, -0.5};
    static final double[] SD = {0.5, 1.2};

    /** The prior of the test is the exact p_T of the Gaussian data, so that nothing but the ODE is tested. */
    static OdeLikelihood likelihood(Sde sde, GaussianDataScore score, OdeSolver solver, TraceEstimator trace) {
        return new OdeLikelihood(sde.probabilityFlow(score), solver, sde.minTime(), sde.endTime(), trace,
                z -> z.getManager().create(score.logDensity(rows(z), sde.endTime())));
    }

    static double[][] rows(NDArray z) {
        double[] flat = z.toType(DataType.FLOAT64, false).toDoubleArray();
        double[][] r = new double[flat.length / 2][2];
        for (int i = 0; i < r.length; i++) {
            r[i][0] = flat[2 * i];
            r[i][1] = flat[2 * i + 1];
        }
        return r;
    }

    @Test
    void exactTraceGivesTheClosedFormDensity() {
        Engine.getInstance().setRandomSeed(21);
        try (NDManager manager = NDManager.newBaseManager()) {
            for (Sde sde : new Sde[] {VpSde.defaults(), new VeSde(0.01, 20)}) {
                GaussianDataScore score = new GaussianDataScore(sde, MU, SD);
                NDArray x = manager.randomNormal(0, 1, new Shape(32, 2), DataType.FLOAT64).mul(1.5);
                double[] expected = score.logDensity(rows(x), sde.minTime());
                double[] got = likelihood(sde, score, DormandPrinceSolver.of(1e-6), TraceEstimator.EXACT)
                        .logLikelihood(x).toDoubleArray();
                for (int i = 0; i < got.length; i++) {
                    assertEquals(expected[i], got[i], 2e-4, sde + " example " + i);
                }
                double[] rk4 = likelihood(sde, score, new Rk4Solver(200), TraceEstimator.EXACT)
                        .logLikelihood(x).toDoubleArray();
                assertEquals(expected[0], rk4[0], 5e-3, sde + " RK4");
            }
        }
    }

    @Test
    void hutchinsonIsUnbiased() {
        Engine.getInstance().setRandomSeed(22);
        try (NDManager manager = NDManager.newBaseManager()) {
            Sde sde = VpSde.defaults();
            GaussianDataScore score = new GaussianDataScore(sde, MU, SD);
            int n = 2000;
            // one point repeated: every row an independent probe of the same log-density
            NDArray x = manager.create(new double[] {0.7, 0.4}, new Shape(1, 2)).repeat(0, n);
            double expected = score.logDensity(new double[][] {{0.7, 0.4}}, sde.minTime())[0];
            // the Jacobian of the Gaussian field is diagonal: Rademacher probes give the trace exactly
            double[] rademacher = likelihood(sde, score, new Rk4Solver(100), TraceEstimator.HUTCHINSON_RADEMACHER)
                    .logLikelihood(x.get("0:4")).toDoubleArray();
            assertEquals(expected, rademacher[0], 5e-3, "Rademacher on a diagonal Jacobian");
            for (TraceEstimator trace : new TraceEstimator[] {TraceEstimator.HUTCHINSON_GAUSSIAN}) {
                double[] got = likelihood(sde, score, new Rk4Solver(100), trace).logLikelihood(x).toDoubleArray();
                double mean = 0;
                for (double g : got) {
                    mean += g / n;
                }
                double var = 0;
                for (double g : got) {
                    var += (g - mean) * (g - mean) / (n - 1);
                }
                double se = Math.sqrt(var / n);
                assertTrue(var > 1e-6, trace + " must be an estimate, variance " + var);
                assertEquals(expected, mean, 5 * se + 5e-3, trace + " mean of " + n + " probes");
            }
        }
    }

    @Test
    void hutchinsonOfALinearFieldHasTheTraceAsMean() {
        // v = A x with A = diag(2, -3): tr = -1 exactly; E[eps^T A eps] = -1
        Engine.getInstance().setRandomSeed(23);
        try (NDManager manager = NDManager.newBaseManager()) {
            VectorField field = (x, t) -> x.mul(x.getManager().create(new double[] {2, -3}, new Shape(1, 2)));
            NDArray x = manager.randomNormal(0, 1, new Shape(20_000, 2), DataType.FLOAT64);
            NDArray[] exact = OdeLikelihood.exact(field, x, 0);
            assertEquals(-1, exact[1].mean().getDouble(), 1e-12);
            assertEquals(-1, exact[1].max().getDouble(), 1e-12);
            NDArray probe = manager.randomNormal(0, 1, new Shape(20_000, 2), DataType.FLOAT64);
            NDArray[] h = OdeLikelihood.hutchinson(field, x, 0, probe);
            // Var[2 e1^2 - 3 e2^2] = 2 (4 + 9) = 26: standard error 0.036
            assertEquals(-1, h[1].mean().getDouble(), 0.18);
            assertTrue(h[1].sub(-1).abs().max().getDouble() > 1, "single probes must scatter");
            // a non-diagonal A = [[1, 2], [0.5, -2]], tr = -1: Rademacher gives tr + 2.5 e1 e2, variance 6.25
            VectorField mixing = (y, t) -> y.matMul(y.getManager().create(new double[] {1, 0.5, 2, -2},
                    new Shape(2, 2)));
            NDArray signs = manager.randomUniform(0, 1, new Shape(20_000, 2), DataType.FLOAT64).gte(0.5)
                    .toType(DataType.FLOAT64, false).mul(2).sub(1);
            NDArray[] r = OdeLikelihood.hutchinson(mixing, x, 0, signs);
            assertEquals(-1, r[1].mean().getDouble(), 0.09);
            assertEquals(-1, OdeLikelihood.exact(mixing, x, 0)[1].max().getDouble(), 1e-12);
            assertEquals(2.5, r[1].sub(-1).abs().max().getDouble(), 1e-9);
        }
    }

    @Test
    void dequantizedBitsPerDimAddTheBinOffset() {
        // On data already on a grid of width Delta, bits/dim = (-log p(x + u Delta) - D ln Delta) / (D ln 2)
        Engine.getInstance().setRandomSeed(24);
        try (NDManager manager = NDManager.newBaseManager()) {
            Sde sde = VpSde.defaults();
            GaussianDataScore score = new GaussianDataScore(sde, MU, SD);
            OdeLikelihood l = likelihood(sde, score, new Rk4Solver(100), TraceEstimator.EXACT);
            double delta = 1.0 / 128;
            NDArray x = manager.create(new double[] {0.5, 0.25, 1.0, -0.5}, new Shape(2, 2));
            double[] bits = l.dequantizedBitsPerDim(x, delta).toDoubleArray();
            double[] logP = score.logDensity(new double[][] {{0.5, 0.25}, {1.0, -0.5}}, sde.minTime());
            for (int i = 0; i < 2; i++) {
                // the density moves by at most |grad log p| * Delta over one bin: ~0.05 nats here
                double expected = Likelihoods.bitsPerDim(-logP[i], 2, delta);
                assertEquals(expected, bits[i], 0.05, "example " + i);
            }
        }
    }
}
