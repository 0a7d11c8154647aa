package io.gen4j.examples.topics.sedd;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.gen4j.core.data.BatchSource;
import io.gen4j.core.io.CheckpointStore;
import io.gen4j.core.train.Fit;
import io.gen4j.core.train.FitListener;
import io.gen4j.core.train.StepEnd;
import io.gen4j.core.train.TrainingStep;
import io.gen4j.examples.topics.TopicRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * Trains until a CPU-time budget is spent: the training of a {@link TopicRun} stops after the first
 * step at whose end the clock (the training thread's CPU time, {@link StepCost#threadCpuNanos}) has
 * advanced by the budget since the training began. This is how the topic gives the baseline exactly
 * the CPU time SEDD's training took, by construction rather than from step costs measured beforehand
 * (which drift 10–20 % between phases on a shared machine).
 *
 * <p>The stop: gen-core's {@code Fit} runs to a fixed total, so the training runs with a step cap
 * (the total of the loop, not reached in practice) and a listener ends it by throwing {@link
 * Reached} after the step that reaches the budget; the step's metrics were already logged. Then a
 * checkpoint of that step is written into the training's checkpoint directory (the same store
 * {@link TopicRun#fit} uses) and the engine is re-seeded as {@code Fit} does at its end, so what
 * follows draws the same random numbers as after a training of that many steps.
 *
 * <p>Resume: the step count reached is recorded in {@code budget-<name>.csv} of the run directory.
 * A resumed run that finds it trains to that count ({@link TopicRun#fit} restores the finished
 * training without a step), so it ends with the same model. A resumed run that does not (the
 * training was interrupted before reaching its budget) trains this training again from step 0,
 * since the CPU time already spent was not recorded.
 */
final class CpuBudget implements FitListener {

    /** Thrown by the listener after the step that reached the budget. */
    static final class Reached extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final long steps;

        Reached(long steps) {
            super("CPU budget reached after " + steps + " steps", null, false, false);
            this.steps = steps;
        }

        /** @return the steps done, the last one included */
        long steps() {
            return steps;
        }
    }

    /**
     * What a budgeted training did.
     *
     * @param steps the steps trained (the count recorded for resume)
     * @param recorded whether the count was read from the run directory (a resumed run)
     */
    record Outcome(long steps, boolean recorded) {}

    private final LongSupplier clock;
    private final long budgetNanos;
    private final long start;

    /**
     * @param clock the clock, in nanoseconds; read now as the start
     * @param budgetNanos the budget, &gt; 0
     */
    CpuBudget(LongSupplier clock, long budgetNanos) {
        if (budgetNanos <= 0) {
            throw new IllegalArgumentException("the CPU budget must be > 0 ns, got " + budgetNanos);
        }
        this.clock = clock;
        this.budgetNanos = budgetNanos;
        this.start = clock.getAsLong();
    }

    @Override
    public void onStepEnd(StepEnd event) {
        if (clock.getAsLong() - start >= budgetNanos) {
            throw new Reached(event.step() + 1);
        }
    }

    /**
     * Runs one training of a topic run until the budget is spent (or to the count recorded by the run
     * being resumed).
     *
     * @param run the topic run
     * @param name the training's name (checkpoints, record file)
     * @param step the training step
     * @param source its batches
     * @param manager the model's manager
     * @param cap the most steps, &gt; 0: the training ends there when the budget is not reached
     * @param seed the seed of every step
     * @param metricsCsv where the metrics go
     * @param clock the clock the budget is measured on, in nanoseconds
     * @param budgetNanos the budget, &gt; 0
     * @return the steps trained
     * @throws IOException when the record, a checkpoint or the log cannot be written or read
     */
    static Outcome train(TopicRun run, String name, TrainingStep step, BatchSource source, NDManager manager,
            long cap, long seed, Path metricsCsv, LongSupplier clock, long budgetNanos) throws IOException {
        Path record = run.directory().root().resolve("budget-" + name + ".csv");
        if (run.resumed() && Files.isRegularFile(record)) {
            long steps = Long.parseLong(Files.readAllLines(record).get(1).split(",")[0]);
            run.fit(name, step, source, manager, steps, seed, metricsCsv, List.of());
            return new Outcome(steps, true);
        }
        if (run.resumed()) {
            deleteTree(run.directory().checkpoints().resolve(name));
        }
        CpuBudget budget = new CpuBudget(clock, budgetNanos);
        long steps;
        try {
            steps = run.fit(name, step, source, manager, cap, seed, metricsCsv, List.of(budget)).endStep();
        } catch (Reached reached) {
            steps = reached.steps();
            new CheckpointStore(run.directory().checkpoints().resolve(name), 2, step.state(), source, seed,
                    run.directory().readConfig()).save(steps);
            Engine.getInstance().setRandomSeed(Fit.stepSeed(seed, steps));
        }
        Files.writeString(record, String.format(Locale.ROOT, "steps,budget_nanos,cap%n%d,%d,%d%n", steps, budgetNanos,
                cap));
        return new Outcome(steps, false);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
