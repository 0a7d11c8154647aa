package io.gen4j.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.model.Condition;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Samplers driven by the exact optimal denoiser of Gaussian data x_0 ~ N(μ, diag s²), checked
 * against laws derived here from the data law and the forward process alone, never from the
 * samplers' own coefficients.
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

    static final double[] MEAN = {0.5, -0.3, 0.0};
    static final double[] STD = {0.4, 0.8, 0.25};
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
        return new DiffusionModel(new GaussianDataDenoiser(schedule, MEAN, STD, prediction),
                schedule, prediction);
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
     * DDIM η = 0 is deterministic and affine in x_T with the oracle, so two probes (x_T = 0 and
     * x_T = 1) give its exact output law from N(0, 1): N(B, A²). The exact ODE flow from σ_T to 0
     * gives x_0 = μ + (x_T/√ᾱ_T − μ)·r with r = s/√(s² + σ_T²), i.e. A* = r/√ᾱ_T and B* = μ·(1 −
     * r), and A*² = s²/(ᾱ_T·s² + 1 − ᾱ_T) is the data variance up to ᾱ_T. Euler's global error,
     * relative to the exact end point, is at most δ = Σ_i h_i·(ψ(σ_i) − ψ(σ_{i+1}))/s with h_i =
     * σ_i − σ_{i+1} and ψ(σ) = σ/√(s² + σ²): along the exact path the field is C·ψ(σ), increasing in
     * σ, so one step's local error is at most h_i·|C|·(ψ(σ_i) − ψ(σ_{i+1})), and each Euler factor
     * 1 − h_i·σ_i/(s² + σ_i²) lies in [0, 1], so errors do not grow.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("odeCases")
    void ddimWithEtaZeroIsTheProbabilityFlowOdesTransportWithinEulersError(
            String name, NoiseSchedule schedule, TimeGrid grid, Prediction prediction,
            double maxBound) {
        NDArray probes = manager.create(new double[] {0, 0, 0, 1, 1, 1}, new Shape(2, 3));
        SamplerResult r = DdimSampler.deterministic().sample(oracle(schedule, prediction), probes,
                grid, Condition.none(), false);
        assertEquals(grid.size(), r.steps());
        double[] out = r.samples().toDoubleArray();
        double abT = schedule.alphaBar(grid.step(0));
        double sigmaT = Math.sqrt((1 - abT) / abT);
        for (int d = 0; d < 3; d++) {
            double v = STD[d] * STD[d];
            double b = out[d];
            double a = out[3 + d] - out[d];
            double shrink = STD[d] / Math.sqrt(v + sigmaT * sigmaT);
            double aExact = shrink / Math.sqrt(abT);
            double bExact = MEAN[d] * (1 - shrink);
            double delta = eulerBound(schedule, grid, v);
            assertTrue(delta < maxBound, name + ": the bound " + delta + " is too loose to test");
            assertEquals(aExact, a, delta * aExact,
                    name + ": scale of coordinate " + d + " (Euler bound " + delta + ")");
            assertEquals(bExact, b, delta * Math.abs(MEAN[d]) * shrink + 1e-12,
                    name + ": offset of coordinate " + d);
            // The exact flow from N(0, 1) is the data law up to the terminal ᾱ (< 1e-4 here).
            assertEquals(v, aExact * aExact, 1e-3 * v, name + ": exact variance vs data");
            assertEquals(MEAN[d], bExact, 1e-2, name + ": exact mean vs data");
        }
    }

    /** δ = Σ_i (σ_i − σ_{i+1})·(ψ(σ_i) − ψ(σ_{i+1})) / s, ψ(σ) = σ/√(s² + σ²), σ after the grid = 0. */
    static double eulerBound(NoiseSchedule schedule, TimeGrid grid, double variance) {
        double bound = 0;
        for (int i = 0; i < grid.size(); i++) {
            double from = sigma(schedule, grid.step(i));
            double to = grid.next(i) < 0 ? 0 : sigma(schedule, grid.next(i));
            double psiFrom = from / Math.sqrt(variance + from * from);
            double psiTo = to / Math.sqrt(variance + to * to);
            bound += (from - to) * (psiFrom - psiTo);
        }
        return bound / Math.sqrt(variance);
    }

    private static double sigma(NoiseSchedule schedule, int t) {
        double ab = schedule.alphaBar(t);
        return Math.sqrt((1 - ab) / ab);
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
     * discretised sampler, propagated through the kernels derived above (statistical tolerance: 4
     * standard errors of N samples), and (b) the data law (first-order discretisation error: 8 %
     * of the variance on the full grid of T = 250, 15–25 % with 50–100 steps, ancestral sampling
     * with few steps being the least accurate).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("ancestralCases")
    void ancestralSamplersFollowTheComposedKernels(
            String name, Sampler sampler, int steps, Spacing spacing, Prediction prediction,
            double dataTolerance) {
        // Full-grid ancestral sampling on T = 250 keeps the test fast; spaced grids use T = 1000.
        NoiseSchedule schedule = NoiseSchedule.cosine(steps == 0 ? 250 : 1000);
        TimeGrid grid = steps == 0 ? TimeGrid.full(250) : TimeGrid.spaced(1000, steps, spacing);
        NDArray xT = manager.randomNormal(0, 1, new Shape(N, 3), DataType.FLOAT64);
        SamplerResult result = sampler.sample(oracle(schedule, prediction), xT, grid,
                Condition.none(), false);
        assertEquals(grid.size(), result.steps());
        assertTrue(result.trajectory().isEmpty());
        double[] x = result.samples().toDoubleArray();
        double[] mean = new double[3];
        for (int i = 0; i < N; i++) {
            for (int d = 0; d < 3; d++) {
                mean[d] += x[i * 3 + d] / N;
            }
        }
        double[][] cov = new double[3][3];
        for (int i = 0; i < N; i++) {
            for (int a = 0; a < 3; a++) {
                for (int b = 0; b < 3; b++) {
                    cov[a][b] += (x[i * 3 + a] - mean[a]) * (x[i * 3 + b] - mean[b]) / (N - 1);
                }
            }
        }
        for (int d = 0; d < 3; d++) {
            double v = STD[d] * STD[d];
            double[] law = propagatedLaw(sampler, schedule, grid, MEAN[d], v);
            double sd = Math.sqrt(law[1]);
            assertEquals(law[0], mean[d], 4 * sd / Math.sqrt(N), name + ": mean[" + d + "]");
            assertEquals(law[1], cov[d][d], 4 * law[1] * Math.sqrt(2.0 / N),
                    name + ": var[" + d + "] vs the propagated law");
            assertEquals(MEAN[d], law[0], 0.01, name + ": propagated mean vs data");
            assertEquals(v, law[1], dataTolerance * v, name + ": propagated variance vs data");
            for (int e = d + 1; e < 3; e++) {
                assertEquals(0.0, cov[d][e], 4 * STD[d] * STD[e] / Math.sqrt(N),
                        name + ": cov[" + d + "][" + e + "]");
            }
        }
    }

    @Test
    void trajectoryStartsAtTheNoiseAndEndsAtTheSamples() {
        NoiseSchedule schedule = NoiseSchedule.linear(100);
        DiffusionModel model = oracle(schedule, Prediction.EPSILON);
        NDArray xT = manager.randomNormal(0, 1, new Shape(8, 3), DataType.FLOAT32);
        SamplerResult r = DdpmSampler.defaults().sample(model, xT, TimeGrid.full(100),
                Condition.none(), true);
        assertEquals(101, r.trajectory().size());
        assertEquals(0.0, r.trajectory().get(0).sub(xT).abs().max().getFloat(), 0.0);
        assertEquals(0.0, r.trajectory().get(100).sub(r.samples()).abs().max().getFloat(), 0.0);
        assertTrue(r.wallTime().toNanos() > 0);
        assertEquals(DataType.FLOAT32, r.samples().getDataType());
    }
}
