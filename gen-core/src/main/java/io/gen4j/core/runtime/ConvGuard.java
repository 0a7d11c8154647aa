package io.gen4j.core.runtime;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.kernels.Bfloat16Casts;
import io.gen4j.core.kernels.Kernels;
import io.gen4j.core.math.Slices;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single entry point through which every gen4j convolution runs, protecting it from the oneDNN
 * bug of some x86 CPUs (docs/known-issues.md §1).
 *
 * <p>The mode is chosen once per process, the first time a convolution block is built, a convolution
 * runs or {@link #status()} is asked, and not before: a process that never convolves (an MLP, a
 * flow on 2-D points, a transformer) never runs the canary and does not pay its start-up time
 * ({@link #decided()} tells whether it ran):
 *
 * <ol>
 *   <li>an explicit choice: {@link #force(ConvGuardMode)}, else the system property {@code
 *       gen4j.convGuard}, else the environment variable {@code GEN4J_CONV_GUARD} ({@code auto},
 *       {@code none}, {@code pad}, {@code reduced-isa});
 *   <li>{@code auto} (the default): the {@link ConvSelfTest canary} runs the engine's convolution
 *       unguarded; if it is correct the mode is {@link ConvGuardMode#NONE}, otherwise the canary runs
 *       again through channel padding and, when that is correct, the mode is {@link
 *       ConvGuardMode#PAD_CHANNELS}. If padding does not fix it either, gen4j falls back to {@link
 *       ConvGuardMode#REDUCED_ISA} and checks that.
 * </ol>
 *
 * <p>Under {@link ConvGuardMode#PAD_CHANNELS} a float32 convolution that autograd records nothing for ({@link
 * Kernels#recordsGradient} false: needs an engine that can tell) keeps its out-channels unpadded where the raw
 * canary's forward cases with such out-channels passed ({@link Status#forwardKeepsOutputChannels()}): on the CPUs of
 * docs/known-issues.md §1 the out-channel fault is in the input gradient only.
 *
 * <p>Arrays on a GPU are never padded (cuDNN does not have this bug). The canary needs a {@code
 * GradientCollector}, and DJL allows only one open at a time: gen4j's conv blocks and {@code Fit}
 * decide the mode when they are built or started; code that calls the functional convolutions inside
 * its own collector should call {@link #status()} once before.
 */
public final class ConvGuard {

    /** System property that overrides the mode. */
    public static final String PROPERTY = "gen4j.convGuard";
    /** Environment variable that overrides the mode when the property is not set. */
    public static final String ENV = "GEN4J_CONV_GUARD";

    private static final Logger LOG = LoggerFactory.getLogger(ConvGuard.class);
    private static final int CHANNEL_MULTIPLE = 16;

    private static volatile Status status;
    /** {@link Status#forwardKeepsOutputChannels()} of the status in force (read on every padded convolution). */
    private static volatile boolean keepOutputs;
    private static volatile Bfloat16Status bfloat16;

    private ConvGuard() {}

    /**
     * What the guard decided and why.
     *
     * @param mode the mode in force
     * @param source {@code "auto"} when the self-test chose it, otherwise where the override came
     *     from
     * @param unguarded the canary on the raw engine convolution ({@code null} when not run)
     * @param guarded the canary through the chosen mode ({@code null} when not run)
     */
    public record Status(
            ConvGuardMode mode, String source, ConvSelfTest.Report unguarded, ConvSelfTest.Report guarded) {

        /** @return a one-line description for logs and the {@code doctor} command */
        public String describe() {
            StringBuilder sb = new StringBuilder();
            sb.append(mode).append(" (").append(source).append(')');
            if (unguarded != null) {
                sb.append("; raw engine convolution: ")
                        .append(unguarded.passed() ? "correct" : "WRONG")
                        .append(" [")
                        .append(unguarded.summary())
                        .append(']');
            }
            if (guarded != null) {
                sb.append("; guarded: ")
                        .append(guarded.passed() ? "correct" : "WRONG")
                        .append(" [")
                        .append(guarded.summary())
                        .append(']');
            }
            if (forwardKeepsOutputChannels()) {
                sb.append("; convolutions that record no gradient keep their out-channels (raw forward correct for"
                        + " them)");
            }
            return sb.toString();
        }

        /**
         * Whether {@link ConvGuardMode#PAD_CHANNELS} may leave the out-channels of a convolution unpadded where
         * autograd records nothing for it (a sampler, or inputs and parameters that need no gradient; the engine's
         * kernels must be able to tell, {@link Kernels#recordsGradient}): the raw canary's forward cases with
         * out-channels that are not a multiple of 16 and in-channels the guard does not pad (below 16 or a
         * multiple of 16) all passed. On the CPUs of docs/known-issues.md §1 those out-channels break the input
         * gradient only. False for forced modes (no raw report).
         *
         * @return whether forward-only convolutions keep their out-channels
         */
        public boolean forwardKeepsOutputChannels() {
            return mode == ConvGuardMode.PAD_CHANNELS && forwardCorrectForUnalignedOutputs(unguarded);
        }

        /** @return {@link #describe()}: one line, not the canary's individual cases */
        @Override
        public String toString() {
            return describe();
        }
    }

    /**
     * Whether convolutions run in bfloat16 where {@link Autocast} requests it, and why.
     *
     * @param usable whether they do
     * @param mode how: {@link ConvGuardMode#NONE} (the engine's bfloat16 convolution as it is) or {@link
     *     ConvGuardMode#PAD_CHANNELS}; null when not usable
     * @param reason why not, or null when usable
     * @param raw the bfloat16 canary on the raw engine convolution ({@code null} when not run)
     * @param padded the bfloat16 canary through channel padding ({@code null} when not run)
     * @param casts the engine's conversions, or null when not usable
     */
    public record Bfloat16Status(boolean usable, ConvGuardMode mode, String reason, ConvSelfTest.Report raw,
            ConvSelfTest.Report padded, Bfloat16Casts casts) {

        /** @return one line for logs, {@code bench} and {@code doctor} */
        public String describe() {
            StringBuilder sb = new StringBuilder(usable ? "in bfloat16 (" + mode + ")" : "in float32: " + reason);
            if (raw != null) {
                sb.append("; bf16 canary raw: ").append(raw.passed() ? "correct" : "WRONG").append(" [")
                        .append(raw.summary()).append(']');
            }
            if (padded != null) {
                sb.append("; padded: ").append(padded.passed() ? "correct" : "WRONG").append(" [")
                        .append(padded.summary()).append(']');
            }
            return sb.toString();
        }

        @Override
        public String toString() {
            return describe();
        }
    }

    /**
     * Decides, once per process, whether bfloat16 convolutions can run here: the engine must convert
     * arrays to bfloat16 ({@link Kernels#bfloat16()}) and the canary must pass in bfloat16 ({@link
     * ConvSelfTest#runBfloat16}), raw or else through channel padding. Must first be called outside a
     * {@code GradientCollector} ({@link Autocast#bfloat16()} and the conv blocks do).
     *
     * @return the decision
     */
    public static Bfloat16Status bfloat16Status() {
        Bfloat16Status s = bfloat16;
        if (s == null) {
            synchronized (ConvGuard.class) {
                s = bfloat16;
                if (s == null) {
                    s = decideBfloat16();
                    bfloat16 = s;
                    LOG.info("bfloat16 convolutions: {}", s.describe());
                }
            }
        }
        return s;
    }

    /**
     * The bfloat16 decision if it was made, without making it.
     *
     * @return the decision so far
     */
    public static java.util.Optional<Bfloat16Status> bfloat16Decided() {
        return java.util.Optional.ofNullable(bfloat16);
    }

    private static Bfloat16Status decideBfloat16() {
        String engine = Engine.getInstance().getEngineName();
        java.util.Optional<Bfloat16Casts> casts = Kernels.forEngine(engine).bfloat16();
        if (casts.isEmpty()) {
            return new Bfloat16Status(false, null, "the " + engine + " engine's kernels have no bfloat16 conversion"
                    + " (gen-pytorch on Linux x86-64 has)", null, null, null);
        }
        Bfloat16Casts c = casts.get();
        try (NDManager manager = NDManager.newBaseManager(ai.djl.Device.cpu())) {
            ConvSelfTest.Report raw = ConvSelfTest.runBfloat16(manager, (x, w) ->
                    inBfloat16(c, x, w, null, ones(x), zeros(x), ones(x), ConvGuardMode.NONE));
            if (raw.passed()) {
                return new Bfloat16Status(true, ConvGuardMode.NONE, null, raw, null, c);
            }
            ConvSelfTest.Report pad = ConvSelfTest.runBfloat16(manager, (x, w) ->
                    inBfloat16(c, x, w, null, ones(x), zeros(x), ones(x), ConvGuardMode.PAD_CHANNELS));
            if (pad.passed()) {
                return new Bfloat16Status(true, ConvGuardMode.PAD_CHANNELS, null, raw, pad, c);
            }
            LOG.warn("bfloat16 convolutions are wrong on this CPU, raw ({}) and padded ({}); they stay float32",
                    raw.summary(), pad.summary());
            return new Bfloat16Status(false, null, "the bfloat16 canary fails raw and padded", raw, pad, null);
        } catch (IllegalStateException e) {
            if (String.valueOf(e.getMessage()).contains("already collecting")) {
                throw new IllegalStateException(
                        "the bfloat16 convolution canary must run outside a GradientCollector: open the"
                                + " Autocast scope (or build the conv blocks) before opening one", e);
            }
            throw e;
        }
    }

    /**
     * The decision if it was made, without making it: empty until the first convolution block is built,
     * a convolution runs or {@link #status()} is asked.
     *
     * @return the decision so far
     */
    public static java.util.Optional<Status> decided() {
        return java.util.Optional.ofNullable(status);
    }

    /**
     * Decides what a convolution block needs before it first runs, outside any {@code GradientCollector}
     * (the canaries open one): the guard ({@link #status()}) and, when bfloat16 is requested on this thread
     * ({@link Autocast#requested()}), the bfloat16 canary ({@link #bfloat16Status()}). Convolution blocks call
     * it in their constructors.
     */
    public static void prepare() {
        status();
        if (Autocast.requested() == Autocast.Precision.BFLOAT16) {
            bfloat16Status();
        }
    }

    /** @return the mode in force, deciding it (and running the canary) on first use */
    public static ConvGuardMode mode() {
        return status().mode();
    }

    /** @return the decision, making it on first use */
    public static Status status() {
        Status s = status;
        if (s == null) {
            synchronized (ConvGuard.class) {
                s = status;
                if (s == null) {
                    s = decide();
                    keepOutputs = s.forwardKeepsOutputChannels();
                    status = s;
                    LOG.info("Convolution guard: {}", s.describe());
                }
            }
        }
        return s;
    }

    /**
     * Forces a mode for the rest of the process (tests, the CLI's {@code --conv-guard}). {@link
     * ConvGuardMode#REDUCED_ISA} only takes effect if no convolution has run yet.
     *
     * @param mode the mode to use
     */
    public static synchronized void force(ConvGuardMode mode) {
        Objects.requireNonNull(mode, "mode");
        if (mode == ConvGuardMode.REDUCED_ISA) {
            reduceIsa();
        }
        keepOutputs = false;
        status = new Status(mode, "forced", null, null);
        LOG.info("Convolution guard forced to {}", mode);
    }

    /**
     * Runs the float32 canary through the mode now in force, without changing it (and without {@link
     * Autocast}: {@link #bfloat16Status()} has the bfloat16 verdict).
     *
     * @return the report
     */
    public static ConvSelfTest.Report check() {
        ConvGuardMode m = mode();
        try (NDManager manager = NDManager.newBaseManager(ai.djl.Device.cpu())) {
            return ConvSelfTest.run(manager, (x, w) -> convolution(x, w, null, ones(x), zeros(x), ones(x), m));
        }
    }

    /**
     * An N-d convolution (1-D, 2-D or 3-D by the rank of {@code x}) through the guard. Groups are not
     * supported: every gen4j block uses dense convolutions.
     *
     * @param x input, shape (N, C_in, ...)
     * @param weight shape (C_out, C_in, k...)
     * @param bias shape (C_out) or {@code null}
     * @param stride stride per spatial axis
     * @param padding symmetric zero padding per spatial axis
     * @param dilation dilation per spatial axis
     * @return the output, shape (N, C_out, ...), in the manager of {@code x}
     */
    public static NDArray convolution(
            NDArray x, NDArray weight, NDArray bias, Shape stride, Shape padding, Shape dilation) {
        if (!x.getDevice().isGpu() && Autocast.requested() == Autocast.Precision.BFLOAT16
                && x.getDataType() == DataType.FLOAT32) {
            Bfloat16Status s = bfloat16Status();
            if (s.usable() && s.casts().takes(x) && s.casts().takes(weight) && (bias == null || s.casts().takes(bias))) {
                return inBfloat16(s.casts(), x, weight, bias, stride, padding, dilation, s.mode());
            }
        }
        return convolution(x, weight, bias, stride, padding, dilation, x.getDevice().isGpu() ? ConvGuardMode.NONE : mode());
    }

    /**
     * The convolution computed in bfloat16 from float32 arrays ({@link Autocast}): x, the weight and the bias
     * converted (after channel padding in {@link ConvGuardMode#PAD_CHANNELS}), the engine's convolution, the
     * output converted back. The bfloat16 arrays are closed before returning (autograd keeps what it needs).
     *
     * @param casts the engine's conversions
     * @param x input, float32
     * @param weight float32
     * @param bias float32 or null
     * @param stride stride per spatial axis
     * @param padding symmetric zero padding per spatial axis
     * @param dilation dilation per spatial axis
     * @param m {@link ConvGuardMode#PAD_CHANNELS} to pad channels, else none
     * @return the float32 output, in the manager of {@code x}
     */
    public static NDArray inBfloat16(Bfloat16Casts casts, NDArray x, NDArray weight, NDArray bias, Shape stride,
            Shape padding, Shape dilation, ConvGuardMode m) {
        Conv conv = (xp, wp, bp) -> {
            NDManager manager = x.getManager();
            NDArray xb = casts.toBfloat16(xp, manager);
            NDArray wb = casts.toBfloat16(wp, manager);
            NDArray bb = bp == null ? null : casts.toBfloat16(bp, manager);
            NDArray yb = raw(xb, wb, bb, stride, padding, dilation);
            NDArray y = casts.toFloat32(yb, manager);
            yb.close();
            xb.close();
            wb.close();
            if (bb != null) {
                bb.close();
            }
            return y;
        };
        return m == ConvGuardMode.PAD_CHANNELS ? padded(x, weight, bias, conv, true) : conv.apply(x, weight, bias);
    }

    /** A convolution of given input, weight and bias with the caller's stride, padding and dilation. */
    @FunctionalInterface
    private interface Conv {
        NDArray apply(NDArray x, NDArray weight, NDArray bias);
    }

    /**
     * The same convolution through an explicitly chosen mode (for tests and benchmarks; {@link
     * ConvGuardMode#REDUCED_ISA} behaves like {@link ConvGuardMode#NONE} here, since the ISA is a
     * process-wide setting).
     *
     * @param x input, shape (N, C_in, ...)
     * @param weight shape (C_out, C_in, k...)
     * @param bias shape (C_out) or {@code null}
     * @param stride stride per spatial axis
     * @param padding symmetric zero padding per spatial axis
     * @param dilation dilation per spatial axis
     * @param m the mode
     * @return the output, in the manager of {@code x}
     */
    public static NDArray convolution(
            NDArray x, NDArray weight, NDArray bias, Shape stride, Shape padding, Shape dilation, ConvGuardMode m) {
        if (m != ConvGuardMode.PAD_CHANNELS) {
            return raw(x, weight, bias, stride, padding, dilation);
        }
        return padded(x, weight, bias, stride, padding, dilation);
    }

    private static NDArray padded(
            NDArray x, NDArray weight, NDArray bias, Shape stride, Shape padding, Shape dilation) {
        return padded(x, weight, bias, (xp, wp, bp) -> raw(xp, wp, bp, stride, padding, dilation), false);
    }

    private static NDArray raw(
            NDArray x, NDArray weight, NDArray bias, Shape stride, Shape padding, Shape dilation) {
        return x.getNDArrayInternal().convolution(x, weight, bias, stride, padding, dilation, 1).head();
    }

    /**
     * Pads the channels to multiples of 16, convolves, drops the extra outputs. In-channels below 16 are padded
     * only when {@code allInputs} (bfloat16: its input gradient is wrong for them on the CPUs of
     * docs/known-issues.md §1, where float32's is not).
     */
    private static NDArray padded(NDArray x, NDArray weight, NDArray bias, Conv conv, boolean allInputs) {
        NDManager manager = x.getManager();
        long cin = x.getShape().get(1);
        long cout = weight.getShape().get(0);
        long cinPadded = cin < CHANNEL_MULTIPLE && !allInputs ? cin : roundUp(cin);
        long coutPadded = roundUp(cout);
        if (coutPadded != cout && !allInputs && keepOutputs
                && !Kernels.forArray(x).recordsGradient(x, weight, bias).orElse(true)) {
            coutPadded = cout; // nothing differentiates it: the forward is correct for these out-channels here
        }
        NDArray xp = x;
        NDArray wp = weight;
        NDArray bp = bias;
        if (cinPadded != cin) {
            xp = x.concat(manager.zeros(withAxis(x.getShape(), 1, cinPadded - cin), x.getDataType()), 1);
            wp = weight.concat(
                    manager.zeros(withAxis(weight.getShape(), 1, cinPadded - cin), weight.getDataType()), 1);
            wp.attach(manager);
        }
        if (coutPadded != cout) {
            NDArray extra = manager.zeros(withAxis(wp.getShape(), 0, coutPadded - cout), weight.getDataType());
            NDArray grown = wp.concat(extra, 0);
            grown.attach(manager);
            wp = grown;
            if (bias != null) {
                bp = bias.concat(manager.zeros(new Shape(coutPadded - cout), bias.getDataType()), 0);
                bp.attach(manager);
            }
        }
        NDArray y = conv.apply(xp, wp, bp);
        return coutPadded == cout ? y : Slices.narrow(y, 1, 0, cout);
    }

    private static final java.util.regex.Pattern CASE_CHANNELS =
            java.util.regex.Pattern.compile("\\bin=(\\d+) out=(\\d+)\\b.* forward$");

    /**
     * @param raw the canary's report on the unguarded convolution, or null
     * @return whether it has forward cases with out-channels that are not a multiple of 16 and in-channels the
     *     guard does not pad, and all of them passed
     */
    static boolean forwardCorrectForUnalignedOutputs(ConvSelfTest.Report raw) {
        if (raw == null) {
            return false;
        }
        boolean any = false;
        for (ConvSelfTest.Case c : raw.cases()) {
            java.util.regex.Matcher m = CASE_CHANNELS.matcher(c.name());
            if (!m.find()) {
                continue;
            }
            long in = Long.parseLong(m.group(1));
            long out = Long.parseLong(m.group(2));
            if (out % CHANNEL_MULTIPLE == 0 || (in >= CHANNEL_MULTIPLE && in % CHANNEL_MULTIPLE != 0)) {
                continue;
            }
            any = true;
            if (!c.passed()) {
                return false;
            }
        }
        return any;
    }

    private static long roundUp(long c) {
        return (c + CHANNEL_MULTIPLE - 1) / CHANNEL_MULTIPLE * CHANNEL_MULTIPLE;
    }

    private static Shape withAxis(Shape shape, int axis, long size) {
        long[] dims = shape.getShape().clone(); // getShape() exposes the Shape's own array
        dims[axis] = size;
        return new Shape(dims);
    }

    /** @return stride or dilation 1 along each spatial axis of x (also for the tests of this package) */
    static Shape ones(NDArray x) {
        long[] d = new long[x.getShape().dimension() - 2];
        java.util.Arrays.fill(d, 1);
        return new Shape(d);
    }

    /** @return padding 0 along each spatial axis of x */
    static Shape zeros(NDArray x) {
        return new Shape(new long[x.getShape().dimension() - 2]);
    }

    private static Status decide() {
        try {
            return decideOrThrow();
        } catch (IllegalStateException e) {
            if (String.valueOf(e.getMessage()).contains("already collecting")) {
                throw new IllegalStateException(
                        "the convolution guard's canary must run outside a GradientCollector: call"
                                + " ConvGuard.status() (or build the conv blocks) before opening one", e);
            }
            throw e;
        }
    }

    private static Status decideOrThrow() {
        String property = System.getProperty(PROPERTY);
        String env = System.getenv(ENV);
        String requested = property != null ? property : env;
        if (requested != null && !requested.isBlank() && !"auto".equalsIgnoreCase(requested.trim())) {
            ConvGuardMode forced = ConvGuardMode.parse(requested);
            if (forced == ConvGuardMode.REDUCED_ISA) {
                reduceIsa();
            }
            String source = property != null ? "-D" + PROPERTY : ENV;
            return new Status(forced, source, null, null);
        }
        try (NDManager manager = NDManager.newBaseManager(ai.djl.Device.cpu())) {
            ConvSelfTest.Report plain = ConvSelfTest.run(
                    manager, (x, w) -> raw(x, w, null, ones(x), zeros(x), ones(x)));
            if (plain.passed()) {
                return new Status(ConvGuardMode.NONE, "auto", plain, null);
            }
            ConvSelfTest.Report pad = ConvSelfTest.run(
                    manager, (x, w) -> padded(x, w, null, ones(x), zeros(x), ones(x)));
            if (pad.passed()) {
                return new Status(ConvGuardMode.PAD_CHANNELS, "auto", plain, pad);
            }
            LOG.warn("Channel padding does not fix this engine's convolutions ({}); trying ONEDNN_MAX_CPU_ISA=SSE41",
                    pad.summary());
            reduceIsa();
            ConvSelfTest.Report isa = ConvSelfTest.run(
                    manager, (x, w) -> raw(x, w, null, ones(x), zeros(x), ones(x)));
            if (!isa.passed()) {
                throw new IllegalStateException(
                        "This engine computes wrong convolutions and no guard fixes them: "
                                + isa.summary()
                                + ". Start the JVM with ONEDNN_MAX_CPU_ISA=SSE41 in the environment"
                                + " or run on another device.");
            }
            return new Status(ConvGuardMode.REDUCED_ISA, "auto", plain, isa);
        }
    }

    private static void reduceIsa() {
        if (!NativeEnvironment.supported()) {
            LOG.warn("Cannot set ONEDNN_MAX_CPU_ISA from inside the JVM on this OS; set it before starting java");
            return;
        }
        NativeEnvironment.set("ONEDNN_MAX_CPU_ISA", "SSE41");
    }
}
