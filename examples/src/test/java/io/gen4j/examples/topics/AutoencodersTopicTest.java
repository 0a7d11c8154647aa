package io.gen4j.examples.topics;

import java.util.Optional;
import io.gen4j.examples.testing.SubsetData;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.gen4j.autoencoders.AutoencoderModel;
import io.gen4j.core.io.ModelStore;
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
        // Every trained model is saved to models/<name>/ and loads back.
        try (NDManager manager = NDManager.newBaseManager()) {
            for (String name : new String[] {"mlp-ae", "conv-ae", "ae-2d", "dae-gaussian", "dae-masking", "dae-salt_pepper",
                "sparse-ae"}) {
                Path model = result.runDirectory().resolve("models").resolve(name);
                assertTrue(result.files().contains(model.resolve(ModelStore.SPEC_FILE)), name + " not listed");
                AutoencoderModel ae = ModelStore.load(model, manager, AutoencoderModel.class);
                NDArray x = manager.zeros(new Shape(1).addAll(new Shape(ae.spec().data().shape())));
                assertEquals(ae.latentShape(), ae.encode(x).getShape().slice(1), name);
            }
        }
    }
}
