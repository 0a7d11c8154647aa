package io.gen4j.score.sde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.gen4j.score.SamplingResult;
import io.gen4j.score.ode.DormandPrinceSolver;
import io.gen4j.score.ode.EulerSolver;
import io.gen4j.score.ode.HeunSolver;
import io.gen4j.score.ode.OdeSolver;
import io.gen4j.score.ode.Rk4Solver;
import org.junit.jupiter.api.Test;

/**
 * Reverse-SDE, predictor–corrector and probability-flow samplers with the exact score of Gaussian
 * data N(μ, diag σ²) reproduce that law, and the probability-flow ODE reproduces its closed-form map.
 */
class GaussianSdeSamplerTest {

    static final double[] MU = {1.0, -0.5};
    static final double[] SD = {0.5, 1.2};
    static final int N = 4000;

    /** Checks the sample mean within 5 standard errors + bias, and the std within a relative tolerance. */
    static void assertFollowsDataLaw(NDArray x, double bias, double relStd, String what) {
        double[] flat = x.toType(DataType.FLOAT64, false).toDoubleArray();
        int n = flat.length / 2;
        for (int d = 0; d < 2; d++) {
            double sum = 0;
            double sq = 0;
            for (int i = 0; i < n; i++) {
                sum += flat[2 * i + d];
            }
            double mean = sum / n;
            for (int i = 0; i < n; i++) {
                sq += Math.pow(flat[2 * i + d] - mean, 2);
            }
            double sd = Math.sqrt(sq / (n - 1));
            assertEquals(MU[d], mean, 5 * SD[d] / Math.sqrt(n) + bias, what + " mean of dim " + d);
            assertEquals(SD[d], sd, relStd * SD[d], what + " std of dim " + d);
        }
    }

    @Test
    void reverseSdeSamplersReproduceTheData() {
        Engine.getInstance().setRandomSeed(11);
        try (NDManager manager = NDManager.newBaseManager()) {
            for (Sde sde : new Sde[] {VpSde.defaults(), SubVpSde.defaults(), new VeSde(0.01, 20)}) {
                GaussianDataScore score = new GaussianDataScore(sde, MU, SD);
                NDArray xT = sde.samplePrior(manager, new Shape(N, 2));
                SamplingResult em = new EulerMaruyamaSampler(400).sample(sde, score, xT, false);
                assertFollowsDataLaw(em.samples(), 0.02, 0.06, "Euler-Maruyama " + sde);
                SamplingResult pc = new PredictorCorrectorSampler(200, 1, 0.16).sample(sde, score, xT, false);
                assertFollowsDataLaw(pc.samples(), 0.02, 0.06, "predictor-corrector " + sde);
                assertEquals(400, pc.evaluations());
            }
        }
    }

    @Test
    void aSamplerThatDropsTheScoreFails() {
        // the reverse SDE without its score term keeps the prior: the check must catch it
        Engine.getInstance().setRandomSeed(12);
        try (NDManager manager = NDManager.newBaseManager()) {
            Sde sde = VpSde.defaults();
            NDArray xT = sde.samplePrior(manager, new Shape(N, 2));
            SamplingResult wrong = new EulerMaruyamaSampler(200).sample(sde, (x, t) -> x.zerosLike(), xT, false);
            org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
                    () -> assertFollowsDataLaw(wrong.samples(), 0.02, 0.06, "no score"));
        }
    }

    @Test
    void probabilityFlowMatchesItsClosedFormMap() {
        // For Gaussian data the PF-ODE is linear per dimension: it maps the standardised x_T to the
        // same standardised x_eps, x_eps = mu_eps + sqrt(v_eps / v_T) (x_T - mu_T).
        Engine.getInstance().setRandomSeed(13);
        try (NDManager manager = NDManager.newBaseManager()) {
            for (Sde sde : new Sde[] {VpSde.defaults(), new VeSde(0.01, 20)}) {
                GaussianDataScore score = new GaussianDataScore(sde, MU, SD);
                double tEnd = sde.endTime();
                double eps = sde.minTime();
                NDArray xT = manager.randomNormal(0, 1, new Shape(64, 2), DataType.FLOAT64)
                        .mul(sde.priorStd());
                double[] in = xT.toDoubleArray();
                double[] muT = score.meanAt(tEnd);
                double[] vT = score.varianceAt(tEnd);
                double[] muE = score.meanAt(eps);
                double[] vE = score.varianceAt(eps);
                double[] expected = new double[in.length];
                for (int i = 0; i < in.length; i++) {
                    int d = i % 2;
                    expected[i] = muE[d] + Math.sqrt(vE[d] / vT[d]) * (in[i] - muT[d]);
                }
                double errEuler = maxError(new EulerSolver(100), sde, score, xT, expected);
                double errHeun = maxError(new HeunSolver(100), sde, score, xT, expected);
                double errRk4 = maxError(new Rk4Solver(100), sde, score, xT, expected);
                double errDp = maxError(DormandPrinceSolver.of(1e-7), sde, score, xT, expected);
                assertTrue(errRk4 < errHeun && errHeun < errEuler, sde + ": " + errEuler + " " + errHeun + " " + errRk4);
                assertTrue(errRk4 < 2e-3, sde + " RK4 error " + errRk4);
                assertTrue(errDp < 1e-4, sde + " Dormand-Prince error " + errDp);
            }
        }
    }

    private static double maxError(OdeSolver solver, Sde sde, GaussianDataScore score, NDArray xT,
            double[] expected) {
        SamplingResult r = solver.solve(sde.probabilityFlow(score), xT, sde.endTime(), sde.minTime(), false);
        double[] got = r.samples().toDoubleArray();
        double max = 0;
        for (int i = 0; i < got.length; i++) {
            max = Math.max(max, Math.abs(got[i] - expected[i]));
        }
        r.samples().close();
        return max;
    }

    @Test
    void probabilityFlowSamplesFollowTheData() {
        Engine.getInstance().setRandomSeed(14);
        try (NDManager manager = NDManager.newBaseManager()) {
            Sde sde = SubVpSde.defaults();
            GaussianDataScore score = new GaussianDataScore(sde, MU, SD);
            NDArray xT = sde.samplePrior(manager, new Shape(N, 2));
            SamplingResult r = new Rk4Solver(50).solve(sde.probabilityFlow(score), xT, 1, sde.minTime(), false);
            assertFollowsDataLaw(r.samples(), 0.01, 0.05, "PF-ODE");
            assertEquals(200, r.evaluations());
        }
    }
}
