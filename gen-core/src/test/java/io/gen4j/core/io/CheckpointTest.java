package io.gen4j.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import io.gen4j.core.train.Fit;
import io.gen4j.core.train.NonFiniteMetricException;
import io.gen4j.core.train.Stateful;
import io.gen4j.core.train.TrainTestSupport.RegressionSource;
import io.gen4j.core.train.TrainTestSupport.RegressionStep;
import io.gen4j.core.train.TrainTestSupport;
import io.gen4j.core.train.TrainingState;
import io.gen4j.core.train.TrainingStep;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {

    @BeforeEach
    void seeded() {
        Engine.getInstance().setRandomSeed(166);
    }

    private static final long SEED = 7;

    @TempDir
    Path dir;

    /** A whole training setup: network, step (Adam + EMA), source. */
    private static final class Run implements AutoCloseable {
        final NDManager manager = NDManager.newBaseManager();
        final Block net = TrainTestSupport.mlp(manager, 4, 16, 2, 1);
        final RegressionStep step = new RegressionStep(net, 0.01);
        final RegressionSource source = new RegressionSource(3, 16, 4, 2);

        Fit.Builder fit(long start, long total) {
            return Fit.builder().setStep(step).setSource(source).setManager(manager)
                    .optStartStep(start).optTotalSteps(total).optSeed(SEED);
        }

        float[] emaValues() {
            Block copy = TrainTestSupport.mlp(manager, 4, 16, 2, 99);
            ((io.gen4j.core.train.Ema) step.state().stateful().get("ema")).copyTo(copy);
            return TrainTestSupport.values(copy);
        }

        @Override
        public void close() {
            manager.close();
        }
    }

    @Test
    void resumedRunEqualsUninterruptedRunBitExactly() throws IOException {
        float[] expectedParams;
        float[] expectedEma;
        try (Run full = new Run()) {
            full.fit(0, 40).build().run();
            expectedParams = TrainTestSupport.values(full.net);
            expectedEma = full.emaValues();
        }
        try (Run first = new Run()) {
            CheckpointStore store = new CheckpointStore(dir, 2, first.step.state(), first.source,
                    SEED, "{\"lr\":0.01}");
            first.fit(0, 20).optCheckpointEvery(10, store).build().run();
        }
        try (Run resumed = new Run()) {
            CheckpointStore store = new CheckpointStore(dir, 2, resumed.step.state(),
                    resumed.source, SEED, "{\"lr\":0.01}");
            CheckpointInfo info = store.resumeLatest().orElseThrow();
            assertEquals(20, info.step());
            assertEquals(20, resumed.source.position());
            assertEquals("{\"lr\":0.01}", info.configJson());
            resumed.fit(info.step(), 40).optCheckpointEvery(10, store).build().run();
            assertArrayEquals(expectedParams, TrainTestSupport.values(resumed.net));
            assertArrayEquals(expectedEma, resumed.emaValues());
            assertEquals(List.of("step-0000000030.ckpt", "step-0000000040.ckpt"),
                    store.list().stream().map(p -> p.getFileName().toString()).toList());
        }
    }

    private static float nextEngineDraw(NDManager manager) {
        try (NDManager scope = manager.newSubManager()) {
            return scope.randomNormal(new ai.djl.ndarray.types.Shape(1)).getFloat();
        }
    }

    @Test
    void optResumeContinuesTheRunAndLeavesTheEngineAsAnUninterruptedRunDoes() throws IOException {
        float[] expected;
        float draw;
        try (Run full = new Run()) {
            full.fit(0, 30).build().run();
            expected = TrainTestSupport.values(full.net);
            draw = nextEngineDraw(full.manager);
        }
        try (Run first = new Run()) {
            CheckpointStore store = new CheckpointStore(dir, 2, first.step.state(), first.source, SEED, "{}");
            first.fit(0, 15).optCheckpointEvery(5, store).build().run(); // "killed" after 15 steps
        }
        try (Run resumed = new Run()) {
            CheckpointStore store = new CheckpointStore(dir, 2, resumed.step.state(), resumed.source, SEED, "{}");
            io.gen4j.core.train.FitResult r =
                    resumed.fit(0, 30).optCheckpointEvery(5, store).optResume(true).build().run();
            assertEquals(15, r.startStep());
            assertArrayEquals(expected, TrainTestSupport.values(resumed.net));
            assertEquals(draw, nextEngineDraw(resumed.manager));
        }
        try (Run finished = new Run()) {
            // resuming a finished run trains nothing, restores the final weights and the engine state
            CheckpointStore store = new CheckpointStore(dir, 2, finished.step.state(), finished.source, SEED, "{}");
            io.gen4j.core.train.FitResult r =
                    finished.fit(0, 30).optCheckpointEvery(5, store).optResume(true).build().run();
            assertEquals(30, r.startStep());
            assertArrayEquals(expected, TrainTestSupport.values(finished.net));
            assertEquals(draw, nextEngineDraw(finished.manager));
        }
    }

    @Test
    void nonFiniteLossStopsTheRunAndKeepsTheLastGoodCheckpoint() throws IOException {
        try (Run run = new Run()) {
            CheckpointStore store = new CheckpointStore(dir, 3, run.step.state(), run.source,
                    SEED, "{}");
            TrainingStep poisoned = new TrainingStep() {
                @Override
                public Map<String, Double> step(NDList batch, long step) {
                    Map<String, Double> m = run.step.step(batch, step);
                    return step == 13 ? Map.of("loss", Double.NaN) : m;
                }

                @Override
                public TrainingState state() {
                    return run.step.state();
                }
            };
            NonFiniteMetricException e = assertThrows(NonFiniteMetricException.class,
                    () -> Fit.builder().setStep(poisoned).setSource(run.source)
                            .setManager(run.manager).optTotalSteps(40).optSeed(SEED)
                            .optCheckpointEvery(5, store).build().run());
            assertEquals(13, e.step());
            assertEquals("loss", e.metric());
            assertEquals(List.of(dir.resolve(CheckpointStore.fileName(5)),
                    dir.resolve(CheckpointStore.fileName(10))), store.list());
            assertEquals(10, store.resumeLatest().orElseThrow().step());
            assertEquals(10, run.source.position());
        }
    }

    @Test
    void resumeWithoutCheckpointIsAFreshRun() throws IOException {
        try (Run run = new Run()) {
            CheckpointStore store = new CheckpointStore(dir.resolve("none"), 1, run.step.state(),
                    run.source, SEED, "{}");
            assertTrue(store.resumeLatest().isEmpty());
        }
    }

    /** A stateful part that writes some bytes, then fails: a writer dying in the middle. */
    private static final class FailingPart implements Stateful {
        boolean fail;

        @Override
        public void saveState(DataOutputStream out) throws IOException {
            out.write(new byte[4096]);
            if (fail) {
                throw new IOException("disk full (simulated)");
            }
        }

        @Override
        public void loadState(DataInputStream in) throws IOException {
            in.readFully(new byte[4096]);
        }
    }

    @Test
    void failedSaveLeavesThePreviousCheckpointValid() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            Block net = TrainTestSupport.mlp(m, 4, 8, 2, 1);
            FailingPart part = new FailingPart();
            TrainingState state = TrainingState.builder().block("net", net)
                    .stateful("part", part).build();
            CheckpointStore store = new CheckpointStore(dir, 3, state, null, SEED, "{}");
            store.save(10);
            float[] saved = TrainTestSupport.values(net);
            part.fail = true;
            assertThrows(IOException.class, () -> store.save(20));
            try (Stream<Path> files = Files.list(dir)) {
                assertEquals(List.of("step-0000000010.ckpt"),
                        files.map(p -> p.getFileName().toString()).toList());
            }
            part.fail = false;
            Block other = TrainTestSupport.mlp(m, 4, 8, 2, 2);
            CheckpointStore reader = new CheckpointStore(dir, 3,
                    TrainingState.builder().block("net", other).stateful("part", part).build(),
                    null, SEED, "{}");
            assertEquals(10, reader.resumeLatest().orElseThrow().step());
            assertArrayEquals(saved, TrainTestSupport.values(other));
        }
    }

    @Test
    void partialOrDamagedFilesAreNeverTakenAsValid() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            Block net = TrainTestSupport.mlp(m, 4, 8, 2, 1);
            TrainingState state = TrainingState.builder().block("net", net).build();
            CheckpointStore store = new CheckpointStore(dir, 5, state, null, SEED, "{}");
            Path good = store.save(10);
            byte[] bytes = Files.readAllBytes(good);
            // what a non-atomic writer killed halfway would leave, under a newer name
            Path truncated = dir.resolve(CheckpointStore.fileName(20));
            Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
            // a bit flip in the middle of the parameters
            byte[] flipped = bytes.clone();
            flipped[bytes.length / 2] ^= 0x10;
            Path damaged = dir.resolve(CheckpointStore.fileName(30));
            Files.write(damaged, flipped);
            // a leftover temporary file of an interrupted atomic write
            Files.write(dir.resolve(".step-0000000040.ckpt-123.tmp"), bytes);

            assertThrows(CorruptCheckpointException.class, () -> Checkpoint.readInfo(truncated));
            CorruptCheckpointException e = assertThrows(CorruptCheckpointException.class,
                    () -> Checkpoint.readInfo(damaged));
            assertTrue(e.getMessage().contains("checksum"), e.getMessage());
            assertEquals(good, store.latestValid().orElseThrow());
            assertEquals(10, store.resumeLatest().orElseThrow().step());
        }
    }

    @Test
    void loadRejectsAStateWithOtherNames() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            Block net = TrainTestSupport.mlp(m, 4, 8, 2, 1);
            Path file = dir.resolve("x.ckpt");
            Checkpoint.write(file, TrainingState.builder().block("net", net).build(),
                    new CheckpointInfo(5, -1, 1, "{}"));
            IOException e = assertThrows(IOException.class, () -> Checkpoint.load(file,
                    TrainingState.builder().block("generator", net).build()));
            assertTrue(e.getMessage().contains("generator"), e.getMessage());
        }
    }

    @Test
    void loadingRepeatedlyDoesNotLeakParameterArrays() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            Block net = TrainTestSupport.mlp(m, 4, 8, 2, 1);
            TrainingState state = TrainingState.builder().block("net", net).build();
            Path file = dir.resolve("x.ckpt");
            Checkpoint.write(file, state, new CheckpointInfo(5, -1, 1, "{}"));
            Checkpoint.load(file, state);
            int before = m.getManagedArrays().size();
            for (int i = 0; i < 5; i++) {
                Checkpoint.load(file, state);
            }
            assertEquals(before, m.getManagedArrays().size());
        }
    }
}
