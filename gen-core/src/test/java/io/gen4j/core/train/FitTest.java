package io.gen4j.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FitTest {

    @Test
    void runsStepsWithListenersCheckpointsAndSamples() {
        try (NDManager m = NDManager.newBaseManager()) {
            Block net = TrainTestSupport.mlp(m, 4, 16, 2, 1);
            TrainTestSupport.RegressionStep step = new TrainTestSupport.RegressionStep(net, 0.01);
            RecordingListener rec = new RecordingListener();
            List<Long> saved = new ArrayList<>();
            List<Long> sampled = new ArrayList<>();
            FitResult r = Fit.builder().setStep(step)
                    .setSource(new TrainTestSupport.RegressionSource(1, 32, 4, 2))
                    .setManager(m).optTotalSteps(60).optSeed(7)
                    .optCheckpointEvery(20, done -> {
                        saved.add(done);
                        return Path.of("ckpt-" + done);
                    })
                    .optSampleEvery(25, sampled::add)
                    .addListener(rec).build().run();
            assertEquals(60, rec.steps.size());
            assertEquals(0L, rec.steps.get(0));
            assertEquals(List.of(20L, 40L, 60L), saved);
            assertEquals(saved, rec.checkpoints);
            assertEquals(List.of(25L, 50L), sampled);
            assertEquals(60, r.endStep());
            assertEquals(Path.of("ckpt-60"), r.lastCheckpoint().orElseThrow());
            assertEquals(r, rec.finished);
            double first = rec.losses.subList(0, 10).stream().mapToDouble(d -> d).average()
                    .orElseThrow();
            double last = rec.losses.subList(50, 60).stream().mapToDouble(d -> d).average()
                    .orElseThrow();
            assertTrue(last < 0.7 * first, "loss " + first + " -> " + last);
        }
    }

    @Test
    void checkpointsByWallTimeAloneOrWhicheverIntervalComesFirst() {
        try (NDManager m = NDManager.newBaseManager()) {
            Block net = TrainTestSupport.mlp(m, 4, 8, 2, 1);
            TrainTestSupport.RegressionStep inner = new TrainTestSupport.RegressionStep(net, 0.01);
            long[] now = {0};
            TrainingStep slow = new TrainingStep() { // every step takes 40 s of the fake clock
                @Override
                public Map<String, Double> step(NDList batch, long step) {
                    now[0] += 40_000_000_000L;
                    return inner.step(batch, step);
                }

                @Override
                public TrainingState state() {
                    return inner.state();
                }
            };
            List<Long> saved = new ArrayList<>();
            Checkpointer store = done -> {
                saved.add(done);
                return Path.of("ckpt-" + done);
            };
            // every 100 s of 40 s steps: after 120 s, i.e. every third step
            Fit.builder().setStep(slow).setSource(new TrainTestSupport.RegressionSource(1, 8, 4, 2)).setManager(m)
                    .optTotalSteps(12).optCheckpointEvery(java.time.Duration.ofSeconds(100), store)
                    .clock(() -> now[0]).build().run();
            assertEquals(List.of(3L, 6L, 9L, 12L), saved);

            // with every 4 steps too: each interval restarts the clock of the time interval
            saved.clear();
            now[0] = 0;
            Fit.builder().setStep(slow).setSource(new TrainTestSupport.RegressionSource(1, 8, 4, 2)).setManager(m)
                    .optTotalSteps(12).optCheckpointEvery(4, store)
                    .optCheckpointEvery(java.time.Duration.ofSeconds(100), store)
                    .clock(() -> now[0]).build().run();
            assertEquals(List.of(3L, 4L, 7L, 8L, 11L, 12L), saved);

            assertThrows(IllegalStateException.class, () -> Fit.builder().optCheckpointEvery(4, store)
                    .optCheckpointEvery(java.time.Duration.ofMinutes(1), done -> Path.of("other")));
            assertThrows(IllegalArgumentException.class, () -> Fit.builder()
                    .optCheckpointEvery(java.time.Duration.ZERO, store));
        }
    }

    @Test
    void writesAFinalCheckpointAndStartsAtTheResumeStep() {
        try (NDManager m = NDManager.newBaseManager()) {
            Block net = TrainTestSupport.mlp(m, 4, 8, 2, 1);
            RecordingListener rec = new RecordingListener();
            List<Long> saved = new ArrayList<>();
            Fit.builder().setStep(new TrainTestSupport.RegressionStep(net, 0.01))
                    .setSource(new TrainTestSupport.RegressionSource(1, 8, 4, 2))
                    .setManager(m).optStartStep(5).optEpochs(2, 4)
                    .optCheckpointEvery(4, done -> {
                        saved.add(done);
                        return Path.of("x");
                    })
                    .addListener(rec).build().run();
            assertEquals(List.of(5L, 6L, 7L), rec.steps);
            assertEquals(List.of(8L), saved);
        }
    }

    @Test
    void stopsOnNonFiniteMetricWithoutCheckpointingIt() {
        try (NDManager m = NDManager.newBaseManager()) {
            Block net = TrainTestSupport.mlp(m, 4, 8, 2, 1);
            TrainTestSupport.RegressionStep inner = new TrainTestSupport.RegressionStep(net, 0.01);
            TrainingStep poisoned = new TrainingStep() {
                @Override
                public Map<String, Double> step(NDList batch, long step) {
                    Map<String, Double> metrics = inner.step(batch, step);
                    return step == 7 ? Map.of("loss", metrics.get("loss"),
                            "gradNorm", Double.POSITIVE_INFINITY) : metrics;
                }

                @Override
                public TrainingState state() {
                    return inner.state();
                }
            };
            List<Long> saved = new ArrayList<>();
            NonFiniteMetricException e = assertThrows(NonFiniteMetricException.class,
                    () -> Fit.builder().setStep(poisoned)
                            .setSource(new TrainTestSupport.RegressionSource(1, 8, 4, 2))
                            .setManager(m).optTotalSteps(20)
                            .optCheckpointEvery(4, done -> {
                                saved.add(done);
                                return Path.of("x");
                            }).build().run());
            assertEquals(7, e.step());
            assertEquals("gradNorm", e.metric());
            assertEquals(Double.POSITIVE_INFINITY, e.value());
            assertTrue(e.getMessage().contains("step 7"), e.getMessage());
            assertEquals(List.of(4L), saved);
        }
    }

    @Test
    void perStepScopeKeepsManagedArraysFlat() {
        try (NDManager m = NDManager.newBaseManager()) {
            Block net = TrainTestSupport.mlp(m, 4, 8, 2, 1);
            TrainTestSupport.RegressionStep step = new TrainTestSupport.RegressionStep(net, 0.01);
            TrainTestSupport.RegressionSource source =
                    new TrainTestSupport.RegressionSource(1, 8, 4, 2);
            Fit.builder().setStep(step).setSource(source).setManager(m).optTotalSteps(3)
                    .build().run();
            int before = m.getManagedArrays().size();
            Fit.builder().setStep(step).setSource(source).setManager(m).optStartStep(3)
                    .optTotalSteps(103).optSeed(1).build().run();
            assertEquals(before, m.getManagedArrays().size());
        }
    }

    @Test
    void stepSeedIsAPureFunction() {
        assertEquals(Fit.stepSeed(42, 10), Fit.stepSeed(42, 10));
        assertNotEquals(Fit.stepSeed(42, 10), Fit.stepSeed(42, 11));
        assertNotEquals(Fit.stepSeed(42, 10), Fit.stepSeed(43, 10));
        assertTrue(Fit.stepSeed(-5, 3) >= 0);
    }

    @Test
    void builderValidates() {
        assertThrows(IllegalStateException.class, () -> Fit.builder().build());
        assertThrows(IllegalArgumentException.class, () -> Fit.builder().optTotalSteps(0));
        assertThrows(IllegalArgumentException.class, () -> Fit.builder().optEpochs(1, 0));
    }
}
