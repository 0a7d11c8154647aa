package io.gen4j.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsLogTest {

    @TempDir
    Path dir;

    private static StepEnd event(long step, double loss) {
        return new StepEnd(step, 6, 0, Map.of("loss", loss, "gradNorm", 1.5), 1);
    }

    @Test
    void csvEveryNStepsWithHeaderAndAppendOnResume() throws IOException {
        Path file = dir.resolve("metrics.csv");
        try (MetricsLog log = new MetricsLog(file, MetricsFormat.CSV, 2)) {
            for (int s = 0; s < 4; s++) {
                log.onStepEnd(event(s, s * 0.5));
            }
        }
        try (MetricsLog log = new MetricsLog(file, MetricsFormat.CSV, 2)) {
            log.onStepEnd(event(4, 9.0));
            log.onStepEnd(event(5, 10.0)); // last step: always logged
        }
        assertEquals(List.of("step,gradNorm,loss", "2,1.5,0.5", "4,1.5,1.5", "6,1.5,10.0"),
                Files.readAllLines(file));
    }

    @Test
    void jsonLinesAreParseable() throws IOException {
        Path file = dir.resolve("sub/metrics.jsonl");
        try (MetricsLog log = new MetricsLog(file, MetricsFormat.JSONL, 1)) {
            log.onStepEnd(event(0, 0.25));
            log.onStepEnd(event(1, 0.125));
        }
        List<String> lines = Files.readAllLines(file);
        assertEquals(2, lines.size());
        JsonNode row = new ObjectMapper().readTree(lines.get(1));
        assertEquals(2, row.get("step").asLong());
        assertEquals(0.125, row.get("loss").asDouble());
        assertEquals(1.5, row.get("gradNorm").asDouble());
    }

    @Test
    void metricsReportedEveryFewStepsReachTheRowAndWidenTheHeader() throws IOException {
        Path file = dir.resolve("gan.csv");
        try (MetricsLog log = new MetricsLog(file, MetricsFormat.CSV, 2)) {
            for (int s = 0; s < 6; s++) {
                Map<String, Double> m = s == 2
                        ? Map.of("critic.loss", (double) s, "generator.loss", -s / 2.0)
                        : Map.of("critic.loss", (double) s);
                log.onStepEnd(new StepEnd(s, 6, 0, m, 1));
            }
        }
        // generator.loss of step 2 appears in the row of step 4 (completed steps), the header is
        // widened once and the first row gets an empty cell.
        assertEquals(List.of("step,critic.loss,generator.loss", "2,1.0,", "4,3.0,-1.0", "6,5.0,"),
                Files.readAllLines(file));
    }

    @Test
    void truncateDropsTheRowsAfterTheResumedCheckpoint() throws IOException {
        Path csv = dir.resolve("m.csv");
        Path jsonl = dir.resolve("m.jsonl");
        try (MetricsLog a = new MetricsLog(csv, MetricsFormat.CSV, 1);
                MetricsLog b = new MetricsLog(jsonl, MetricsFormat.JSONL, 1)) {
            for (int s = 0; s < 5; s++) {
                a.onStepEnd(event(s, s));
                b.onStepEnd(event(s, s));
            }
        }
        MetricsLog.truncate(csv, 3);
        MetricsLog.truncate(jsonl, 3);
        MetricsLog.truncate(dir.resolve("missing.csv"), 3);
        assertEquals(List.of("step,gradNorm,loss", "1,1.5,0.0", "2,1.5,1.0", "3,1.5,2.0"), Files.readAllLines(csv));
        assertEquals(3, Files.readAllLines(jsonl).size());
        assertEquals(false, Files.exists(dir.resolve("missing.csv")));
    }
}
