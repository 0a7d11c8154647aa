package io.gen4j.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.model.Condition;
import io.gen4j.diffusion.testing.SamplerChecks;
import io.gen4j.diffusion.testing.SamplerChecks.GaussianData;
import io.gen4j.diffusion.testing.SamplerChecks.GaussianProblem;
import io.gen4j.diffusion.testing.SamplerChecks.Moments;
import io.gen4j.diffusion.testing.SamplerChecks.Transport;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Samplers driven by the exact optimal denoiser of Gaussian data x_0 ~ N(μ, diag s²), checked
 * with the public oracle kit {@link SamplerChecks} (the checks a user runs on a sampler of their own)
 * against laws derived from the data law and the forward process alone, never from the samplers'
 * own coefficients.
 *
 * <p>Per coordinate, with a = √ᾱ_t: x_0 and x_t = a·x_0 + √(1 − a²)·ε are jointly Gaussian, so the
 * oracle is x̂_0(x_t) = μ + g·(x_t − a·μ), g = a·s²/(a²·s² + 1 − a²), and ε̂ = E[ε | x_t].
 *
 * <ul>
 *   <li>DDIM with η = 0 is an Euler discretisation of the probability-flow ODE, which in y = x/√ᾱ
 *       and σ = √(1 − ᾱ)/√ᾱ reads dy/dσ = E[ε | y] = σ·(y − μ)/(s² + σ²) (Song et al. 2021, eq.
 *       14). Its exact flow keeps (y − μ)/√(s² + σ²) constant, so it maps x_T ~ N(0, 1) to a
 *       Gaussian known in closed form, equal to the data law up to ᾱ_T; the sampler must land
 *       within an a-priori bound of Euler's error.
 *   <li>Ancestral samplers (DDPM, DDIM with η &gt; 0) compose Gaussian kernels x_s = P·x_t + Q + σ·z,
 *       here derived from Bayes' rule on q(x_t | x_s) and q(x_s | x_0) (Ho et al. 2020, eq. 6–7) and
 *       from Song et al.'s marginal-preserving family (eq. 7, 16), so the exact law of the
 *       discretised sampler is propagated in closed form and compared with the moments of N
 *       samples (tolerances from N), then with the data law (discretisation error).
 * </ul>
 */
class GaussianSamplerTest {

    static final GaussianData DATA = GaussianData.defaults();
    static final double[] MEAN = DATA.mean();
    static final double[] STD = DATA.std();
    static final int N = 4000;

    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
        Engine.getInstance().setRandomSeed(1234);
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private static DiffusionModel oracle(NoiseSchedule schedule, Prediction prediction) {
        return new GaussianProblem(DATA, schedule, prediction, TimeGrid.full(schedule.steps())).model();
    }

    // ---------------------------------------------------------------- DDIM η = 0: the ODE's flow

    static Stream<Arguments> odeCases() {
        return Stream.of(
                Arguments.of("linear T=1000, full grid, eps", NoiseSchedule.linear(1000),
                        TimeGrid.full(1000), Prediction.EPSILON, 0.02),
                Arguments.of("cosine T=1000, full grid, x0", NoiseSchedule.cosine(1000),
                        TimeGrid.full(1000), Prediction.X0, 0.04),
                Arguments.of("linear T=1000, 200 linspace, v", NoiseSchedule.linear(1000),
                        TimeGrid.spaced(1000, 200, Spacing.LINSPACE), Prediction.VELOCITY, 0.08),
                Arguments.of("linear T=1000, 100 trailing, eps", NoiseSchedule.linear(1000),
                        TimeGrid.spaced(1000, 100, Spacing.TRAILING), Prediction.EPSILON, 0.16));
    }

    /**
     * DDIM η = 0 is Euler's method on the probability-flow ODE: it must be deterministic and land
     * within the a-priori Euler bound δ of {@link SamplerChecks#eulerBounds} of the exact flow's end
     * point, which maps x_T ~ N(0, 1) to N(B*, A*²) with A* = r/√ᾱ_T, B* = μ·(1 − r), r = s/√(s² +
     * σ_T²) ({@link SamplerChecks#exactOdeTransport}); A*² = s²/(ᾱ_T·s² + 1 − ᾱ_T) is the data
     * variance up to ᾱ_T.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("odeCases")
    void ddimWithEtaZeroIsTheProbabilityFlowOdesTransportWithinEulersError(
            String name, NoiseSchedule schedule, TimeGrid grid, Prediction prediction,
            double maxBound) {
        GaussianProblem problem = new GaussianProblem(DATA, schedule, prediction, grid);
        double[] delta = SamplerChecks.eulerBounds(problem);
        for (double d : delta) {
            assertTrue(d < maxBound, name + ": the bound " + d + " is too loose to test");
        }
        SamplerChecks.assertDeterministicTransport(DdimSampler.deterministic(), problem, delta, manager);
        Transport exact = SamplerChecks.exactOdeTransport(problem);
        for (int d = 0; d < 3; d++) {
            double v = STD[d] * STD[d];
            // The exact flow from N(0, 1) is the data law up to the terminal ᾱ (< 1e-4 here).
            assertEquals(v, exact.scale()[d] * exact.scale()[d], 1e-3 * v, name + ": exact variance vs data");
            assertEquals(MEAN[d], exact.offset()[d], 1e-2, name + ": exact mean vs data");
        }
    }

    /** First-order samplers make one network evaluation per visited step. */
    @Test
    void firstOrderSamplersEvaluateOncePerStep() {
        NoiseSchedule schedule = NoiseSchedule.linear(100);
        TimeGrid grid = TimeGrid.spaced(100, 7, Spacing.TRAILING);
        NDArray xT = manager.randomNormal(0, 1, new Shape(4, 3), DataType.FLOAT64);
        for (Sampler sampler : List.of(DdpmSampler.defaults(), DdimSampler.deterministic(), new DdimSampler(0.5))) {
            assertEquals(grid.size(), sampler.sample(oracle(schedule, Prediction.EPSILON), xT, grid,
                    Condition.none(), false).steps(), sampler.toString());
        }
    }

    // ---------------------------------------------------- ancestral samplers: composed kernels

    /** One reverse step on one coordinate: x_s = p·x_t + q + √variance·z. */
    record Kernel(double p, double q, double variance) {}

    /** The oracle x̂_0 = g·x_t + o at step t for data N(μ, v). */
    private static double[] oracleX0(double alphaBarT, double mu, double v) {
        double a = Math.sqrt(alphaBarT);
        double g = a * v / (alphaBarT * v + 1 - alphaBarT);
        return new double[] {g, mu - g * a * mu};
    }

    /**
     * DDPM's kernel from t to s &lt; t: the posterior q(x_s | x_t, x_0) by Bayes' rule,
     * q(x_s | x_t, x_0) ∝ N(x_t; √(ᾱ_t/ᾱ_s)·x_s, 1 − ᾱ_t/ᾱ_s) · N(x_s; √ᾱ_s·x_0, 1 − ᾱ_s): precision
     * (ᾱ_t/ᾱ_s)/(1 − ᾱ_t/ᾱ_s) + 1/(1 − ᾱ_s), mean (precision-weighted) with x_0 = x̂_0(x_t).
     * Variance: the posterior's ("small") or the forward kernel's 1 − ᾱ_t/ᾱ_s ("large"). To clean
     * data (s = −1) the posterior is the point x̂_0.
     */
    static Kernel ddpmKernel(NoiseSchedule schedule, int t, int s, double mu, double v,
            boolean large) {
        double abT = schedule.alphaBar(t);
        double[] x0 = oracleX0(abT, mu, v);
        if (s < 0) {
            return new Kernel(x0[0], x0[1], 0);
        }
        double abS = schedule.alphaBar(s);
        double forwardScale = Math.sqrt(abT / abS);
        double forwardVariance = 1 - abT / abS;
        double priorVariance = 1 - abS;
        double posteriorVariance = 1 / (forwardScale * forwardScale / forwardVariance
                + 1 / priorVariance);
        double fromXt = posteriorVariance * forwardScale / forwardVariance;
        double fromX0 = posteriorVariance * Math.sqrt(abS) / priorVariance;
        return new Kernel(fromXt + fromX0 * x0[0], fromX0 * x0[1],
                large ? forwardVariance : posteriorVariance);
    }

    /**
     * DDIM's kernel (Song et al. 2021): q_σ(x_s | x_t, x_0) = N(√ᾱ_s·x_0 + k·(x_t − √ᾱ_t·x_0), σ²)
     * (eq. 7), with σ² = η²·(1 − ᾱ_s)/(1 − ᾱ_t)·(1 − ᾱ_t/ᾱ_s) (eq. 16) and k fixed by requiring
     * q_σ(x_s | x_0) = N(√ᾱ_s·x_0, 1 − ᾱ_s) when x_t ~ q(x_t | x_0): k²·(1 − ᾱ_t) + σ² = 1 − ᾱ_s.
     * Then x_0 = x̂_0(x_t).
     */
    static Kernel ddimKernel(NoiseSchedule schedule, int t, int s, double mu, double v,
            double eta) {
        double abT = schedule.alphaBar(t);
        double abS = schedule.alphaBar(s);
        double[] x0 = oracleX0(abT, mu, v);
        double variance = eta * eta * (1 - abS) / (1 - abT) * (1 - abT / abS);
        double k = Math.sqrt((1 - abS - variance) / (1 - abT));
        double a = Math.sqrt(abT);
        return new Kernel(Math.sqrt(abS) * x0[0] + k * (1 - a * x0[0]),
                (Math.sqrt(abS) - k * a) * x0[1], variance);
    }

    static Kernel kernel(Sampler sampler, NoiseSchedule schedule, int t, int s, double mu,
            double v) {
        if (sampler instanceof DdimSampler ddim) {
            return ddimKernel(schedule, t, s, mu, v, ddim.eta());
        }
        DdpmSampler ddpm = (DdpmSampler) sampler;
        return ddpmKernel(schedule, t, s, mu, v, ddpm.variance() == DdpmVariance.FIXED_LARGE);
    }

    /** Mean and variance of one coordinate after the sampler, from x_T ~ N(0, 1). */
    static double[] propagatedLaw(Sampler sampler, NoiseSchedule schedule, TimeGrid grid,
            double mu, double v) {
        double m = 0;
        double var = 1;
        for (int i = 0; i < grid.size(); i++) {
            Kernel k = kernel(sampler, schedule, grid.step(i), grid.next(i), mu, v);
            m = k.p() * m + k.q();
            var = k.p() * k.p() * var + k.variance();
        }
        return new double[] {m, var};
    }

    /** The two derivations must agree where the theory says they do: DDIM η = 1 is DDPM. */
    @Test
    void theTestsKernelsAgreeAtEtaOne() {
        NoiseSchedule schedule = NoiseSchedule.cosine(1000);
        TimeGrid grid = TimeGrid.spaced(1000, 50, Spacing.TRAILING);
        for (int i = 0; i < grid.size(); i++) {
            int t = grid.step(i);
            int s = grid.next(i);
            Kernel ddpm = ddpmKernel(schedule, t, s, 0.5, 0.16, false);
            Kernel ddim = ddimKernel(schedule, t, s, 0.5, 0.16, 1.0);
            assertEquals(ddpm.p(), ddim.p(), 1e-9, "p at " + t);
            assertEquals(ddpm.q(), ddim.q(), 1e-9, "q at " + t);
            assertEquals(ddpm.variance(), ddim.variance(), 1e-12, "variance at " + t);
        }
    }

    static Stream<Arguments> ancestralCases() {
        return Stream.of(
                Arguments.of("DDPM small, full grid", new DdpmSampler(DdpmVariance.FIXED_SMALL),
                        0, Spacing.LINSPACE, Prediction.EPSILON, 0.08),
                Arguments.of("DDPM large, full grid", new DdpmSampler(DdpmVariance.FIXED_LARGE),
                        0, Spacing.LINSPACE, Prediction.EPSILON, 0.08),
                Arguments.of("DDPM small, 100 linspace, v", DdpmSampler.defaults(), 100,
                        Spacing.LINSPACE, Prediction.VELOCITY, 0.15),
                Arguments.of("DDPM large, 50 trailing, x0", new DdpmSampler(DdpmVariance.FIXED_LARGE),
                        50, Spacing.TRAILING, Prediction.X0, 0.25),
                Arguments.of("DDIM eta=1, 50 linspace", new DdimSampler(1.0), 50, Spacing.LINSPACE,
                        Prediction.EPSILON, 0.25),
                Arguments.of("DDIM eta=0.5, 50 quadratic, x0", new DdimSampler(0.5), 50,
                        Spacing.QUADRATIC, Prediction.X0, 0.15));
    }

    /**
     * Draws N samples and compares their mean and covariance with (a) the exact law of the
     * discretised sampler, propagated through the kernels derived above ({@link
     * SamplerChecks#assertMomentsMatch}: 4 standard errors of N samples), and (b) the data law
     * (first-order discretisation error: 8 % of the variance on the full grid of T = 250, 15–25 %
     * with 50–100 steps, ancestral sampling with few steps being the least accurate).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("ancestralCases")
    void ancestralSamplersFollowTheComposedKernels(
            String name, Sampler sampler, int steps, Spacing spacing, Prediction prediction,
            double dataTolerance) {
        // Full-grid ancestral sampling on T = 250 keeps the test fast; spaced grids use T = 1000.
        NoiseSchedule schedule = NoiseSchedule.cosine(steps == 0 ? 250 : 1000);
        TimeGrid grid = steps == 0 ? TimeGrid.full(250) : TimeGrid.spaced(1000, steps, spacing);
        Moments moments = SamplerChecks.sampleMoments(sampler, new GaussianProblem(DATA, schedule, prediction, grid),
                N, 1234, manager);
        double[] lawMean = new double[3];
        double[] lawVariance = new double[3];
        for (int d = 0; d < 3; d++) {
            double v = STD[d] * STD[d];
            double[] law = propagatedLaw(sampler, schedule, grid, MEAN[d], v);
            lawMean[d] = law[0];
            lawVariance[d] = law[1];
            assertEquals(MEAN[d], law[0], 0.01, name + ": propagated mean vs data");
            assertEquals(v, law[1], dataTolerance * v, name + ": propagated variance vs data");
        }
        SamplerChecks.assertMomentsMatch(moments, lawMean, lawVariance, name + " vs the propagated law");
    }

    /** The result contract of the kit: memory, x_T untouched, trajectory from x_T to the samples. */
    @Test
    void resultsKeepTheSamplerContract() {
        NoiseSchedule schedule = NoiseSchedule.linear(100);
        DiffusionModel model = oracle(schedule, Prediction.EPSILON);
        NDArray xT = manager.randomNormal(0, 1, new Shape(8, 3), DataType.FLOAT32);
        SamplerChecks.assertSamplerHygiene(DdpmSampler.defaults(), model, xT, TimeGrid.full(100));
        SamplerChecks.assertSamplerHygiene(new DdimSampler(0.3), model, xT, TimeGrid.spaced(100, 10, Spacing.LINSPACE));
        SamplerResult r = DdpmSampler.defaults().sample(model, xT, TimeGrid.full(100), Condition.none(), false);
        assertTrue(r.wallTime().toNanos() > 0);
    }
}
