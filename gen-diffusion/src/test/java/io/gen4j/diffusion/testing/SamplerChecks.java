package io.gen4j.diffusion.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.model.Condition;
import io.gen4j.diffusion.DiffusionModel;
import io.gen4j.diffusion.GaussianDataDenoiser;
import io.gen4j.diffusion.NoiseSchedule;
import io.gen4j.diffusion.Prediction;
import io.gen4j.diffusion.Sampler;
import io.gen4j.diffusion.SamplerResult;
import io.gen4j.diffusion.TimeGrid;
import java.util.Arrays;
import java.util.Objects;

/**
 * The closed-form oracle for diffusion samplers (gen4j's test kit, in gen-diffusion's test-jar;
 * flow_matching's habit of testing solvers on fields with known answers): any {@link Sampler} runs
 * with {@link GaussianDataDenoiser}, the exact optimal denoiser of Gaussian data x_0 ~ N(μ, diag
 * s²), and its output is compared with laws derived from the data law and the forward process
 * alone, never from the sampler's own coefficients.
 *
 * <p><b>What it proves.</b>
 *
 * <ul>
 *   <li>{@link #assertSamplesFollowTheDataLaw}: from x_T ~ N(0, I), N samples have the data's mean,
 *       variances and zero covariances, within 4 standard errors of N samples plus the tolerances
 *       you state for the sampler's discretisation error (a correct sampler with many steps needs
 *       little; with few steps ancestral samplers need more). For any sampler, stochastic or not.
 *   <li>{@link #assertDeterministicTransport}: a deterministic sampler is bit-for-bit repeatable
 *       under different engine seeds and maps each probe x_T to the end point of the exact
 *       probability-flow ODE within the relative bound you state. In y = x/√ᾱ and σ = √(1 − ᾱ)/√ᾱ
 *       the ODE reads dy/dσ = E[ε | y] = σ·(y − μ)/(s² + σ²) (Song et al. 2021, eq. 14); its flow
 *       keeps (y − μ)/√(s² + σ²) constant, so x_0 = μ + (x_T/√ᾱ_T − μ)·s/√(s² + σ_T²) ({@link
 *       #exactOdeTransport}). {@link #eulerBounds} is an a-priori bound for a first-order solver
 *       (DDIM with η = 0 is Euler's method on this ODE); a higher-order solver must do at least as
 *       well.
 *   <li>{@link #assertMomentsMatch}: sample moments against any law you derived (e.g. the exact law
 *       of a discretised ancestral sampler, propagated kernel by kernel).
 *   <li>{@link #assertSamplerHygiene}: the result contract of {@link Sampler} for any model: the
 *       caller's manager gains exactly the result (no array per iteration, docs/memory.md rule
 *       3), x_T is left unchanged, the trajectory starts at x_T and ends at the samples, one state
 *       per visited step.
 * </ul>
 *
 * <pre>{@code
 * GaussianProblem problem = new GaussianProblem(GaussianData.defaults(), NoiseSchedule.cosine(1000),
 *         Prediction.EPSILON, TimeGrid.spaced(1000, 50, Spacing.TRAILING));
 * try (NDManager manager = NDManager.newBaseManager()) {
 *     SamplerChecks.assertSamplesFollowTheDataLaw(new MySampler(), problem, 4000, 7, 0.01, 0.1, manager);
 *     double[] errors = SamplerChecks.assertDeterministicTransport(new MyOdeSampler(), problem,
 *             SamplerChecks.eulerBounds(problem), manager);
 *     SamplerChecks.assertSamplerHygiene(new MySampler(), problem.model(),
 *             manager.randomNormal(new Shape(8, 3)), problem.grid());
 * }
 * }</pre>
 *
 * <p>gen-diffusion's own samplers are checked with this kit ({@code GaussianSamplerTest}, {@code
 * SamplerMemoryTest}).
 */
public final class SamplerChecks {

    /** Standard errors allowed between a sample moment and the law it estimates. */
    public static final double STANDARD_ERRORS = 4;

    /** Absolute slack of the transport check, for the rounding of float64 sums over many steps. */
    public static final double ROUNDING_SLACK = 1e-10;

    private static final double[] PROBES = {-2, -1, -0.5, 0, 0.5, 1, 2};

    private SamplerChecks() {}

    /**
     * Gaussian data N(μ, diag s²) in D dimensions.
     *
     * @param mean μ, length D &gt;= 1
     * @param std s, length D, each &gt; 0
     */
    public record GaussianData(double[] mean, double[] std) {

        /** Validates and copies. */
        public GaussianData {
            if (mean == null || std == null || mean.length == 0 || mean.length != std.length) {
                throw new IllegalArgumentException("mean and std must have the same length >= 1");
            }
            mean = mean.clone();
            std = std.clone();
            for (int d = 0; d < std.length; d++) {
                if (!(std[d] > 0) || Double.isInfinite(std[d]) || !Double.isFinite(mean[d])) {
                    throw new IllegalArgumentException("std must be finite and > 0 and mean finite, got std "
                            + std[d] + ", mean " + mean[d] + " at " + d);
                }
            }
        }

        /** @return the 3-D law of gen-diffusion's tests: μ = (0.5, −0.3, 0), s = (0.4, 0.8, 0.25) */
        public static GaussianData defaults() {
            return new GaussianData(new double[] {0.5, -0.3, 0.0}, new double[] {0.4, 0.8, 0.25});
        }

        /** @return a copy of μ */
        @Override
        public double[] mean() {
            return mean.clone();
        }

        /** @return a copy of s */
        @Override
        public double[] std() {
            return std.clone();
        }

        /** @return D */
        public int dims() {
            return mean.length;
        }

        /** @return s² per dimension */
        public double[] variance() {
            double[] v = new double[std.length];
            for (int d = 0; d < v.length; d++) {
                v[d] = std[d] * std[d];
            }
            return v;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof GaussianData g && Arrays.equals(mean, g.mean) && Arrays.equals(std, g.std);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
        }

        @Override
        public String toString() {
            return "N(" + Arrays.toString(mean) + ", diag " + Arrays.toString(std) + "^2)";
        }
    }

    /**
     * A sampler's test problem: the data law, the schedule the oracle's time index refers to, the
     * parameterisation the oracle outputs, and the grid the sampler walks.
     *
     * @param data the data law
     * @param schedule the noise schedule
     * @param prediction what the oracle outputs (ε, x_0 or v)
     * @param grid the visited steps
     */
    public record GaussianProblem(GaussianData data, NoiseSchedule schedule, Prediction prediction, TimeGrid grid) {

        /** Validates. */
        public GaussianProblem {
            Objects.requireNonNull(data, "data");
            Objects.requireNonNull(schedule, "schedule");
            Objects.requireNonNull(prediction, "prediction");
            Objects.requireNonNull(grid, "grid");
            if (grid.step(0) >= schedule.steps()) {
                throw new IllegalArgumentException("the grid starts at " + grid.step(0) + " but the schedule has steps 0.."
                        + (schedule.steps() - 1));
            }
        }

        /** @return the exact denoiser of the data as a diffusion model (no clipping) */
        public DiffusionModel model() {
            return new DiffusionModel(new GaussianDataDenoiser(schedule, data.mean(), data.std(), prediction),
                    schedule, prediction);
        }

        /** @return ᾱ at the grid's first (noisiest) step */
        public double terminalAlphaBar() {
            return schedule.alphaBar(grid.step(0));
        }
    }

    /**
     * Mean and covariance of N samples of D numbers.
     *
     * @param mean the sample mean, length D
     * @param covariance the unbiased sample covariance (divided by N − 1), D × D
     * @param count N
     */
    public record Moments(double[] mean, double[][] covariance, int count) {

        /**
         * @param samples shape (N, D), N &gt;= 2
         * @return their moments
         */
        public static Moments of(NDArray samples) {
            Shape s = samples.getShape();
            if (s.dimension() != 2 || s.get(0) < 2) {
                throw new IllegalArgumentException("samples must have shape (N >= 2, D), got " + s);
            }
            int n = Math.toIntExact(s.get(0));
            int dims = Math.toIntExact(s.get(1));
            double[] x = values(samples);
            double[] mean = new double[dims];
            for (int i = 0; i < n; i++) {
                for (int d = 0; d < dims; d++) {
                    mean[d] += x[i * dims + d] / n;
                }
            }
            double[][] cov = new double[dims][dims];
            for (int i = 0; i < n; i++) {
                for (int a = 0; a < dims; a++) {
                    for (int b = 0; b < dims; b++) {
                        cov[a][b] += (x[i * dims + a] - mean[a]) * (x[i * dims + b] - mean[b]) / (n - 1);
                    }
                }
            }
            return new Moments(mean, cov, n);
        }

        /**
         * @param d a dimension
         * @return the sample variance of dimension d
         */
        public double variance(int d) {
            return covariance[d][d];
        }
    }

    /**
     * The exact probability-flow ODE's map from x_T (at the grid's first step) to x_0, per dimension
     * affine: x_0 = scale·x_T + offset, with r = s/√(s² + σ_T²), σ_T² = (1 − ᾱ_T)/ᾱ_T, scale =
     * r/√ᾱ_T and offset = μ·(1 − r). From x_T ~ N(0, 1) it gives N(offset, scale²), which is the
     * data law up to ᾱ_T (scale² = s²/(ᾱ_T·s² + 1 − ᾱ_T)).
     *
     * @param scale per dimension
     * @param offset per dimension
     */
    public record Transport(double[] scale, double[] offset) {

        /**
         * @param d a dimension
         * @param xT a start value
         * @return the exact end point
         */
        public double apply(int d, double xT) {
            return scale[d] * xT + offset[d];
        }
    }

    /**
     * @param problem the problem
     * @return the exact ODE transport from the grid's first step to clean data
     */
    public static Transport exactOdeTransport(GaussianProblem problem) {
        double abT = problem.terminalAlphaBar();
        double sigma2 = (1 - abT) / abT;
        double[] mu = problem.data().mean();
        double[] v = problem.data().variance();
        double[] scale = new double[mu.length];
        double[] offset = new double[mu.length];
        for (int d = 0; d < mu.length; d++) {
            double r = Math.sqrt(v[d] / (v[d] + sigma2));
            scale[d] = r / Math.sqrt(abT);
            offset[d] = mu[d] * (1 - r);
        }
        return new Transport(scale, offset);
    }

    /**
     * An a-priori bound, per dimension, on the relative error |x_0 − x_0*| / |x_0* − μ| of Euler's
     * method on the probability-flow ODE along the problem's grid (DDIM with η = 0):
     *
     * <pre>
     *   δ = Σ_i (σ_i − σ_{i+1})·(ψ(σ_i) − ψ(σ_{i+1})) / s,   ψ(σ) = σ/√(s² + σ²),   σ after the grid = 0.
     * </pre>
     *
     * Along the exact path the field is C·ψ(σ), increasing in σ, so one step's local error is at most
     * h_i·|C|·(ψ(σ_i) − ψ(σ_{i+1})); each Euler factor 1 − h_i·σ_i/(s² + σ_i²) lies in [0, 1], so
     * errors do not grow.
     *
     * @param problem the problem
     * @return δ for each dimension
     */
    public static double[] eulerBounds(GaussianProblem problem) {
        double[] v = problem.data().variance();
        double[] out = new double[v.length];
        for (int d = 0; d < v.length; d++) {
            out[d] = eulerBound(problem.schedule(), problem.grid(), v[d]);
        }
        return out;
    }

    /**
     * The bound of {@link #eulerBounds} for one dimension of data variance s².
     *
     * @param schedule the schedule
     * @param grid the grid
     * @param variance s²
     * @return δ
     */
    public static double eulerBound(NoiseSchedule schedule, TimeGrid grid, double variance) {
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

    /**
     * σ_t = √((1 − ᾱ_t)/ᾱ_t), the noise level of step t in the variables of the probability-flow ODE
     * (Karras et al. 2022, x/√ᾱ = y + σ·ε).
     *
     * @param schedule the schedule
     * @param t a step in [0, T−1]
     * @return σ_t
     */
    public static double sigma(NoiseSchedule schedule, int t) {
        double ab = schedule.alphaBar(t);
        return Math.sqrt((1 - ab) / ab);
    }

    /**
     * Draws x_T ~ N(0, I) (float64, shape (n, D)) with the engine seeded, runs the sampler on the
     * oracle and returns the moments of its output.
     *
     * @param sampler the sampler
     * @param problem the problem
     * @param n samples, &gt;= 2
     * @param seed the engine seed for x_T and the sampler's noise
     * @param manager scratch manager (nothing is left in it)
     * @return the moments of the samples
     */
    public static Moments sampleMoments(Sampler sampler, GaussianProblem problem, int n, long seed, NDManager manager) {
        try (NDManager scope = manager.newSubManager()) {
            Engine.getInstance().setRandomSeed((int) seed);
            NDArray xT = scope.randomNormal(0, 1, new Shape(n, problem.data().dims()), DataType.FLOAT64);
            SamplerResult r = sampler.sample(problem.model(), xT, problem.grid(), Condition.none(), false);
            assertEquals(xT.getShape(), r.samples().getShape(), sampler + ": samples have the shape of x_T");
            return Moments.of(r.samples());
        }
    }

    /**
     * Asserts that sample moments estimate a Gaussian law, within {@value #STANDARD_ERRORS} standard
     * errors of their sample size: mean ± 4·√(v/N), variance ± 4·v·√(2/(N − 1)), covariances ± 4·√(v_a·v_b/N)
     * around 0.
     *
     * @param moments the sample moments
     * @param mean the law's mean per dimension
     * @param variance the law's variance per dimension (covariances are 0)
     * @param what names the case in messages
     */
    public static void assertMomentsMatch(Moments moments, double[] mean, double[] variance, String what) {
        assertMomentsNear(moments, mean, variance, 0, 0, what);
    }

    /**
     * Runs the sampler on the oracle from N samples of x_T ~ N(0, I) and asserts that the samples
     * follow the data law N(μ, diag s²) within {@value #STANDARD_ERRORS} standard errors plus the
     * sampler's discretisation error: |mean − μ| within 4·s/√N + {@code meanTolerance}, |variance −
     * s²| within 4·s²·√(2/(N − 1)) + {@code varianceTolerance}·s², covariances within 4·s_a·s_b/√N
     * of 0.
     *
     * @param sampler the sampler
     * @param problem the problem
     * @param n samples, e.g. 4000
     * @param seed the engine seed
     * @param meanTolerance allowed discretisation error of the mean, absolute, &gt;= 0
     * @param varianceTolerance allowed discretisation error of the variance, relative to s², &gt;= 0
     * @param manager scratch manager
     * @return the moments, for further checks
     */
    public static Moments assertSamplesFollowTheDataLaw(Sampler sampler, GaussianProblem problem, int n, long seed,
            double meanTolerance, double varianceTolerance, NDManager manager) {
        if (!(meanTolerance >= 0) || !(varianceTolerance >= 0)) {
            throw new IllegalArgumentException("tolerances must be >= 0, got " + meanTolerance + ", " + varianceTolerance);
        }
        Moments m = sampleMoments(sampler, problem, n, seed, manager);
        assertMomentsNear(m, problem.data().mean(), problem.data().variance(), meanTolerance, varianceTolerance,
                sampler + " on " + problem.data());
        return m;
    }

    /** The values of an array as doubles, leaving no array behind in its manager. */
    private static double[] values(NDArray a) {
        if (a.getDataType() == DataType.FLOAT64) {
            return a.toDoubleArray();
        }
        try (NDArray copy = a.toType(DataType.FLOAT64, true)) {
            return copy.toDoubleArray();
        }
    }

    private static void assertMomentsNear(Moments m, double[] mean, double[] variance, double meanTolerance,
            double varianceTolerance, String what) {
        int n = m.count();
        assertEquals(mean.length, m.mean().length, what + ": dimensions");
        for (int d = 0; d < mean.length; d++) {
            double sd = Math.sqrt(variance[d]);
            assertEquals(mean[d], m.mean()[d], STANDARD_ERRORS * sd / Math.sqrt(n) + meanTolerance,
                    what + ": mean[" + d + "]");
            assertEquals(variance[d], m.variance(d),
                    STANDARD_ERRORS * variance[d] * Math.sqrt(2.0 / (n - 1)) + varianceTolerance * variance[d],
                    what + ": variance[" + d + "]");
            for (int e = d + 1; e < mean.length; e++) {
                assertEquals(0.0, m.covariance()[d][e],
                        STANDARD_ERRORS * Math.sqrt(variance[d] * variance[e] / n), what + ": cov[" + d + "][" + e + "]");
            }
        }
    }

    /**
     * Runs a deterministic sampler on probes x_T ∈ {−2, −1, −½, 0, ½, 1, 2}·(1, …, 1) (float64) and
     * asserts that (a) two runs under different engine seeds agree bit for bit and (b) every output
     * coordinate is within {@code relativeBounds[d]}·|x_0* − μ_d| + {@value #ROUNDING_SLACK} of the
     * exact ODE end point x_0* ({@link #exactOdeTransport}).
     *
     * @param sampler a deterministic sampler
     * @param problem the problem
     * @param relativeBounds the stated discretisation bound per dimension, e.g. {@link #eulerBounds}
     * @param manager scratch manager
     * @return the worst relative error per dimension, max |x_0 − x_0*| / |x_0* − μ_d| over the probes
     */
    public static double[] assertDeterministicTransport(Sampler sampler, GaussianProblem problem,
            double[] relativeBounds, NDManager manager) {
        int dims = problem.data().dims();
        if (relativeBounds.length != dims) {
            throw new IllegalArgumentException("one bound per dimension: expected " + dims + ", got "
                    + relativeBounds.length);
        }
        double[] probes = new double[PROBES.length * dims];
        for (int i = 0; i < PROBES.length; i++) {
            Arrays.fill(probes, i * dims, (i + 1) * dims, PROBES[i]);
        }
        double[] first;
        double[] second;
        try (NDManager scope = manager.newSubManager()) {
            NDArray xT = scope.create(probes, new Shape(PROBES.length, dims));
            Engine.getInstance().setRandomSeed(1);
            first = sampler.sample(problem.model(), xT, problem.grid(), Condition.none(), false).samples()
                    .toDoubleArray();
            Engine.getInstance().setRandomSeed(2);
            second = sampler.sample(problem.model(), xT, problem.grid(), Condition.none(), false).samples()
                    .toDoubleArray();
        }
        assertArrayEquals(first, second, 0.0, sampler + " is not deterministic: other engine seeds, other samples");
        Transport exact = exactOdeTransport(problem);
        double[] mu = problem.data().mean();
        double[] worst = new double[dims];
        for (int i = 0; i < PROBES.length; i++) {
            for (int d = 0; d < dims; d++) {
                double expected = exact.apply(d, PROBES[i]);
                double deviation = Math.abs(expected - mu[d]);
                double error = Math.abs(first[i * dims + d] - expected);
                assertTrue(error <= relativeBounds[d] * deviation + ROUNDING_SLACK,
                        sampler + ": x_T = " + PROBES[i] + ", dimension " + d + ": got " + first[i * dims + d]
                                + ", the exact ODE gives " + expected + " (error " + error + ", bound "
                                + relativeBounds[d] + " x " + deviation + ")");
                if (deviation > 1e-8) {
                    worst[d] = Math.max(worst[d], error / deviation);
                }
            }
        }
        return worst;
    }

    /**
     * Asserts the result contract of {@link Sampler} for any model: without a trajectory the manager
     * of x_T gains exactly the samples (of x_T's shape and data type), with one it also gains the
     * trajectory (x_T, then one state per visited step, the last equal to the samples), x_T is left
     * unchanged and the sampler reports at least one evaluation per visited step. Closes what it
     * made.
     *
     * @param sampler the sampler
     * @param model the model
     * @param xT start noise (not modified or closed)
     * @param grid the grid
     */
    public static void assertSamplerHygiene(Sampler sampler, DiffusionModel model, NDArray xT, TimeGrid grid) {
        NDManager manager = xT.getManager();
        double[] before = values(xT);
        int arrays = manager.getManagedArrays().size();
        SamplerResult plain = sampler.sample(model, xT, grid, Condition.none(), false);
        assertEquals(arrays + 1, manager.getManagedArrays().size(),
                sampler + ": the caller's manager must gain exactly the samples (" + grid.size() + " steps)");
        assertSame(manager, plain.samples().getManager(), sampler + ": samples belong to the manager of x_T");
        assertEquals(xT.getShape(), plain.samples().getShape(), sampler + ": samples have the shape of x_T");
        assertEquals(xT.getDataType(), plain.samples().getDataType(), sampler + ": samples keep x_T's data type");
        assertTrue(plain.trajectory().isEmpty(), sampler + ": no trajectory was asked for");
        assertTrue(plain.steps() >= grid.size(), sampler + ": reports " + plain.steps() + " evaluations for "
                + grid.size() + " steps");
        plain.samples().close();
        assertEquals(arrays, manager.getManagedArrays().size());

        SamplerResult traced = sampler.sample(model, xT, grid, Condition.none(), true);
        assertEquals(grid.size() + 1, traced.trajectory().size(), sampler + ": x_T and one state per step");
        assertEquals(arrays + 1 + traced.trajectory().size(), manager.getManagedArrays().size(),
                sampler + ": the caller's manager must gain the samples and the trajectory only");
        assertArrayEquals(before, values(traced.trajectory().get(0)), 0.0, sampler + ": the trajectory starts at x_T");
        assertArrayEquals(values(traced.samples()), values(traced.trajectory().get(grid.size())), 0.0,
                sampler + ": the trajectory ends at the samples");
        traced.trajectory().forEach(NDArray::close);
        traced.samples().close();
        assertEquals(arrays, manager.getManagedArrays().size());
        assertArrayEquals(before, values(xT), 0.0, sampler + ": x_T must not be modified");
    }
}
