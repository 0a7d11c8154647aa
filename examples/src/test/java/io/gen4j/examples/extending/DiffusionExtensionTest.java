package io.gen4j.examples.extending;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.model.Condition;
import io.gen4j.diffusion.DdimSampler;
import io.gen4j.diffusion.Ddpm;
import io.gen4j.diffusion.DdpmSpec;
import io.gen4j.diffusion.DiffusionModel;
import io.gen4j.diffusion.LossWeighting;
import io.gen4j.diffusion.NoiseSchedule;
import io.gen4j.diffusion.Prediction;
import io.gen4j.diffusion.Sampler;
import io.gen4j.diffusion.SamplerLoop;
import io.gen4j.diffusion.SamplerResult;
import io.gen4j.diffusion.Spacing;
import io.gen4j.diffusion.TimeGrid;
import io.gen4j.diffusion.testing.SamplerChecks;
import io.gen4j.diffusion.testing.SamplerChecks.GaussianData;
import io.gen4j.diffusion.testing.SamplerChecks.GaussianProblem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/**
 * Extending diffusion (docs/extending.md): a noise schedule of your own through {@link
 * NoiseSchedule#fromBetas}, a {@link LossWeighting} of your own, and a {@link Sampler} of your own
 * (Heun's method on the probability-flow ODE), checked with the oracle kit {@link SamplerChecks} on
 * the exact denoiser of Gaussian data. Public API only.
 */
class DiffusionExtensionTest {

    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    // ------------------------------------------------------------------ a schedule

    /**
     * The sigmoid schedule of Jabri, Fleet &amp; Chen 2023 ("Scalable Adaptive Computation for
     * Iterative Generation", algorithm 2) in continuous time u ∈ [0, 1],
     *
     * <pre>
     *   γ(u) = (σ(end/τ) − σ((u·(end − start) + start)/τ)) / (σ(end/τ) − σ(start/τ)),
     * </pre>
     *
     * discretised as ᾱ_t = γ((t + 1)/(T + 1)) through its betas, β_t = 1 − γ((t+1)/(T+1)) /
     * γ(t/(T+1)): the grid stops short of u = 1, where γ = 0 would be zero terminal SNR, so no β
     * needs clipping (clipping the last one, as the cosine schedule does, would leave a jump in σ
     * from step T−2 to T−1 that a second-order sampler handles badly).
     */
    static final class SigmoidSchedule {

        private SigmoidSchedule() {}

        static double gamma(double u, double start, double end, double tau) {
            double vStart = sigmoid(start / tau);
            double vEnd = sigmoid(end / tau);
            return (vEnd - sigmoid((u * (end - start) + start) / tau)) / (vEnd - vStart);
        }

        /**
         * @param steps T
         * @param start the start of the sigmoid's window, e.g. −3
         * @param end its end, e.g. 3
         * @param tau its temperature, e.g. 1 (larger: closer to linear in u)
         * @return the schedule, type CUSTOM
         */
        static NoiseSchedule create(int steps, double start, double end, double tau) {
            double[] betas = new double[steps];
            for (int t = 0; t < steps; t++) {
                double u = (t + 1.0) / (steps + 1);
                double previous = (double) t / (steps + 1);
                betas[t] = 1 - gamma(u, start, end, tau) / gamma(previous, start, end, tau);
            }
            return NoiseSchedule.fromBetas(betas);
        }

        private static double sigmoid(double x) {
            return 1 / (1 + Math.exp(-x));
        }
    }

    @Test
    void theSigmoidScheduleHasTheClosedFormAlphaBarAndSurvivesASavedSpec() {
        NoiseSchedule s = SigmoidSchedule.create(1000, -3, 3, 1);
        assertEquals(NoiseSchedule.Type.CUSTOM, s.type());
        for (int t = 0; t < 1000; t++) {
            assertEquals(SigmoidSchedule.gamma((t + 1) / 1001.0, -3, 3, 1), s.alphaBar(t), 1e-12, "alphaBar at " + t);
        }
        assertEquals(3.0e-4, s.alphaBar(999), 1e-5, "terminal alphaBar, away from zero SNR");
        // model.json keeps a custom schedule as its betas: the same schedule comes back
        assertEquals(s, DdpmSpec.Schedule.of(s).toNoiseSchedule());
        assertEquals(s, NoiseSchedule.fromBetas(s.betas()));
    }

    // ------------------------------------------------------------------ a loss weighting

    /**
     * Truncated-SNR weighting (Salimans &amp; Ho 2022, "Progressive Distillation", §4): the x_0-space
     * weight λ = max(SNR, 1), i.e. the loss max(‖x_0 − x̂_0‖², ‖ε − ε̂‖²) whatever the network
     * predicts. {@link LossWeighting#fromX0Space} expresses it in the network's parameterisation.
     */
    record TruncatedSnr() implements LossWeighting {
        @Override
        public double weight(double snr, Prediction prediction) {
            return LossWeighting.fromX0Space(Math.max(snr, 1), snr, prediction);
        }
    }

    /**
     * A weighting defined in x_0-space gives the same loss whatever the network predicts: with the
     * exact denoiser (the same x̂_0 in every parameterisation) and the same draws of t and ε, {@link
     * Ddpm#loss} is equal for ε, x_0 and v; with uniform weighting it is not.
     */
    @Test
    void aWeightingDefinedInX0SpaceGivesTheSameLossInEveryParameterisation() {
        NoiseSchedule schedule = SigmoidSchedule.create(200, -3, 3, 1);
        GaussianData data = GaussianData.defaults();
        NDArray x0 = manager.randomNormal(0, 1, new Shape(256, 3), DataType.FLOAT64)
                .mul(manager.create(data.std())).add(manager.create(data.mean()));
        double[] truncated = new double[3];
        double[] uniform = new double[3];
        Prediction[] predictions = {Prediction.EPSILON, Prediction.X0, Prediction.VELOCITY};
        for (int i = 0; i < 3; i++) {
            DiffusionModel oracle = new GaussianProblem(data, schedule, predictions[i], TimeGrid.full(200)).model();
            Engine.getInstance().setRandomSeed(17);
            truncated[i] = new Ddpm(oracle, new TruncatedSnr()).loss(x0, Condition.none()).getDouble();
            Engine.getInstance().setRandomSeed(17);
            uniform[i] = Ddpm.simple(oracle).loss(x0, Condition.none()).getDouble();
        }
        assertEquals(truncated[0], truncated[1], 1e-9 * truncated[0], "eps vs x0");
        assertEquals(truncated[0], truncated[2], 1e-9 * truncated[0], "eps vs v");
        assertNotEquals(uniform[0], uniform[1], 1e-3 * uniform[0], "uniform weighting depends on the parameterisation");
        assertEquals(1.0, new TruncatedSnr().weight(0.25, Prediction.X0), 0.0);
        assertEquals(1.0 / 0.25, new TruncatedSnr().weight(0.25, Prediction.EPSILON), 1e-12);
        assertEquals(4.0 / 5.0, new TruncatedSnr().weight(4, Prediction.VELOCITY), 1e-12);
    }

    // ------------------------------------------------------------------ a sampler

    /**
     * Heun's second-order method on the probability-flow ODE (Karras et al. 2022, "Elucidating the
     * Design Space of Diffusion-Based Generative Models", algorithm 1 without churn), on a DDPM grid.
     * In y = x/√ᾱ and σ = √(1 − ᾱ)/√ᾱ the ODE is dy/dσ = ε̂(x, t). From step t to s:
     *
     * <pre>
     *   y' = y + (σ_s − σ_t)·ε̂(x_t, t)                               Euler predictor (= DDIM, η = 0)
     *   y_s = y + (σ_s − σ_t)·(ε̂(x_t, t) + ε̂(√ᾱ_s·y', s))/2           trapezoidal corrector
     * </pre>
     *
     * and x_s = √ᾱ_s·y_s; the last step, to σ = 0, is Euler's (x̂_0). 2n − 1 network evaluations
     * on an n-step grid. Stateless: a record over {@link SamplerLoop}, which keeps memory flat.
     */
    public record HeunSampler() implements Sampler {
        @Override
        public SamplerResult sample(DiffusionModel model, NDArray xT, TimeGrid grid, Condition condition,
                boolean keepTrajectory) {
            SamplerResult r = SamplerLoop.run(model, xT, SamplerLoop.reverse(grid, model.schedule()), condition,
                    keepTrajectory, (x, estimate, t, s, schedule) -> {
                        double abT = schedule.alphaBar(t);
                        double abS = schedule.alphaBar(s); // 1 for s = -1 (clean data)
                        double h = Math.sqrt((1 - abS) / abS) - Math.sqrt((1 - abT) / abT);
                        NDArray y = x.div(Math.sqrt(abT));
                        NDArray euler = y.add(estimate.epsilon().mul(h));
                        if (s < 0) {
                            return euler;
                        }
                        NDArray slope = model.estimate(euler.mul(Math.sqrt(abS)), s, condition).epsilon();
                        return y.add(estimate.epsilon().add(slope).mul(0.5 * h)).mul(Math.sqrt(abS));
                    });
            return new SamplerResult(r.samples(), r.trajectory(), 2 * grid.size() - 1, r.wallTime());
        }
    }

    /** A bug the kit must catch: the corrector's slope is not averaged. */
    record BrokenHeunSampler() implements Sampler {
        @Override
        public SamplerResult sample(DiffusionModel model, NDArray xT, TimeGrid grid, Condition condition,
                boolean keepTrajectory) {
            return SamplerLoop.run(model, xT, SamplerLoop.reverse(grid, model.schedule()), condition,
                    keepTrajectory, (x, estimate, t, s, schedule) -> {
                        double abT = schedule.alphaBar(t);
                        double abS = schedule.alphaBar(s);
                        double h = Math.sqrt((1 - abS) / abS) - Math.sqrt((1 - abT) / abT);
                        NDArray y = x.div(Math.sqrt(abT));
                        NDArray euler = y.add(estimate.epsilon().mul(h));
                        if (s < 0) {
                            return euler;
                        }
                        NDArray slope = model.estimate(euler.mul(Math.sqrt(abS)), s, condition).epsilon();
                        return y.add(estimate.epsilon().add(slope).mul(h)).mul(Math.sqrt(abS));
                    });
        }
    }

    private static GaussianProblem problem(int steps) {
        return new GaussianProblem(GaussianData.defaults(), SigmoidSchedule.create(1000, -3, 3, 1), Prediction.EPSILON,
                TimeGrid.spaced(1000, steps, Spacing.LINSPACE));
    }

    /**
     * On the sigmoid schedule, Heun lands within Euler's a-priori bound of the exact ODE end point
     * (the kit's transport check; a loose bound for a second-order method) and, being second order,
     * at least five times closer than DDIM η = 0 (Euler) on the same grid. The grid ends at step 0
     * (σ ≈ 0.017), so the last, first-order step to clean data costs little.
     */
    @Test
    void heunFollowsTheExactProbabilityFlowAndBeatsEuler() {
        GaussianProblem problem = problem(100);
        double[] bounds = SamplerChecks.eulerBounds(problem);
        double[] heun = SamplerChecks.assertDeterministicTransport(new HeunSampler(), problem, bounds, manager);
        double[] euler = SamplerChecks.assertDeterministicTransport(DdimSampler.deterministic(), problem, bounds,
                manager);
        for (int d = 0; d < heun.length; d++) {
            assertTrue(heun[d] < euler[d] / 5, "dimension " + d + ": Heun " + heun[d] + ", Euler " + euler[d]);
        }
    }

    /** From x_T ~ N(0, I) Heun's samples follow the data law, and it keeps the sampler contract. */
    @Test
    void heunSamplesTheDataLawAndKeepsTheSamplerContract() {
        GaussianProblem problem = problem(100);
        SamplerChecks.assertSamplesFollowTheDataLaw(new HeunSampler(), problem, 4000, 5, 0.005, 0.01, manager);
        NDArray xT = manager.randomNormal(0, 1, new Shape(8, 3), DataType.FLOAT32);
        SamplerChecks.assertSamplerHygiene(new HeunSampler(), problem.model(), xT, problem.grid());
        assertEquals(199, new HeunSampler().sample(problem.model(), xT, problem.grid(), Condition.none(), false)
                .steps());
    }

    /** The kit has teeth: a corrector that forgets to average is caught by the transport check. */
    @Test
    void theOracleCatchesABrokenSampler() {
        GaussianProblem problem = problem(100);
        assertThrows(AssertionFailedError.class, () -> SamplerChecks.assertDeterministicTransport(
                new BrokenHeunSampler(), problem, SamplerChecks.eulerBounds(problem), manager));
    }
}
