package io.gen4j.core.runtime;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A process-wide request to stop at the next safe point, and the shutdown hook that turns Ctrl-C (SIGINT) and
 * SIGTERM (a scheduler's preemption, {@code kill}) into one.
 *
 * <p><b>Why.</b> The JVM answers SIGINT and SIGTERM by running its shutdown hooks and then ending the process,
 * which runs libtorch's static destructors. A thread still inside a libtorch operation at that moment (a
 * backward pass, say) can then crash the JVM with SIGSEGV and leave an {@code hs_err_pid*.log}
 * (docs/known-issues.md); and the training steps since the last checkpoint are lost. With {@link
 * #installShutdownHook} the process ends only after the work has reached a safe point and unwound (or after
 * the grace period).
 *
 * <p><b>Safe points</b> check {@link #isRequested()} (a volatile read) between two units of work:
 *
 * <ul>
 *   <li>{@code Fit}, before every step and after the last: it writes a checkpoint of the steps done (when it
 *       has a checkpointer) and throws {@code TrainingStoppedException}, so a resume continues from the step
 *       reached;
 *   <li>{@code ChunkedSampleable} before every chunk; every sampler and solver loop (the diffusion samplers, SEDD's,
 *       the SDE and ODE solvers, Langevin dynamics, PixelCNN's rows, MADE's positions, WaveNet's time steps) and
 *       gen-eval's feature extraction before every step or batch: they throw {@link StopRequestedException},
 *       leaving nothing they made in the caller's manager.
 * </ul>
 *
 * Code without a safe point runs on until the grace period ends. A library user can call {@link #request}
 * from any thread (a UI's stop button) and catch {@link StopRequestedException}; {@link #clear()} withdraws the
 * request.
 *
 * <pre>{@code
 * public static void main(String[] args) {
 *     try (StopSignal.Hook hook = StopSignal.installShutdownHook(StopSignal.gracePeriod(), System.err)) {
 *         train(); // Fit writes a checkpoint and throws TrainingStoppedException on Ctrl-C
 *     }
 * }
 * }</pre>
 */
public final class StopSignal {

    /** Environment variable: the grace period in seconds (default {@value #DEFAULT_GRACE_SECONDS}). */
    public static final String GRACE_ENV = "GEN4J_STOP_GRACE";
    /** The grace period when {@value #GRACE_ENV} is not set. */
    public static final int DEFAULT_GRACE_SECONDS = 30;

    private static final Logger LOG = LoggerFactory.getLogger(StopSignal.class);
    private static final AtomicInteger WAITING_FOR_INPUT = new AtomicInteger();
    private static volatile String reason;

    private StopSignal() {}

    /**
     * Asks every safe point from now on to stop. The first reason is kept.
     *
     * @param why what asked, for messages (e.g. "interrupted (SIGINT or SIGTERM)")
     */
    public static synchronized void request(String why) {
        Objects.requireNonNull(why, "why");
        if (reason == null) {
            reason = why;
            LOG.info("stop requested: {}", why);
        }
    }

    /** @return whether a stop has been requested (and not cleared) */
    public static boolean isRequested() {
        return reason != null;
    }

    /** @return why the stop was requested, when it was */
    public static Optional<String> reason() {
        return Optional.ofNullable(reason);
    }

    /** Withdraws the request: safe points run on again. */
    public static synchronized void clear() {
        reason = null;
    }

    /**
     * A safe point of code that has nothing to save.
     *
     * @throws StopRequestedException when a stop has been requested
     */
    public static void throwIfRequested() {
        String r = reason;
        if (r != null) {
            throw new StopRequestedException(r);
        }
    }

    /**
     * Runs code that waits for the user (a yes/no question on the console), during which nothing runs that a stop
     * must wait for: a shutdown hook that starts meanwhile lets the JVM end at once, as Ctrl-C at a prompt should.
     *
     * @param <T> the answer's type
     * @param wait reads the answer
     * @return the answer
     */
    public static <T> T waitingForInput(Supplier<T> wait) {
        WAITING_FOR_INPUT.incrementAndGet();
        try {
            return wait.get();
        } finally {
            WAITING_FOR_INPUT.decrementAndGet();
        }
    }

    /**
     * @return the grace period of {@value #GRACE_ENV} (whole seconds, at least 0), or {@value
     *     #DEFAULT_GRACE_SECONDS} s when it is not set
     * @throws IllegalArgumentException when it is set to something else
     */
    public static Duration gracePeriod() {
        return gracePeriod(System.getenv(GRACE_ENV));
    }

    static Duration gracePeriod(String value) {
        if (value == null || value.isBlank()) {
            return Duration.ofSeconds(DEFAULT_GRACE_SECONDS);
        }
        try {
            long seconds = Long.parseLong(value.trim());
            if (seconds >= 0) {
                return Duration.ofSeconds(seconds);
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException(GRACE_ENV + " must be a whole number of seconds >= 0, got '" + value + "'");
    }

    /**
     * Registers a shutdown hook that, when the JVM begins to shut down before {@link Hook#close()} (Ctrl-C,
     * SIGTERM, {@code System.exit} from another thread), {@link #request requests a stop}, prints one line on
     * {@code err} and keeps the JVM alive until {@link Hook#close()} or the grace period ends. The process's exit
     * status is still the JVM's for the signal (130 for SIGINT, 143 for SIGTERM).
     *
     * @param grace how long the hook waits for the work to reach a safe point and unwind
     * @param err where the hook says what it does (the CLI passes stderr)
     * @return the hook; close it when the work and its clean-up are done, also on exceptions
     */
    public static Hook installShutdownHook(Duration grace, PrintStream err) {
        Objects.requireNonNull(grace, "grace");
        Objects.requireNonNull(err, "err");
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace must be >= 0, got " + grace);
        }
        Hook hook = new Hook(grace, err);
        Runtime.getRuntime().addShutdownHook(hook.thread);
        return hook;
    }

    /** The registered hook of {@link #installShutdownHook}. */
    public static final class Hook implements AutoCloseable {

        private final CountDownLatch done = new CountDownLatch(1);
        private final Duration grace;
        private final PrintStream err;
        private final Thread thread;
        private volatile boolean ran;

        private Hook(Duration grace, PrintStream err) {
            this.grace = grace;
            this.err = err;
            this.thread = new Thread(this::onShutdown, "gen4j-stop");
        }

        private void onShutdown() {
            if (done.getCount() == 0) {
                return;
            }
            ran = true;
            request("Ctrl-C, SIGTERM or an exit of the JVM");
            if (WAITING_FOR_INPUT.get() > 0) {
                err.println(); // after the prompt's line
                err.flush();
                return;
            }
            long seconds = grace.toSeconds();
            err.printf(Locale.ROOT, "%ngen4j: stopping at the next safe point (a training first writes a checkpoint);"
                    + " waiting up to %d s%n", seconds);
            err.flush();
            try {
                if (!done.await(grace.toNanos(), TimeUnit.NANOSECONDS)) {
                    err.printf(Locale.ROOT, "gen4j: still working after %d s; exiting without a safe point (%s sets"
                            + " the wait)%n", seconds, GRACE_ENV);
                    err.flush();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** @return whether the JVM began to shut down before {@link #close()} (the hook then ran) */
        public boolean ran() {
            return ran;
        }

        /**
         * The work is done: the hook lets the JVM end at once if it is shutting down, and is removed if it is
         * not.
         */
        @Override
        public void close() {
            done.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(thread);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook is running, or has run
            }
        }
    }
}
