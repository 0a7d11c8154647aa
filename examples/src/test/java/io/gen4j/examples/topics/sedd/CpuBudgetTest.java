package io.gen4j.examples.topics.sedd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import io.gen4j.core.train.TrainTestSupport;
import io.gen4j.core.train.TrainingState;
import io.gen4j.core.train.TrainingStep;
import io.gen4j.examples.topics.Profile;
import io.gen4j.examples.topics.TopicOptions;
import io.gen4j.examples.topics.TopicRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The baseline's CPU-time budget: a fake clock that each step advances by a known cost. */
class CpuBudgetTest {

    @TempDir
    Path dir;

    /** A regression step that advances the fake clock by {@code cost[step]} and records its steps. */
    private static final class ClockedStep implements TrainingStep {
        private final TrainingStep inner;
        private final AtomicLong clock;
        private final long[] cost;
        private final List<Long> ran = new ArrayList<>();

        ClockedStep(TrainingStep inner, AtomicLong clock, long[] cost) {
            this.inner = inner;
            this.clock = clock;
            this.cost = cost;
        }

        @Override
        public Map<String, Double> step(NDList batch, long step) {
            ran.add(step);
            clock.addAndGet(cost[(int) step]);
            return inner.step(batch, step);
        }

        @Override
        public TrainingState state() {
            return inner.state();
        }
    }

    private record Trained(CpuBudget.Outcome outcome, List<Long> ran, float[] parameters) {}

    private Trained train(TopicOptions options, long[] cost, long budget) throws Exception {
        TopicRun run = TopicRun.open(options, "budget-test", Map.of("cap", 20));
        AtomicLong clock = new AtomicLong(1_000); // the clock does not start at zero
        try (NDManager manager = NDManager.newBaseManager()) {
            Block net = TrainTestSupport.mlp(manager, 4, 8, 2, 1);
            ClockedStep step = new ClockedStep(new TrainTestSupport.RegressionStep(net, 0.01), clock, cost);
            CpuBudget.Outcome outcome = CpuBudget.train(run, "net", step, new TrainTestSupport.RegressionSource(1, 8,
                    4, 2), manager, 20, 5, run.directory().root().resolve("metrics.csv"), clock::get, budget);
            return new Trained(outcome, step.ran, TrainTestSupport.values(net));
        }
    }

    @Test
    void stopsAtTheFirstStepReachingTheBudgetAndResumeReproducesTheCount() throws Exception {
        // cumulative cost after steps 1..6: 3, 7, 9, 14, 15, 21; a budget of 14 is reached exactly at step 4
        long[] cost = {3, 4, 2, 5, 1, 6, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
        TopicOptions options = TopicOptions.of(Profile.SMOKE, dir.resolve("runs"));
        Trained first = train(options, cost, 14);
        assertEquals(4, first.outcome().steps());
        assertFalse(first.outcome().recorded());
        assertEquals(List.of(0L, 1L, 2L, 3L), first.ran());
        Path runDir = Files.list(dir.resolve("runs")).findFirst().orElseThrow();
        assertEquals("4", Files.readAllLines(runDir.resolve("budget-net.csv")).get(1).split(",")[0]);

        // resumed: the recorded count, restored from its checkpoint without a step (whatever the budget)
        Trained resumed = train(options.withResume(runDir), cost, 1);
        assertEquals(4, resumed.outcome().steps());
        assertTrue(resumed.outcome().recorded());
        assertEquals(List.of(), resumed.ran());
        assertArrayEquals(first.parameters(), resumed.parameters());

        // one unit less than the 4th step's sum is still reached at step 4; one more needs step 5
        assertEquals(4, train(options, cost, 10).outcome().steps());
        assertEquals(5, train(options, cost, 15).outcome().steps());
        // a budget never reached: the cap
        assertEquals(20, train(options, cost, 1_000).outcome().steps());
    }

    @Test
    void aResumeWithoutARecordTrainsAgainFromTheStart() throws Exception {
        long[] cost = new long[20];
        java.util.Arrays.fill(cost, 2);
        TopicOptions options = TopicOptions.of(Profile.SMOKE, dir.resolve("runs")).withCheckpointEvery(2);
        Trained first = train(options, cost, 7);
        assertEquals(4, first.outcome().steps());
        Path runDir = Files.list(dir.resolve("runs")).findFirst().orElseThrow();
        Files.delete(runDir.resolve("budget-net.csv")); // as if killed before the budget was reached
        Trained again = train(options.withResume(runDir), cost, 7);
        assertEquals(List.of(0L, 1L, 2L, 3L), again.ran());
        assertArrayEquals(first.parameters(), again.parameters());
    }

    @Test
    void refusesABudgetThatIsNotPositive() {
        assertThrows(IllegalArgumentException.class, () -> new CpuBudget(() -> 0, 0));
    }
}
