package io.gen4j.examples.topics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gen4j.core.io.CheckpointStore;
import io.gen4j.core.runtime.StopSignal;
import io.gen4j.core.train.FitListener;
import io.gen4j.core.train.StepEnd;
import io.gen4j.core.train.TrainingStoppedException;
import io.gen4j.examples.cli.Launcher;
import io.gen4j.examples.testing.SubsetData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A topic run asked to stop ({@link StopSignal}, as the CLI's shutdown hook does on Ctrl-C) inside its second
 * training, where its own interval writes no checkpoint: the training checkpoints the steps done, the run
 * names the command that continues it, and the resumed run ends as the uninterrupted one, metrics files included.
 */
class StopRequestTopicTest {

    @AfterEach
    void withdraw() {
        StopSignal.clear();
    }

    /** Requests a stop when the given number of steps, over every training, has ended. */
    private static final class RequestAfter implements FitListener {
        private final long steps;
        private long seen;

        RequestAfter(long steps) {
            this.steps = steps;
        }

        @Override
        public void onStepEnd(StepEnd e) {
            if (++seen == steps) {
                StopSignal.request("test");
            }
        }
    }

    @Test
    void aStoppedRunCheckpointsItsStepsAndResumesAsTheUninterruptedOne(@TempDir Path tmp) throws Exception {
        Topic topic = Topics.find("11-08").orElseThrow();
        Path data = SubsetData.directory(tmp);
        TopicOptions options = TopicOptions.of(Profile.SMOKE, tmp.resolve("a"), 4L, Optional.of(data))
                .withCheckpointEvery(1000);
        TopicResult whole = topic.run(options);

        TopicOptions stopped = TopicOptions.of(Profile.SMOKE, tmp.resolve("b"), 4L, Optional.of(data))
                .withCheckpointEvery(1000);
        // the first toy trains 20 smoke steps: the stop comes during step 7 of the second training
        RunStoppedException e = assertThrows(RunStoppedException.class,
                () -> topic.run(stopped.withListeners(List.of(new RequestAfter(27)))));
        Path runDir;
        try (Stream<Path> dirs = Files.list(tmp.resolve("b"))) {
            runDir = dirs.findFirst().orElseThrow();
        }
        TrainingStoppedException cause = (TrainingStoppedException) e.getCause();
        assertEquals(7, cause.result().endStep());
        Path checkpoint = cause.result().lastCheckpoint().orElseThrow();
        assertEquals(CheckpointStore.fileName(7), checkpoint.getFileName().toString());
        assertTrue(Files.isRegularFile(checkpoint), checkpoint.toString());
        String resume = Launcher.command("topic", "--resume", runDir.toString());
        assertEquals(resume, e.resumeCommand());
        assertTrue(e.getMessage().contains("after step 7 of ") && e.getMessage().endsWith("continue with: " + resume),
                e.getMessage());

        StopSignal.clear();
        TopicResult resumed = topic.run(stopped.withResume(runDir));
        assertEquals(runDir, resumed.runDirectory());
        for (Map.Entry<String, Double> m : whole.metrics().entrySet()) {
            if (!m.getKey().endsWith("Seconds")) {
                assertEquals(m.getValue(), resumed.metrics().get(m.getKey()), m.getKey());
            }
        }
        try (Stream<Path> files = Files.list(whole.runDirectory())) {
            for (Path csv : files.filter(f -> f.getFileName().toString().endsWith(".csv")).toList()) {
                assertEquals(Files.readString(csv), Files.readString(runDir.resolve(csv.getFileName())),
                        csv.getFileName().toString());
            }
        }
        assertEquals(Files.readString(whole.runDirectory().resolve("model").resolve("model.json")),
                Files.readString(runDir.resolve("model").resolve("model.json")));
    }
}
