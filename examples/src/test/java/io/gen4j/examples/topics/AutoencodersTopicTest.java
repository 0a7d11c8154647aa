package io.gen4j.examples.topics;

import java.util.Optional;
import io.gen4j.examples.testing.SubsetData;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The smoke profile of topic 11-01 runs end to end and writes its figures, metrics and report. */
class AutoencodersTopicTest {

    @TempDir
    Path out;

    @Test
    void smokeProfileWritesEveryFile() throws Exception {
        Topic topic = Topics.find("11-01").orElseThrow();
        assertEquals("11-01", topic.id());
        TopicResult result = topic.run(TopicOptions.of(Profile.SMOKE, out, 0L, Optional.of(SubsetData.directory(out))));
        for (String name : AutoencodersTopic.figures()) {
            Path file = name.endsWith(".png")
                    ? result.runDirectory().resolve("images").resolve(name)
                    : result.runDirectory().resolve(name);
            assertTrue(Files.size(file) > 0, name + " missing or empty");
            assertTrue(result.files().contains(file), name + " not listed");
        }
        for (String key : new String[] {"test_bce_mlp_ae", "test_bce_conv_ae", "denoise_mse_dae_gaussian",
            "sparse_mean_activation", "pca_explained_variance_2"}) {
            double v = result.metrics().get(key);
            assertTrue(Double.isFinite(v), key + " = " + v);
        }
        assertTrue(Files.size(result.runDirectory().resolve("config.json")) > 0, "config.json");
        try (var logs = Files.list(result.runDirectory().resolve("training"))) {
            assertTrue(logs.anyMatch(f -> f.getFileName().toString().endsWith(".csv")), "no training log");
        }
        String report = Files.readString(result.runDirectory().resolve("report.md"));
        assertTrue(report.contains("![reconstructions](images/reconstructions.png)"), report);
    }
}
