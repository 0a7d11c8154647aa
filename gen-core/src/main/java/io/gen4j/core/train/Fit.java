package io.gen4j.core.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.gen4j.core.data.BatchSource;
import io.gen4j.core.runtime.StopSignal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The training loop: runs a {@link TrainingStep} over batches of a {@link BatchSource} for a number
 * of steps, with a per-step memory scope, listeners, periodic checkpoints and sample grids, and a
 * NaN/Inf guard.
 *
 * <pre>{@code
 * FitResult r = Fit.builder()
 *     .setStep(step).setSource(source).setManager(model.getNDManager())
 *     .optTotalSteps(10_000).optSeed(42)
 *     .optCheckpointEvery(1000, store).optCheckpointEvery(Duration.ofMinutes(5), store)
 *     .optSampleEvery(500, s -> grid(s))
 *     .addListener(ProgressBar.create(System.err)).addListener(log)
 *     .build().run();
 * }</pre>
 *
 * <p><b>Per step</b> {@code s} (0-based, from the start step to the total, exclusive):
 *
 * <ol>
 *   <li>when a seed is set, the engine RNG is re-seeded with {@link #stepSeed(long, long)
 *       stepSeed(seed, s)}: the random numbers of step {@code s} depend only on the seed and
 *       {@code s}, so a run resumed at step {@code s} draws exactly what the uninterrupted run
 *       drew;
 *   <li>a sub-manager of the root manager is opened, the batch is built in it, the step runs, and
 *       the sub-manager is closed (every array the step made from the batch is freed);
 *   <li>every metric is checked: a NaN or infinite value throws {@link NonFiniteMetricException}
 *       before anything else happens, so no checkpoint of a broken model is written;
 *   <li>listeners get the {@link StepEnd}; then the {@link Checkpointer} saves when the completed
 *       steps are a multiple of {@code checkpointEvery} steps, or when the wall time since the last
 *       checkpoint (or the start of this run) reached the time interval ({@link
 *       Builder#optCheckpointEvery(Duration, Checkpointer)}), whichever comes first; and every
 *       {@code sampleEvery} steps the {@link SampleCallback} runs.
 * </ol>
 *
 * <p><b>Stopping.</b> Before every step, and once more after the last, the loop checks {@link StopSignal}: when a
 * stop was requested (Ctrl-C or SIGTERM with the CLI's shutdown hook, or {@link StopSignal#request} from any
 * thread) it writes a checkpoint of the steps done (when a checkpointer is set and that step is not on disk
 * yet), calls the listeners' {@link FitListener#onStop} and throws {@link TrainingStoppedException}; a resume
 * continues from there as from any checkpoint. The step in flight always completes.
 *
 * <p>A final checkpoint is written at the end when a checkpointer is set. Resume: {@link
 * Builder#optResume} asks the checkpointer to restore its newest checkpoint (parameters, optimizer
 * state, EMA, the source position) and starts at its step; a run whose last checkpoint is already
 * at the total does no step. By hand: load a checkpoint and pass its step count to {@link
 * Builder#optStartStep}.
 *
 * <p>When a seed is set the engine is re-seeded at the end with {@code stepSeed(seed, total)}, so
 * the random numbers drawn after a run (evaluation, sampling, the next model's initialisation) are
 * the same whether the run trained every step, was resumed, or found itself already finished.
 */
public final class Fit {

    private static final Logger LOG = LoggerFactory.getLogger(Fit.class);

    private final TrainingStep step;
    private final BatchSource source;
    private final NDManager manager;
    private long startStep;
    private final long totalSteps;
    private final Long seed;
    private final boolean stopOnNonFinite;
    private final boolean resume;
    private final long checkpointEvery;
    private final long checkpointNanos;
    private final Checkpointer checkpointer;
    private final LongSupplier clock;
    private final long sampleEvery;
    private final SampleCallback sampleCallback;
    private final List<FitListener> listeners;

    private Fit(Builder b) {
        this.step = b.step;
        this.source = b.source;
        this.manager = b.manager;
        this.startStep = b.startStep;
        this.totalSteps = b.totalSteps;
        this.seed = b.seed;
        this.stopOnNonFinite = b.stopOnNonFinite;
        this.resume = b.resume;
        this.checkpointEvery = b.checkpointEvery;
        this.checkpointNanos = b.checkpointNanos;
        this.checkpointer = b.checkpointer;
        this.clock = b.clock;
        this.sampleEvery = b.sampleEvery;
        this.sampleCallback = b.sampleCallback;
        this.listeners = List.copyOf(b.listeners);
    }

    /**
     * The engine seed of step {@code step}: SplitMix64's finaliser of {@code seed} and {@code
     * step}, folded to an int (the engine takes an int seed).
     *
     * @param seed the run's seed
     * @param step the 0-based step index
     * @return the engine seed used for that step
     */
    public static int stepSeed(long seed, long step) {
        long z = seed + (step + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return (int) (z ^ (z >>> 32)) & Integer.MAX_VALUE;
    }

    /**
     * Runs the loop from the start step to the total.
     *
     * @return what was done
     * @throws NonFiniteMetricException when a metric is NaN or infinite
     * @throws TrainingStoppedException when a stop was requested ({@link StopSignal}); the steps done are
     *     checkpointed first when a checkpointer is set
     * @throws UncheckedIOException when a checkpoint or sample callback fails to write, or a
     *     checkpoint to resume from does not fit
     */
    public FitResult run() {
        // The convolution guard is decided by the conv blocks when they are built (outside any
        // GradientCollector, which its canary needs); a model without them never runs the canary.
        if (resume) {
            try {
                java.util.OptionalLong restored = checkpointer.restoreLatest();
                if (restored.isPresent()) {
                    if (restored.getAsLong() > totalSteps) {
                        throw new IllegalStateException("the checkpoint to resume is at step "
                                + restored.getAsLong() + ", after the total of " + totalSteps);
                    }
                    startStep = restored.getAsLong();
                    LOG.info("fit: resuming at step {}", startStep);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot resume: " + e.getMessage(), e);
            }
        }
        LOG.info("fit: steps {} to {}{}", startStep, totalSteps,
                seed == null ? " (no per-step seeding)" : ", seed " + seed);
        long t0 = System.nanoTime();
        Map<String, Double> last = Map.of();
        Path lastCheckpoint = null;
        long lastSaved = -1;
        long lastSavedAt = clock.getAsLong();
        for (long s = startStep; s < totalSteps; s++) {
            if (StopSignal.isRequested()) {
                throw stopped(s, lastSaved, lastCheckpoint, last, t0);
            }
            if (seed != null) {
                Engine.getInstance().setRandomSeed(stepSeed(seed, s));
            }
            Map<String, Double> metrics;
            try (NDManager scope = manager.newSubManager()) {
                NDList batch = source.next(scope);
                metrics = step.step(batch, s);
            }
            if (stopOnNonFinite) {
                for (Map.Entry<String, Double> e : metrics.entrySet()) {
                    if (e.getValue() == null || !Double.isFinite(e.getValue())) {
                        double v = e.getValue() == null ? Double.NaN : e.getValue();
                        LOG.error("fit: metric {} = {} at step {}, stopping", e.getKey(), v, s);
                        throw new NonFiniteMetricException(s, e.getKey(), v);
                    }
                }
            }
            last = metrics;
            StepEnd event = new StepEnd(s, totalSteps, startStep, metrics, System.nanoTime() - t0);
            for (FitListener l : listeners) {
                l.onStepEnd(event);
            }
            long done = s + 1;
            if (checkpointer != null && ((checkpointEvery > 0 && done % checkpointEvery == 0)
                    || (checkpointNanos > 0 && clock.getAsLong() - lastSavedAt >= checkpointNanos))) {
                lastCheckpoint = checkpoint(done);
                lastSaved = done;
                lastSavedAt = clock.getAsLong();
            }
            if (sampleCallback != null && done % sampleEvery == 0) {
                try {
                    sampleCallback.sample(done);
                } catch (IOException e) {
                    throw new UncheckedIOException("sample callback failed at step " + done, e);
                }
            }
        }
        if (checkpointer != null && lastSaved != totalSteps && totalSteps > startStep) {
            lastCheckpoint = checkpoint(totalSteps);
            lastSaved = totalSteps;
        }
        if (StopSignal.isRequested()) {
            throw stopped(Math.max(startStep, totalSteps), lastSaved, lastCheckpoint, last, t0);
        }
        if (seed != null) {
            Engine.getInstance().setRandomSeed(stepSeed(seed, totalSteps));
        }
        FitResult result = new FitResult(startStep, Math.max(startStep, totalSteps), last,
                System.nanoTime() - t0, Optional.ofNullable(lastCheckpoint));
        for (FitListener l : listeners) {
            l.onFinish(result);
        }
        LOG.info("fit: done at step {} in {} s", result.endStep(), result.elapsedNanos() / 1e9);
        return result;
    }

    /**
     * The stop at a safe point: a checkpoint of the steps done (unless one is on disk already), the listeners'
     * {@link FitListener#onStop}, and the exception to throw.
     */
    private TrainingStoppedException stopped(long done, long lastSaved, Path lastCheckpoint, Map<String, Double> last,
            long t0) {
        Path written = lastCheckpoint;
        if (checkpointer != null && done > startStep && lastSaved != done) {
            written = checkpoint(done);
        }
        FitResult result = new FitResult(startStep, done, last, System.nanoTime() - t0, Optional.ofNullable(written));
        for (FitListener l : listeners) {
            l.onStop(result);
        }
        String why = StopSignal.reason().orElse("a stop was requested");
        LOG.info("fit: stopped at step {} of {} ({}){}", done, totalSteps, why,
                written == null ? "" : "; checkpoint " + written);
        return new TrainingStoppedException(result, totalSteps, why);
    }

    private Path checkpoint(long done) {
        Path file;
        try {
            file = checkpointer.save(done);
        } catch (IOException e) {
            throw new UncheckedIOException("checkpoint at step " + done + " failed", e);
        }
        for (FitListener l : listeners) {
            l.onCheckpoint(done, file);
        }
        return file;
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link Fit}: {@code setX} are required, {@code optX} optional. */
    public static final class Builder {
        private TrainingStep step;
        private BatchSource source;
        private NDManager manager;
        private long startStep;
        private long totalSteps = -1;
        private Long seed;
        private boolean stopOnNonFinite = true;
        private boolean resume;
        private long checkpointEvery;
        private long checkpointNanos;
        private Checkpointer checkpointer;
        private LongSupplier clock = System::nanoTime;
        private long sampleEvery;
        private SampleCallback sampleCallback;
        private final List<FitListener> listeners = new ArrayList<>();

        private Builder() {}

        /**
         * @param step the training step (required)
         * @return this builder
         */
        public Builder setStep(TrainingStep step) {
            this.step = Objects.requireNonNull(step, "step");
            return this;
        }

        /**
         * @param source the batches (required)
         * @return this builder
         */
        public Builder setSource(BatchSource source) {
            this.source = Objects.requireNonNull(source, "source");
            return this;
        }

        /**
         * @param manager the manager under which each step's scope is opened, normally the
         *     model's (required)
         * @return this builder
         */
        public Builder setManager(NDManager manager) {
            this.manager = Objects.requireNonNull(manager, "manager");
            return this;
        }

        /**
         * @param totalSteps the step index to stop at (exclusive), &gt; 0
         * @return this builder
         */
        public Builder optTotalSteps(long totalSteps) {
            if (totalSteps <= 0) {
                throw new IllegalArgumentException("totalSteps must be > 0, got " + totalSteps);
            }
            this.totalSteps = totalSteps;
            return this;
        }

        /**
         * Sets the total as {@code epochs * batchesPerEpoch} steps (a BatchSource is endless; an
         * epoch is as many batches as one pass over the data).
         *
         * @param epochs number of epochs, &gt; 0
         * @param batchesPerEpoch batches in one epoch, &gt; 0
         * @return this builder
         */
        public Builder optEpochs(int epochs, long batchesPerEpoch) {
            if (epochs <= 0 || batchesPerEpoch <= 0) {
                throw new IllegalArgumentException("epochs and batchesPerEpoch must be > 0, got "
                        + epochs + " and " + batchesPerEpoch);
            }
            return optTotalSteps(Math.multiplyExact(epochs, batchesPerEpoch));
        }

        /**
         * @param startStep the first step index, the step count of the checkpoint resumed from
         *     (default 0)
         * @return this builder
         */
        public Builder optStartStep(long startStep) {
            if (startStep < 0) {
                throw new IllegalArgumentException("startStep must be >= 0, got " + startStep);
            }
            this.startStep = startStep;
            return this;
        }

        /**
         * @param seed the run's seed: re-seeds the engine at every step with {@link
         *     Fit#stepSeed} (default: no seeding, and no exact resume)
         * @return this builder
         */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * @param resume whether to continue from the checkpointer's newest checkpoint (set with
         *     {@link #optCheckpointEvery}) instead of the start step; without a checkpoint the run
         *     starts fresh (default false)
         * @return this builder
         */
        public Builder optResume(boolean resume) {
            this.resume = resume;
            return this;
        }

        /**
         * @param stop whether a NaN or infinite metric stops the run (default true)
         * @return this builder
         */
        public Builder optStopOnNonFinite(boolean stop) {
            this.stopOnNonFinite = stop;
            return this;
        }

        /**
         * @param every save a checkpoint every this many completed steps, &gt; 0
         * @param checkpointer what writes it
         * @return this builder
         */
        public Builder optCheckpointEvery(long every, Checkpointer checkpointer) {
            if (every <= 0) {
                throw new IllegalArgumentException("checkpoint interval must be > 0, got " + every);
            }
            this.checkpointEvery = every;
            setCheckpointer(checkpointer);
            return this;
        }

        /**
         * Saves a checkpoint after the first step that ends at least {@code every} after the last
         * checkpoint (or the start of this run): a bound on the work a kill can lose, whatever a
         * step costs on this machine. Combines with {@link #optCheckpointEvery(long, Checkpointer)}
         * (whichever comes first; both must use the same checkpointer). Which steps get a
         * checkpoint then depends on the machine's speed, not what a resumed run computes: every
         * step is seeded from (seed, step).
         *
         * @param every the longest wall time between checkpoints, &gt; 0
         * @param checkpointer what writes it
         * @return this builder
         */
        public Builder optCheckpointEvery(Duration every, Checkpointer checkpointer) {
            Objects.requireNonNull(every, "every");
            if (every.isNegative() || every.isZero()) {
                throw new IllegalArgumentException("checkpoint time interval must be > 0, got " + every);
            }
            this.checkpointNanos = every.toNanos();
            setCheckpointer(checkpointer);
            return this;
        }

        private void setCheckpointer(Checkpointer c) {
            Objects.requireNonNull(c, "checkpointer");
            if (checkpointer != null && checkpointer != c) {
                throw new IllegalStateException("the step and time checkpoint intervals must use the same checkpointer");
            }
            this.checkpointer = c;
        }

        /**
         * @param nanoTime the clock of the time checkpoint interval (tests pass a fake one)
         * @return this builder
         */
        Builder clock(LongSupplier nanoTime) {
            this.clock = Objects.requireNonNull(nanoTime, "nanoTime");
            return this;
        }

        /**
         * @param every run the callback every this many completed steps, &gt; 0
         * @param callback what samples and writes the grid
         * @return this builder
         */
        public Builder optSampleEvery(long every, SampleCallback callback) {
            if (every <= 0) {
                throw new IllegalArgumentException("sample interval must be > 0, got " + every);
            }
            this.sampleEvery = every;
            this.sampleCallback = Objects.requireNonNull(callback, "callback");
            return this;
        }

        /**
         * @param listener a listener, called in the order added
         * @return this builder
         */
        public Builder addListener(FitListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** @return the loop */
        public Fit build() {
            if (step == null || source == null || manager == null) {
                throw new IllegalStateException("step, source and manager are required");
            }
            if (totalSteps < 0) {
                throw new IllegalStateException("set optTotalSteps or optEpochs");
            }
            if (startStep > totalSteps) {
                throw new IllegalStateException(
                        "startStep " + startStep + " is after totalSteps " + totalSteps);
            }
            if (resume && checkpointer == null) {
                throw new IllegalStateException("optResume needs a checkpointer (optCheckpointEvery)");
            }
            return new Fit(this);
        }
    }
}
