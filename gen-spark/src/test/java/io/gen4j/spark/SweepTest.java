package io.gen4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gen4j.core.io.CheckpointStore;
import io.gen4j.core.io.ModelStore;
import io.gen4j.core.io.RunDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepTest {

    @TempDir
    Path tmp;

    @Test
    void gridIsTheCartesianProductFirstParameterSlowest() {
        LinkedHashMap<String, List<Double>> values = new LinkedHashMap<>();
        values.put("beta", List.of(0.5, 1.0));
        values.put("lr", List.of(1e-3, 3e-3, 1e-2));
        List<Map<String, Double>> points = SweepSpace.grid(values);
        assertEquals(6, points.size());
        assertEquals(Map.of("beta", 0.5, "lr", 1e-3), points.get(0));
        assertEquals(Map.of("beta", 0.5, "lr", 1e-2), points.get(2));
        assertEquals(Map.of("beta", 1.0, "lr", 3e-3), points.get(4));
        values.put("empty", List.of());
        assertThrows(IllegalArgumentException.class, () -> SweepSpace.grid(values));
    }

    @Test
    void randomSearchStaysInItsRangesAndRepeatsWithItsSeed() {
        LinkedHashMap<String, SweepSpace.Range> ranges = new LinkedHashMap<>();
        ranges.put("lr", new SweepSpace.Range(1e-4, 1e-1, true));
        ranges.put("beta", new SweepSpace.Range(0, 4, false));
        List<Map<String, Double>> points = SweepSpace.random(ranges, 400, 3);
        assertEquals(points, SweepSpace.random(ranges, 400, 3));
        int lowDecade = 0;
        for (Map<String, Double> p : points) {
            assertTrue(p.get("lr") >= 1e-4 && p.get("lr") <= 1e-1, p.toString());
            assertTrue(p.get("beta") >= 0 && p.get("beta") <= 4, p.toString());
            lowDecade += p.get("lr") < 1e-3 ? 1 : 0;
        }
        // log-uniform over three decades: a third below 1e-3 (binomial sd ~9 of 400)
        assertTrue(Math.abs(lowDecade - 400 / 3.0) < 45, "points below 1e-3: " + lowDecade);
        assertThrows(IllegalArgumentException.class, () -> new SweepSpace.Range(0, 1, true));
    }

    @Test
    void aTaskThatDiesIsRetriedAndResumesFromItsCheckpointToTheSameWeights() throws Exception {
        List<Map<String, Double>> points = List.of(Map.of("beta", 0.5), Map.of("beta", 1.0));
        // Every task's first attempt throws after step 7; checkpoints every 5 steps: the retry resumes at 5.
        Sweep.Table table = Sweep.run(LocalSpark.context(), points, new VaeSweepTrainer(12, 5, 7),
                tmp.resolve("sweep"), 1);
        assertEquals(2, table.rows().size());
        for (Sweep.Row row : table.rows()) {
            assertEquals(1, row.attempt(), "retried once: " + row);
            assertEquals(5.0, row.metrics().get("startStep"), "resumed from the checkpoint of step 5");
            Path dir = Path.of(row.runDir());
            assertTrue(Files.isRegularFile(RunDirectory.open(dir).configFile()));
            assertTrue(Files.isRegularFile(dir.resolve("checkpoints").resolve(CheckpointStore.fileName(12))));
            assertEquals(13, Files.readAllLines(dir.resolve("metrics.csv")).size(), "header + 12 steps, none twice");
        }
        String csv = Files.readString(tmp.resolve("sweep").resolve("sweep.csv"));
        assertEquals(3, csv.lines().count(), csv);
        assertTrue(csv.startsWith("index,beta,"), csv);

        // The same points trained without a failure, in this JVM: the same weights, bit for bit.
        ExecutorRuntime.start(1); // this thread did not load the engine: turn its autograd recording off
        for (int i = 0; i < points.size(); i++) {
            Path fresh = Files.createDirectories(tmp.resolve("fresh-" + i));
            Map<String, Double> metrics = new VaeSweepTrainer(12, 5, 0).train(points.get(i), fresh);
            assertArrayEquals(Files.readAllBytes(fresh.resolve("model").resolve(ModelStore.PARAMETERS_FILE)),
                    Files.readAllBytes(Sweep.runDirectory(tmp.resolve("sweep"), i).resolve("model")
                            .resolve(ModelStore.PARAMETERS_FILE)));
            assertEquals(metrics.get("elbo"), table.rows().get(i).metrics().get("elbo"));
        }
    }
}
