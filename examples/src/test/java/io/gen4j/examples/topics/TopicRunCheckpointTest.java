package io.gen4j.examples.topics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import io.gen4j.core.train.FitListener;
import io.gen4j.core.train.TrainTestSupport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A topic's trainings checkpoint by wall time as well as by steps (issue 15: "default a few minutes"). */
class TopicRunCheckpointTest {

    @TempDir
    Path dir;

    private List<Long> checkpointsOf(TopicOptions options) throws Exception {
        List<Long> saved = new ArrayList<>();
        FitListener record = new FitListener() {
            @Override
            public void onCheckpoint(long completedSteps, Path file) {
                saved.add(completedSteps);
            }
        };
        TopicRun run = TopicRun.open(options, "checkpoint-test", Map.of("steps", 6));
        try (NDManager manager = NDManager.newBaseManager()) {
            var net = TrainTestSupport.mlp(manager, 4, 8, 2, 1);
            run.fit("net", new TrainTestSupport.RegressionStep(net, 0.01),
                    new TrainTestSupport.RegressionSource(1, 8, 4, 2), manager, 6, 0,
                    run.directory().root().resolve("metrics.csv"), List.of(record));
        }
        return saved;
    }

    @Test
    void theTimeIntervalReachesTheTrainingLoop() throws Exception {
        TopicOptions steps = TopicOptions.of(Profile.SMOKE, dir).withCheckpointEvery(3);
        assertEquals(Duration.ofMinutes(5), steps.checkpointTime(), "the default");
        // a 6-step training that takes far less than 5 minutes: only the step interval
        assertEquals(List.of(3L, 6L), checkpointsOf(steps));
        // a time interval shorter than any step: a checkpoint after every step
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), checkpointsOf(steps.withCheckpointTime(Duration.ofNanos(1))));
    }
}
