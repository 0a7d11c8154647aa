package io.gen4j.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.runtime.StopRequestedException;
import io.gen4j.core.runtime.StopSignal;
import io.gen4j.core.testing.BlockChecks;
import io.gen4j.score.ode.DormandPrinceSolver;
import io.gen4j.score.ode.EulerSolver;
import io.gen4j.score.ode.HeunSolver;
import io.gen4j.score.ode.OdeLikelihood;
import io.gen4j.score.ode.OdeSolver;
import io.gen4j.score.ode.Rk4Solver;
import io.gen4j.score.ode.TraceEstimator;
import io.gen4j.score.sde.AncestralSampler;
import io.gen4j.score.sde.DiscreteVpSde;
import io.gen4j.score.sde.EulerMaruyamaSampler;
import io.gen4j.score.sde.GaussianDataScore;
import io.gen4j.score.sde.PredictorCorrectorSampler;
import io.gen4j.score.sde.SdeSampler;
import io.gen4j.score.sde.VpSde;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every sampler, solver and the ODE likelihood leave only their result in the caller's manager. */
class SamplerMemoryTest {

    /** A discrete VP process of 40 steps of β = 0.05. */
    private static DiscreteVpSde discreteVp() {
        double[] betas = new double[40];
        java.util.Arrays.fill(betas, 0.05);
        return new DiscreteVpSde(betas);
    }

    @Test
    void samplersAndSolversLeaveOnlyTheirResult() {
        Engine.getInstance().setRandomSeed(5);
        VpSde vp = VpSde.defaults();
        DiscreteVpSde discrete = discreteVp();
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray xT = manager.randomNormal(new Shape(16, 2));
            int before = BlockChecks.countManagedArrays(manager);
            for (int repeat = 0; repeat < 2; repeat++) {
                for (SdeSampler s : List.of(new EulerMaruyamaSampler(30), new PredictorCorrectorSampler(10, 2, 0.1))) {
                    SamplingResult r = s.sample(vp, new GaussianDataScore(vp, new double[] {0, 1},
                            new double[] {1, 2}), xT, false);
                    assertEquals(before + 1, BlockChecks.countManagedArrays(manager), s.toString());
                    r.samples().close();
                }
                SamplingResult a = new AncestralSampler().sample(discrete, new GaussianDataScore(discrete,
                        new double[] {0, 1}, new double[] {1, 2}), xT, true);
                assertEquals(before + 1 + 41, BlockChecks.countManagedArrays(manager), "ancestral with trajectory");
                a.trajectory().forEach(NDArray::close);
                a.samples().close();
                VectorField field = vp.probabilityFlow(new GaussianDataScore(vp, new double[] {0, 1},
                        new double[] {1, 2}));
                for (OdeSolver solver : List.of(new EulerSolver(10), new HeunSolver(10), new Rk4Solver(10),
                        DormandPrinceSolver.of(1e-4))) {
                    SamplingResult r = solver.solve(field, xT, 1, 1e-3, false);
                    assertEquals(before + 1, BlockChecks.countManagedArrays(manager), solver.toString());
                    r.samples().close();
                }
                for (TraceEstimator trace : TraceEstimator.values()) {
                    NDArray logP = new OdeLikelihood(field, new Rk4Solver(5), 1e-3, 1, trace, vp::priorLogDensity)
                            .logLikelihood(xT);
                    assertEquals(before + 1, BlockChecks.countManagedArrays(manager), trace.toString());
                    logP.close();
                }
                io.gen4j.score.sde.GaussianDataScore gaussian = new io.gen4j.score.sde.GaussianDataScore(vp,
                        new double[] {0, 1}, new double[] {1, 2});
                SamplingResult l = new io.gen4j.score.langevin.LangevinDynamics(20, 0.1).run(gaussian, xT, 0.5, false);
                assertEquals(before + 1, BlockChecks.countManagedArrays(manager), "Langevin");
                l.samples().close();
                SamplingResult a2 = new io.gen4j.score.langevin.AnnealedLangevinDynamics(new double[] {1, 0.5}, 5, 0.01,
                        true).run(gaussian, xT, false);
                assertEquals(before + 1, BlockChecks.countManagedArrays(manager), "annealed Langevin");
                a2.samples().close();
                assertEquals(before, BlockChecks.countManagedArrays(manager));
            }
        }
    }

    @Test
    void everySamplerAndSolverStopsAtASafePointAndLeavesNothing() {
        VpSde vp = VpSde.defaults();
        DiscreteVpSde discrete = discreteVp();
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray xT = manager.randomNormal(new Shape(16, 2));
            int before = BlockChecks.countManagedArrays(manager);
            GaussianDataScore score = new GaussianDataScore(vp, new double[] {0, 1}, new double[] {1, 2});
            VectorField field = vp.probabilityFlow(score);
            io.gen4j.score.sde.GaussianDataScore gaussian = new io.gen4j.score.sde.GaussianDataScore(vp,
                    new double[] {0, 1}, new double[] {1, 2});
            Map<String, Runnable> runs = new java.util.LinkedHashMap<>();
            runs.put("Euler-Maruyama", () -> new EulerMaruyamaSampler(30).sample(vp, score, xT, false));
            runs.put("predictor-corrector", () -> new PredictorCorrectorSampler(10, 2, 0.1).sample(vp, score, xT,
                    false));
            runs.put("ancestral", () -> new AncestralSampler().sample(discrete, new GaussianDataScore(discrete,
                    new double[] {0, 1}, new double[] {1, 2}), xT, true));
            for (OdeSolver solver : List.of(new EulerSolver(10), new HeunSolver(10), new Rk4Solver(10),
                    DormandPrinceSolver.of(1e-4))) {
                runs.put(solver.toString(), () -> solver.solve(field, xT, 1, 1e-3, false));
            }
            runs.put("ODE likelihood", () -> new OdeLikelihood(field, new Rk4Solver(5), 1e-3, 1,
                    TraceEstimator.values()[0], vp::priorLogDensity).logLikelihood(xT));
            runs.put("Langevin", () -> new io.gen4j.score.langevin.LangevinDynamics(20, 0.1).run(gaussian, xT, 0.5,
                    false));
            runs.put("annealed Langevin", () -> new io.gen4j.score.langevin.AnnealedLangevinDynamics(
                    new double[] {1, 0.5}, 5, 0.01, true).run(gaussian, xT, false));
            StopSignal.request("test");
            try {
                for (Map.Entry<String, Runnable> run : runs.entrySet()) {
                    assertThrows(StopRequestedException.class, run.getValue()::run, run.getKey());
                    assertEquals(before, BlockChecks.countManagedArrays(manager), run.getKey());
                }
            } finally {
                StopSignal.clear();
            }
        }
    }
}
