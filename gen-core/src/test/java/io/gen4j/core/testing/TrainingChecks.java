package io.gen4j.core.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.gen4j.core.data.BatchSource;
import io.gen4j.core.io.CheckpointStore;
import io.gen4j.core.train.Fit;
import io.gen4j.core.train.FitResult;
import io.gen4j.core.train.Stateful;
import io.gen4j.core.train.TrainingState;
import io.gen4j.core.train.TrainingStep;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The resume check every training step must pass (gen4j's test kit, in gen-core's test-jar): a run
 * stopped part-way and resumed from its checkpoint ends bit-for-bit where an uninterrupted run ends —
 * every parameter of every network and every saved byte of every optimizer, EMA and other {@link
 * Stateful} part of the step's {@link TrainingState}.
 *
 * <p>It runs three fresh setups: {@code total} steps at once; {@code stop} steps with a
 * checkpoint; then a run that resumes from that checkpoint to {@code total}. It also fails when the
 * first network did not change after {@code stop} (the check would prove nothing).
 *
 * <pre>{@code
 * TrainingChecks.assertResumeIsBitExact(() -> {
 *     NDManager manager = NDManager.newBaseManager();
 *     Engine.getInstance().setRandomSeed(3);          // networks, optimizer, EMA built from fixed seeds
 *     ObjectiveStep step = ...;
 *     BatchSource source = new MySource(42);          // seekable, a pure function of its position
 *     return TrainingChecks.Setup.of(step, source, manager);
 * }, 7, 20, 9, tempDir);
 * }</pre>
 *
 * A new {@link TrainingStep} (a GAN's, an energy model's with a replay buffer) that forgets to put a
 * part of its state into {@link TrainingStep#state()}, or an objective that draws randomness from
 * anything but the engine (which {@link Fit} re-seeds every step) or its own checkpointed state,
 * fails here.
 */
public final class TrainingChecks {

    /**
     * A fresh, identically built training setup. Build everything from fixed seeds: the check makes
     * three of them.
     */
    public interface Setup extends AutoCloseable {
        /** @return the step */
        TrainingStep step();

        /** @return its batches (seekable: its position is checkpointed) */
        BatchSource source();

        /** @return the manager of the model (steps' scopes open under it) */
        NDManager manager();

        @Override
        void close();

        /**
         * A setup from its three parts, for fixtures written as a lambda: {@code () -> { NDManager m
         * = NDManager.newBaseManager(); ...; return Setup.of(step, source, m); }}.
         *
         * @param step the step
         * @param source its batches
         * @param manager the model's manager, closed by {@link #close()}
         * @return the setup
         */
        static Setup of(TrainingStep step, BatchSource source, NDManager manager) {
            return new Setup() {
                @Override
                public TrainingStep step() {
                    return step;
                }

                @Override
                public BatchSource source() {
                    return source;
                }

                @Override
                public NDManager manager() {
                    return manager;
                }

                @Override
                public void close() {
                    manager.close();
                }
            };
        }
    }

    private TrainingChecks() {}

    /**
     * Runs {@code total} steps at once, then {@code stop} steps with a checkpoint and the rest resumed
     * from it in a fresh setup, and compares the two ends.
     *
     * @param factory makes a fresh setup
     * @param seed the run's seed
     * @param total steps of the run
     * @param stop where the interrupted run stops, in (0, total)
     * @param dir an empty folder for the checkpoints
     */
    public static void assertResumeIsBitExact(Supplier<? extends Setup> factory, long seed, long total, long stop,
            Path dir) {
        if (stop <= 0 || stop >= total) {
            throw new IllegalArgumentException("stop must be in (0, " + total + "), got " + stop);
        }
        Map<String, byte[]> expected;
        try (Setup whole = factory.get()) {
            fit(whole, seed, 0, total).build().run();
            expected = snapshot(whole.step().state());
        }
        try (Setup first = factory.get()) {
            CheckpointStore store = new CheckpointStore(dir, 1, first.step().state(), first.source(), seed, "{}");
            fit(first, seed, 0, stop).optCheckpointEvery(stop, store).build().run();
            Map<String, byte[]> mid = snapshot(first.step().state());
            assertFalse(Arrays.equals(expected.values().iterator().next(), mid.values().iterator().next()),
                    "the first network did not change between step " + stop + " and " + total
                            + ": the check would prove nothing");
        }
        try (Setup resumed = factory.get()) {
            CheckpointStore store = new CheckpointStore(dir, 1, resumed.step().state(), resumed.source(), seed, "{}");
            FitResult r = fit(resumed, seed, 0, total).optCheckpointEvery(total, store).optResume(true).build().run();
            assertEquals(stop, r.startStep(), "the resumed run did not start at the checkpoint");
            Map<String, byte[]> actual = snapshot(resumed.step().state());
            assertEquals(expected.keySet(), actual.keySet());
            for (Map.Entry<String, byte[]> e : expected.entrySet()) {
                assertArrayEquals(e.getValue(), actual.get(e.getKey()),
                        e.getKey() + " differs between the resumed and the uninterrupted run");
            }
        }
    }

    private static Fit.Builder fit(Setup s, long seed, long start, long total) {
        return Fit.builder().setStep(s.step()).setSource(s.source()).setManager(s.manager())
                .optStartStep(start).optTotalSteps(total).optSeed(seed);
    }

    /** Every parameter's bytes and every stateful part's saved state, by name. */
    private static Map<String, byte[]> snapshot(TrainingState state) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, Block> b : state.blocks().entrySet()) {
            for (Pair<String, Parameter> p : b.getValue().getParameters()) {
                out.put(b.getKey() + "/" + p.getKey(), p.getValue().getArray().toByteArray());
            }
        }
        for (Map.Entry<String, Stateful> s : state.stateful().entrySet()) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out2 = new DataOutputStream(bytes)) {
                s.getValue().saveState(out2);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            out.put(s.getKey(), bytes.toByteArray());
        }
        return out;
    }
}
