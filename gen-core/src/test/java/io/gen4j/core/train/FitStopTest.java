package io.gen4j.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import io.gen4j.core.runtime.StopSignal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link Fit} at a {@link StopSignal} request: the step in flight completes, a checkpoint, then the exception. */
class FitStopTest {

    @AfterEach
    void withdraw() {
        StopSignal.clear();
    }

    private static TrainingStoppedException stop(NDManager m, long start, long total, long every, RecordingListener rec,
            List<Long> saved) {
        Block net = TrainTestSupport.mlp(m, 4, 8, 2, 1);
        Fit.Builder b = Fit.builder().setStep(new TrainTestSupport.RegressionStep(net, 0.01))
                .setSource(new TrainTestSupport.RegressionSource(1, 8, 4, 2))
                .setManager(m).optStartStep(start).optTotalSteps(total).optSeed(3).addListener(rec);
        if (saved != null) {
            b.optCheckpointEvery(every, done -> {
                saved.add(done);
                return Path.of("ckpt-" + done);
            });
        }
        Fit fit = b.build();
        return assertThrows(TrainingStoppedException.class, fit::run);
    }

    @Test
    void finishesTheStepInFlightThenCheckpointsTheStepsDone() {
        try (NDManager m = NDManager.newBaseManager()) {
            RecordingListener rec = new RecordingListener(12);
            List<Long> saved = new ArrayList<>();
            TrainingStoppedException e = stop(m, 0, 100, 10, rec, saved);
            assertEquals(13, rec.steps.size()); // steps 0..12: the one during which the stop came completed
            assertEquals(List.of(10L, 13L), saved);
            assertEquals(saved, rec.checkpoints);
            assertEquals(13, e.result().endStep());
            assertEquals(0, e.result().startStep());
            assertEquals(100, e.totalSteps());
            assertEquals(Optional.of(Path.of("ckpt-13")), e.result().lastCheckpoint());
            assertEquals(e.result(), rec.stopped);
            assertNull(rec.finished);
            assertTrue(e.getMessage().contains("after step 13 of 100") && e.getMessage().contains("test at step 12")
                    && e.getMessage().contains("ckpt-13"), e.getMessage());
        }
    }

    @Test
    void writesNoSecondCheckpointOfAStepOnDisk() {
        try (NDManager m = NDManager.newBaseManager()) {
            RecordingListener rec = new RecordingListener(9); // step 9 ends with 10 done: the periodic checkpoint
            List<Long> saved = new ArrayList<>();
            TrainingStoppedException e = stop(m, 0, 100, 10, rec, saved);
            assertEquals(List.of(10L), saved);
            assertEquals(Optional.of(Path.of("ckpt-10")), e.result().lastCheckpoint());
            assertEquals(10, e.result().endStep());
        }
    }

    @Test
    void aStopDuringTheLastStepStillThrowsAfterTheFinalCheckpoint() {
        try (NDManager m = NDManager.newBaseManager()) {
            RecordingListener rec = new RecordingListener(7);
            List<Long> saved = new ArrayList<>();
            TrainingStoppedException e = stop(m, 0, 8, 5, rec, saved);
            assertEquals(List.of(5L, 8L), saved);
            assertEquals(8, e.result().endStep());
            assertNull(rec.finished);
        }
    }

    @Test
    void withoutACheckpointerTheStopSaysSo() {
        try (NDManager m = NDManager.newBaseManager()) {
            RecordingListener rec = new RecordingListener(2);
            TrainingStoppedException e = stop(m, 0, 50, 0, rec, null);
            assertEquals(3, e.result().endStep());
            assertEquals(Optional.empty(), e.result().lastCheckpoint());
        }
    }

    @Test
    void aStopRequestedBeforeTheRunDoesNoStepAndWritesNothing() {
        try (NDManager m = NDManager.newBaseManager()) {
            StopSignal.request("before");
            RecordingListener rec = new RecordingListener(-1);
            List<Long> saved = new ArrayList<>();
            TrainingStoppedException e = stop(m, 20, 50, 10, rec, saved);
            assertEquals(List.of(), rec.steps);
            assertEquals(List.of(), saved);
            assertEquals(20, e.result().endStep());
            assertEquals(20, e.result().startStep());
        }
    }

    @Test
    void aClearedRequestLetsTheNextRunFinish() {
        try (NDManager m = NDManager.newBaseManager()) {
            StopSignal.request("withdrawn");
            StopSignal.clear();
            Block net = TrainTestSupport.mlp(m, 4, 8, 2, 1);
            FitResult r = Fit.builder().setStep(new TrainTestSupport.RegressionStep(net, 0.01))
                    .setSource(new TrainTestSupport.RegressionSource(1, 8, 4, 2))
                    .setManager(m).optTotalSteps(5).build().run();
            assertEquals(5, r.endStep());
        }
    }
}
