package io.gen4j.examples.topics;

import java.util.Optional;
import io.gen4j.examples.testing.SubsetData;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gen4j.examples.testing.StopAfter;
import java.util.List;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlowsTopicTest {

    @Test
    void smokeRunWritesEveryFigureAndFiniteMetrics(@TempDir Path tmp) throws Exception {
        Topic topic = Topics.find("11-08").orElseThrow();
        assertEquals("11-08", topic.id());
        TopicResult r = topic.run(TopicOptions.of(Profile.SMOKE, tmp, 0L, Optional.of(SubsetData.directory(tmp))));
        for (Path f : r.files()) {
            assertTrue(Files.isRegularFile(f) && Files.size(f) > 0, "missing or empty: " + f);
        }
        for (String name : new String[] {"moons-density.png", "moons-warp.png", "moons-samples.png",
            "moons-latent.png", "eight-gaussians-density.png", "checkerboard-warp.png",
            "images-samples-by-temperature.png", "images-latents.png"}) {
            assertTrue(Files.isRegularFile(r.runDirectory().resolve("images").resolve(name)), name);
        }
        assertTrue(Files.readString(r.runDirectory().resolve("report.md")).contains("oracle entropy"));
        for (Map.Entry<String, Double> m : r.metrics().entrySet()) {
            assertTrue(Double.isFinite(m.getValue()), m.getKey() + " = " + m.getValue());
        }
        assertTrue(r.metrics().get("images.testBitsPerDim") > 0);
        // IWAE is at least as tight as the ELBO (up to Monte-Carlo noise of one sample).
        assertTrue(r.metrics().get("vae.iwaeBitsPerDim") <= r.metrics().get("vae.elboBitsPerDim") + 0.05,
                r.metrics().toString());
        // Exact up to float32 rounding at a dequantization bin edge: at most one gray level.
        assertTrue(r.metrics().get("images.reconstructionMaxError") <= 1.0 / 255 + 1e-6,
                "decode(encode(x)) = x: " + r.metrics().get("images.reconstructionMaxError"));
    }

    @Test
    void aKilledRunResumedEndsAsTheUninterruptedOne(@TempDir Path tmp) throws Exception {
        Topic topic = Topics.find("11-08").orElseThrow();
        Path data = SubsetData.directory(tmp);
        TopicOptions options = TopicOptions.of(Profile.SMOKE, tmp.resolve("a"), 4L, Optional.of(data))
                .withCheckpointEvery(3);
        TopicResult whole = topic.run(options);

        TopicOptions killed = TopicOptions.of(Profile.SMOKE, tmp.resolve("b"), 4L, Optional.of(data))
                .withCheckpointEvery(3);
        // the first toy trains 20 smoke steps: stop inside the second training
        assertThrows(StopAfter.Stopped.class, () -> topic.run(killed.withListeners(List.of(new StopAfter(27)))));
        Path runDir;
        try (var dirs = Files.list(tmp.resolve("b"))) {
            runDir = dirs.findFirst().orElseThrow();
        }
        assertTrue(Files.isDirectory(runDir.resolve("checkpoints")));
        TopicResult resumed = topic.run(killed.withResume(runDir));

        assertEquals(runDir, resumed.runDirectory());
        for (Map.Entry<String, Double> m : whole.metrics().entrySet()) {
            if (!m.getKey().endsWith("Seconds")) {
                assertEquals(m.getValue(), resumed.metrics().get(m.getKey()), m.getKey());
            }
        }
        for (String model : new String[] {"model", "models/realnvp-moons"}) {
            assertEquals(Files.readString(whole.runDirectory().resolve(model).resolve("model.json")),
                    Files.readString(resumed.runDirectory().resolve(model).resolve("model.json")), model);
        }
        assertEquals(Files.readString(whole.runDirectory().resolve("metrics-moons.csv")),
                Files.readString(resumed.runDirectory().resolve("metrics-moons.csv")));
    }
}
