package io.gen4j.flows.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.gen4j.core.model.Invertible.Transformed;
import io.gen4j.flows.FlowTransform;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;
import java.util.function.Supplier;

/**
 * The contract every {@link FlowTransform} must meet, as a reusable check (gen4j's test kit, in
 * gen-flows' test-jar; nflows' shared transform test): a coupling made through a {@code
 * CouplingFactory}, a new element-wise bijection, a whole flow's transform.
 *
 * <p><b>What it proves</b>, in float64, for a transform built fresh by the factory, initialised,
 * data-initialised (ActNorm) on a batch of inputs and with every trainable parameter overwritten by
 * N(m, 0.3²) draws (m = 1 for parameters named {@code *gamma} or {@code *_scale}, else 0; a
 * zero-initialised conditioner would otherwise make every coupling the identity):
 *
 * <ol>
 *   <li>shapes: {@code forward(x)} has {@code outputShape(x.shape)} and log-dets of shape (N);
 *   <li>{@code inverse(forward(x)) = x} to 1e-9, and the two log-dets sum to zero to 1e-9; {@code
 *       inverseValue} returns exactly {@code inverse(...).value()}, and {@code prepareInverse(...)} undoes
 *       {@code forward} to 1e-9 too;
 *   <li>log|det ∂f/∂x| of {@code forward} equals the log-determinant of a brute-force Jacobian
 *       (central differences, h = 1e-5, LU with partial pivoting) to 1e-6·max(1, |log det|), so
 *       the log-det is the Jacobian's and not merely self-consistent.
 * </ol>
 *
 * <pre>{@code
 * @Test
 * void myCouplingMeetsTheContract() {
 *     FlowTransformChecks.assertContract(() -> new MyCoupling(CouplingMask.CHECKERBOARD, false, 5), new Shape(5));
 *     // inputs in (0, 1), e.g. a logit transform:
 *     FlowTransformChecks.assertContract(() -> new MyLogit(0.05), new Shape(1, 3, 3),
 *             FlowTransformChecks.Options.defaults().withInputs(FlowTransformChecks.Inputs.uniform(0.01, 0.99)));
 * }
 * }</pre>
 *
 * <p>Each check runs with {@link Options#draws()} seeds and is deterministic. Stochastic transforms
 * (dequantisation adds noise) have no Jacobian: turn the third check off with {@link
 * Options#withBruteForceJacobian(boolean)}. The brute-force Jacobian needs a transform that keeps the
 * number of dimensions (a squeeze does; a factor-out keeps it across its two outputs). gen-flows runs
 * this kit on every transform it ships ({@code TransformContractProperties}).
 */
public final class FlowTransformChecks {

    /** Examples per round-trip check. */
    private static final int ROUND_TRIP_BATCH = 6;

    private FlowTransformChecks() {}

    /** How the checks draw float64 inputs of a shape from a seed (a {@link java.util.Random} of that seed). */
    @FunctionalInterface
    public interface Inputs {

        /**
         * @param manager the manager that owns the result
         * @param shape the shape, batch axis first
         * @param seed the seed
         * @return float64 inputs
         */
        NDArray draw(NDManager manager, Shape shape, long seed);

        /**
         * @param std the standard deviation, &gt; 0
         * @return N(0, std²) entries: inputs of transforms defined on all of ℝ
         */
        static Inputs normal(double std) {
            if (!(std > 0) || Double.isInfinite(std)) {
                throw new IllegalArgumentException("std must be finite and > 0, got " + std);
            }
            return (manager, shape, seed) -> {
                Random rng = new Random(seed);
                double[] v = new double[Math.toIntExact(shape.size())];
                for (int i = 0; i < v.length; i++) {
                    v[i] = std * rng.nextGaussian();
                }
                return manager.create(v, shape);
            };
        }

        /**
         * @param lo the lower bound
         * @param hi the upper bound, &gt; lo
         * @return U[lo, hi) entries: e.g. (0.01, 0.99) for a logit transform
         */
        static Inputs uniform(double lo, double hi) {
            if (!(hi > lo) || Double.isInfinite(hi - lo)) {
                throw new IllegalArgumentException("need lo < hi, both finite, got " + lo + ", " + hi);
            }
            return (manager, shape, seed) -> {
                Random rng = new Random(seed);
                double[] v = new double[Math.toIntExact(shape.size())];
                for (int i = 0; i < v.length; i++) {
                    v[i] = lo + (hi - lo) * rng.nextDouble();
                }
                return manager.create(v, shape);
            };
        }

        /** @return 8-bit pixel values k/255, k uniform in {0, …, 255}: inputs of dequantisation */
        static Inputs pixels() {
            Inputs bytes = uniform(0, 256);
            return (manager, shape, seed) -> bytes.draw(manager, shape, seed).floor().clip(0, 255).div(255);
        }
    }

    /**
     * Settings of the checks; start from {@link #defaults()}.
     *
     * @param inputs how inputs are drawn
     * @param parameterStd the standard deviation of the random parameters, &gt;= 0 (0 keeps the
     *     factory's initialisation)
     * @param bruteForceJacobian whether to compare the log-det with a brute-force Jacobian
     * @param draws seeds per check, &gt;= 1
     * @param roundTripTolerance bound on |inverse(forward(x)) − x| and on |log-det sum|, &gt; 0
     * @param logDetTolerance bound on |analytic − brute force| / max(1, |brute force|), &gt; 0
     * @param step h of the central differences, &gt; 0
     */
    public record Options(Inputs inputs, double parameterStd, boolean bruteForceJacobian, int draws,
            double roundTripTolerance, double logDetTolerance, double step) {

        /** Validates. */
        public Options {
            Objects.requireNonNull(inputs, "inputs");
            if (!(parameterStd >= 0) || Double.isInfinite(parameterStd)) {
                throw new IllegalArgumentException("parameterStd must be finite and >= 0, got " + parameterStd);
            }
            if (draws < 1) {
                throw new IllegalArgumentException("draws must be >= 1, got " + draws);
            }
            for (double v : new double[] {roundTripTolerance, logDetTolerance, step}) {
                if (!(v > 0) || Double.isInfinite(v)) {
                    throw new IllegalArgumentException("tolerances and step must be finite and > 0, got " + v);
                }
            }
        }

        /** @return inputs N(0, 1.5²), parameters N(m, 0.3²), Jacobian checked, 2 draws, 1e-9, 1e-6, h = 1e-5 */
        public static Options defaults() {
            return new Options(Inputs.normal(1.5), 0.3, true, 2, 1e-9, 1e-6, 1e-5);
        }

        /**
         * @param newInputs how inputs are drawn
         * @return these options with those inputs
         */
        public Options withInputs(Inputs newInputs) {
            return new Options(newInputs, parameterStd, bruteForceJacobian, draws, roundTripTolerance,
                    logDetTolerance, step);
        }

        /**
         * @param std the standard deviation of the random parameters (0 keeps the initialisation)
         * @return these options with that spread
         */
        public Options withParameterStd(double std) {
            return new Options(inputs, std, bruteForceJacobian, draws, roundTripTolerance, logDetTolerance, step);
        }

        /**
         * @param check whether to compare the log-det with a brute-force Jacobian (false for
         *     stochastic transforms)
         * @return these options with that choice
         */
        public Options withBruteForceJacobian(boolean check) {
            return new Options(inputs, parameterStd, check, draws, roundTripTolerance, logDetTolerance, step);
        }

        /**
         * @param n seeds per check, &gt;= 1
         * @return these options with that many draws
         */
        public Options withDraws(int n) {
            return new Options(inputs, parameterStd, bruteForceJacobian, n, roundTripTolerance, logDetTolerance,
                    step);
        }

        /**
         * @param roundTrip bound on the round trip's error and log-det sum
         * @param logDet relative bound on the log-det's error against the brute-force Jacobian
         * @return these options with those tolerances
         */
        public Options withTolerances(double roundTrip, double logDet) {
            return new Options(inputs, parameterStd, bruteForceJacobian, draws, roundTrip, logDet, step);
        }
    }

    /**
     * Checks the whole contract with {@link Options#defaults()}.
     *
     * @param factory builds a fresh, uninitialised transform
     * @param example the shape of one example, without the batch axis, e.g. {@code (5)} or {@code (1, 4, 4)}
     */
    public static void assertContract(Supplier<? extends FlowTransform> factory, Shape example) {
        assertContract(factory, example, Options.defaults());
    }

    /**
     * Checks shapes, the round trip and (unless switched off) the log-det against a brute-force
     * Jacobian, each with {@link Options#draws()} seeds.
     *
     * @param factory builds a fresh, uninitialised transform
     * @param example the shape of one example, without the batch axis
     * @param options the settings
     */
    public static void assertContract(Supplier<? extends FlowTransform> factory, Shape example, Options options) {
        for (int draw = 0; draw < options.draws(); draw++) {
            assertInverseUndoesForward(factory, example, options, 1009L * draw + 17);
            if (options.bruteForceJacobian()) {
                assertLogDetMatchesBruteForce(factory, example, options, 7919L * draw + 3);
            }
        }
    }

    /**
     * One seed of checks 1 and 2: on six examples, the output and log-det
     * shapes, |inverse(forward(x)) − x| and |log det J + log det J⁻¹|.
     *
     * @param factory builds a fresh, uninitialised transform
     * @param example the shape of one example
     * @param options the settings
     * @param seed the seed of the parameters and inputs
     */
    public static void assertInverseUndoesForward(Supplier<? extends FlowTransform> factory, Shape example,
            Options options, long seed) {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            FlowTransform t = prepare(m, factory, example, options, seed);
            String what = describe(t, example, seed);
            NDArray x = options.inputs().draw(m, batch(example, ROUND_TRIP_BATCH), seed + 3);
            Transformed f = t.forward(x);
            assertEquals(new Shape(ROUND_TRIP_BATCH), f.logDet().getShape(), what + ": forward log-det shape");
            assertEquals(t.outputShape(x.getShape()), f.value().getShape(), what + ": output shape");
            Transformed b = t.inverse(f.value());
            assertEquals(x.getShape(), b.value().getShape(), what + ": inverse output shape");
            assertEquals(new Shape(ROUND_TRIP_BATCH), b.logDet().getShape(), what + ": inverse log-det shape");
            double err = b.value().sub(x).abs().max().getDouble();
            assertTrue(err < options.roundTripTolerance(), what + ": |inverse(forward(x)) - x| = " + err);
            double ld = f.logDet().add(b.logDet()).abs().max().getDouble();
            assertTrue(ld < options.roundTripTolerance(), what + ": forward and inverse log-dets do not cancel: " + ld);
            assertArrayEquals(b.value().toDoubleArray(), t.inverseValue(f.value()).toDoubleArray(),
                    what + ": inverseValue differs from inverse().value()");
            try (NDManager prepared = m.newSubManager()) {
                NDArray p = t.prepareInverse(prepared, example, x.getDataType()).apply(f.value());
                assertEquals(x.getShape(), p.getShape(), what + ": prepared inverse output shape");
                double perr = p.sub(x).abs().max().getDouble();
                assertTrue(perr < options.roundTripTolerance(),
                        what + ": |prepareInverse(...).apply(forward(x)) - x| = " + perr);
            }
        }
    }

    /**
     * One seed of check 3: on one example, the forward log-det against {@link #bruteForceLogDet}.
     *
     * @param factory builds a fresh, uninitialised transform
     * @param example the shape of one example
     * @param options the settings
     * @param seed the seed of the parameters and the input
     */
    public static void assertLogDetMatchesBruteForce(Supplier<? extends FlowTransform> factory, Shape example,
            Options options, long seed) {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            FlowTransform t = prepare(m, factory, example, options, seed);
            NDArray x = options.inputs().draw(m, batch(example, 1), seed + 3);
            double analytic = t.forward(x).logDet().getDouble(0);
            double brute = bruteForceLogDet(t, x, options.step());
            assertEquals(brute, analytic, options.logDetTolerance() * Math.max(1, Math.abs(brute)),
                    describe(t, example, seed) + ": log|det J| against a brute-force Jacobian");
        }
    }

    /**
     * The transform the checks run on: built by the factory with the engine seeded, initialised in
     * float64 for a batch of 8, data-initialised on 64 drawn inputs, and with every trainable
     * parameter randomised (when {@link Options#parameterStd()} &gt; 0).
     *
     * @param manager owns the parameters
     * @param factory builds a fresh, uninitialised transform
     * @param example the shape of one example
     * @param options the settings
     * @param seed the seed
     * @return the prepared transform
     */
    public static FlowTransform prepare(NDManager manager, Supplier<? extends FlowTransform> factory, Shape example,
            Options options, long seed) {
        Engine.getInstance().setRandomSeed((int) seed);
        FlowTransform t = Objects.requireNonNull(factory.get(), "the factory returned null");
        t.initialize(manager, DataType.FLOAT64, batch(example, 8));
        t.initializeFromData(options.inputs().draw(manager, batch(example, 64), seed + 1));
        if (options.parameterStd() > 0) {
            randomizeParameters(t, manager, options.parameterStd(), seed + 2);
        }
        return t;
    }

    /**
     * Overwrites every trainable parameter of a block with N(m, std²) draws from {@code new
     * Random(seed)}: m = 1 for parameters whose name ends with {@code gamma} or {@code _scale} (scales
     * stay near 1), else 0.
     *
     * @param block an initialised block
     * @param manager scratch manager
     * @param std the standard deviation, &gt;= 0
     * @param seed the seed
     */
    public static void randomizeParameters(Block block, NDManager manager, double std, long seed) {
        Random rng = new Random(seed);
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (!p.getValue().requiresGradient()) {
                continue;
            }
            NDArray a = p.getValue().getArray();
            double[] v = new double[Math.toIntExact(a.getShape().size())];
            String name = p.getKey().toLowerCase(Locale.ROOT);
            double mean = name.endsWith("gamma") || name.endsWith("_scale") ? 1 : 0;
            for (int i = 0; i < v.length; i++) {
                v[i] = mean + std * rng.nextGaussian();
            }
            try (NDManager scope = manager.newSubManager()) {
                scope.create(v, a.getShape()).toType(a.getDataType(), false).copyTo(a);
            }
        }
    }

    /**
     * log|det ∂f/∂x| of the forward map at one example, from a central-difference Jacobian in
     * float64: one batched forward call on the 2D perturbed copies x ± h·e_j.
     *
     * @param t a float64 transform that keeps the number of dimensions
     * @param x one example, shape (1, ...), float64
     * @param h the step
     * @return the log-absolute-determinant of the numerical Jacobian
     * @throws IllegalStateException when the output has another number of dimensions
     */
    public static double bruteForceLogDet(FlowTransform t, NDArray x, double h) {
        Shape shape = x.getShape();
        if (shape.get(0) != 1) {
            throw new IllegalArgumentException("x must hold one example, shape (1, ...), got " + shape);
        }
        int d = Math.toIntExact(shape.size());
        double[] x0 = x.toDoubleArray();
        double[] batch = new double[2 * d * d];
        for (int j = 0; j < d; j++) {
            for (int i = 0; i < d; i++) {
                batch[(2 * j) * d + i] = x0[i] + (i == j ? h : 0);
                batch[(2 * j + 1) * d + i] = x0[i] - (i == j ? h : 0);
            }
        }
        long[] dims = shape.getShape().clone();
        dims[0] = 2L * d;
        try (NDManager scope = x.getManager().newSubManager()) {
            NDArray in = scope.create(batch, new Shape(dims));
            double[] out = t.forward(in).value().toDoubleArray();
            int dOut = out.length / (2 * d);
            if (dOut != d) {
                throw new IllegalStateException("not dimension-preserving: " + d + " -> " + dOut);
            }
            double[][] jac = new double[d][d];
            for (int j = 0; j < d; j++) {
                for (int i = 0; i < d; i++) {
                    jac[i][j] = (out[(2 * j) * d + i] - out[(2 * j + 1) * d + i]) / (2 * h);
                }
            }
            return logAbsDet(jac);
        }
    }

    /**
     * log|det A| by LU decomposition with partial pivoting.
     *
     * @param a a square matrix (not modified)
     * @return log|det A|, −∞ for a singular matrix
     */
    public static double logAbsDet(double[][] a) {
        int n = a.length;
        double[][] m = new double[n][];
        for (int i = 0; i < n; i++) {
            if (a[i].length != n) {
                throw new IllegalArgumentException("the matrix must be square, row " + i + " has " + a[i].length
                        + " entries, expected " + n);
            }
            m[i] = a[i].clone();
        }
        double logDet = 0;
        for (int k = 0; k < n; k++) {
            int p = k;
            for (int i = k + 1; i < n; i++) {
                if (Math.abs(m[i][k]) > Math.abs(m[p][k])) {
                    p = i;
                }
            }
            double[] tmp = m[k];
            m[k] = m[p];
            m[p] = tmp;
            double pivot = m[k][k];
            if (pivot == 0) {
                return Double.NEGATIVE_INFINITY;
            }
            logDet += Math.log(Math.abs(pivot));
            for (int i = k + 1; i < n; i++) {
                double f = m[i][k] / pivot;
                for (int j = k; j < n; j++) {
                    m[i][j] -= f * m[k][j];
                }
            }
        }
        return logDet;
    }

    /**
     * @param example the shape of one example
     * @param n the batch size
     * @return (n, example...)
     */
    public static Shape batch(Shape example, long n) {
        long[] d = new long[example.dimension() + 1];
        d[0] = n;
        System.arraycopy(example.getShape(), 0, d, 1, example.dimension());
        return new Shape(d);
    }

    private static String describe(FlowTransform t, Shape example, long seed) {
        return t.getClass().getSimpleName() + " on examples of shape " + example + " (seed " + seed + ")";
    }
}
