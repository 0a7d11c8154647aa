package io.gen4j.core.runtime;

import java.util.Locale;
import java.util.Objects;

/**
 * Mixed precision for convolutions, as {@code torch.autocast("cpu", dtype=torch.bfloat16)} does for them: where
 * bfloat16 is requested, every convolution through {@link ConvGuard} (so every gen4j convolution block,
 * transposed ones included) whose input is a float32 CPU array converts its input, weight and bias to
 * bfloat16, convolves in bfloat16 (oneDNN accumulates in float32) and converts the output back to float32.
 * Parameters, gradients, optimizer state and every other operation stay float32; the gradient of each
 * conversion is the conversion back, so a convolution's input and weight gradients are bfloat16 values
 * returned as float32. On CPUs with AVX-512-BF16 or AMX this is several times faster than float32
 * (docs/performance.md); elsewhere oneDNN emulates it and it may be slower.
 *
 * <p>Where it is requested, in order: the innermost open {@link Scope} of the calling thread ({@link
 * #bfloat16()}, {@link #float32()}); else the system property {@value #PROPERTY}, else the environment variable
 * {@value #ENV} ({@code bf16}/{@code bfloat16}, or {@code off}/{@code fp32}/{@code float32}), for every thread;
 * else nowhere.
 *
 * <p>Where it applies: only when the engine can convert arrays to bfloat16 (gen-pytorch on the class path,
 * Linux x86-64: {@code io.gen4j.core.kernels.Kernels#bfloat16}) and the convolution canary passes in bfloat16
 * on this CPU, raw or through channel padding ({@link ConvGuard#bfloat16Status()}, decided once per process,
 * the first time bfloat16 is requested by a scope or a convolution block is built while it is requested). Not
 * on a GPU: there the arrays stay float32. Otherwise convolutions stay float32 and the status says why.
 */
public final class Autocast {

    /** System property requesting bfloat16 for every thread: {@code bf16} or {@code off}. */
    public static final String PROPERTY = "gen4j.autocast";
    /** Environment variable read when {@value #PROPERTY} is not set. */
    public static final String ENV = "GEN4J_AUTOCAST";

    private static final ThreadLocal<Precision> SCOPE = new ThreadLocal<>();
    /** {@value #ENV}, read once: a JVM's environment does not change, and every convolution asks. */
    private static final String ENV_VALUE = System.getenv(ENV);

    private Autocast() {}

    /** The precision convolutions compute in. */
    public enum Precision {
        /** float32 throughout (the default). */
        FLOAT32,
        /** Convolutions in bfloat16 from and to float32 arrays. */
        BFLOAT16;

        /**
         * @param value {@code bf16}, {@code bfloat16}, {@code off}, {@code fp32} or {@code float32} (any case)
         * @return the precision
         * @throws IllegalArgumentException for anything else
         */
        public static Precision parse(String value) {
            String v = Objects.requireNonNull(value, "value").trim().toLowerCase(Locale.ROOT);
            switch (v) {
                case "bf16":
                case "bfloat16":
                    return BFLOAT16;
                case "off":
                case "fp32":
                case "float32":
                    return FLOAT32;
                default:
                    throw new IllegalArgumentException(
                            "autocast must be bf16, bfloat16, off, fp32 or float32, got '" + value + "'");
            }
        }
    }

    /**
     * Requests bfloat16 convolutions on this thread until the scope closes, and decides now (outside any
     * gradient collector, which the canary needs) whether they can run here.
     *
     * @return the scope; close it on the thread that opened it
     */
    public static Scope bfloat16() {
        Scope scope = new Scope(Precision.BFLOAT16);
        ConvGuard.bfloat16Status();
        return scope;
    }

    /**
     * Requests float32 convolutions on this thread until the scope closes, whatever the process default.
     *
     * @return the scope; close it on the thread that opened it
     */
    public static Scope float32() {
        return new Scope(Precision.FLOAT32);
    }

    /** @return the precision requested for the calling thread: its innermost scope, else the process default */
    public static Precision requested() {
        Precision p = SCOPE.get();
        return p != null ? p : processDefault();
    }

    /**
     * @return the process default: {@value #PROPERTY}, else {@value #ENV}, else {@link Precision#FLOAT32}
     * @throws IllegalArgumentException when the one set is not a precision
     */
    public static Precision processDefault() {
        String property = System.getProperty(PROPERTY);
        String value = property != null ? property : ENV_VALUE;
        if (value == null || value.isBlank()) {
            return Precision.FLOAT32;
        }
        try {
            return Precision.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException((property != null ? "-D" + PROPERTY : ENV) + ": " + e.getMessage(), e);
        }
    }

    /**
     * @return one line for logs, {@code bench} and {@code doctor}: what this thread requests and, when it is
     *     bfloat16, whether convolutions run in it here
     */
    public static String describe() {
        Precision p = requested();
        if (p == Precision.FLOAT32) {
            return "off (float32)";
        }
        return "bf16 requested; convolutions " + ConvGuard.bfloat16Status().describe();
    }

    /** A request on one thread, restoring the previous one when closed. */
    public static final class Scope implements AutoCloseable {
        private final Precision previous;
        private final Thread thread;
        private boolean closed;

        private Scope(Precision precision) {
            this.previous = SCOPE.get();
            this.thread = Thread.currentThread();
            SCOPE.set(precision);
        }

        /** Restores the request that was in force when the scope opened. */
        @Override
        public void close() {
            if (closed) {
                return;
            }
            if (Thread.currentThread() != thread) {
                throw new IllegalStateException("an autocast scope must be closed on the thread that opened it ("
                        + thread.getName() + ")");
            }
            closed = true;
            if (previous == null) {
                SCOPE.remove();
            } else {
                SCOPE.set(previous);
            }
        }
    }
}
