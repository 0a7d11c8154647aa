package io.gen4j.examples.topics;

import java.util.Optional;
import io.gen4j.examples.testing.SubsetData;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.gen4j.autoencoders.VqVaeModel;
import io.gen4j.core.io.ModelStore;
import io.gen4j.core.model.GenerativeModel;
import io.gen4j.core.model.SampleOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The smoke profile of topic 11-02 runs end to end and writes its figures, metrics and report. */
class VaesTopicTest {

    @TempDir
    Path out;

    @Test
    void smokeProfileWritesEveryFile() throws Exception {
        Topic topic = Topics.find("02").orElseThrow();
        assertEquals("11-02", topic.id());
        TopicResult result = topic.run(TopicOptions.of(Profile.SMOKE, out, 0L, Optional.of(SubsetData.directory(out))));
        for (String name : VaesTopic.figures()) {
            Path file = name.endsWith(".png")
                    ? result.runDirectory().resolve("images").resolve(name)
                    : result.runDirectory().resolve(name);
            assertTrue(Files.size(file) > 0, name + " missing or empty");
            assertTrue(result.files().contains(file), name + " not listed");
        }
        for (String key : new String[] {"vae_test_neg_elbo", "vae_test_iwae_nll", "vae_active_units", "vae_kl_dim_0",
            "collapse_beta8_active_units", "vqvae_perplexity", "cvae_test_neg_elbo"}) {
            double v = result.metrics().get(key);
            assertTrue(Double.isFinite(v), key + " = " + v);
        }
        // The IWAE NLL may not exceed the −ELBO on the same images by more than Monte Carlo noise.
        assertTrue(result.metrics().get("vae_elbo_gap") > -1.0, result.metrics().toString());
        assertTrue(Files.size(result.runDirectory().resolve("config.json")) > 0, "config.json");
        try (var logs = Files.list(result.runDirectory().resolve("training"))) {
            assertTrue(logs.anyMatch(f -> f.getFileName().toString().endsWith(".csv")), "no training log");
        }
        String report = Files.readString(result.runDirectory().resolve("report.md"));
        assertTrue(report.contains("![collapse](images/collapse.png)"), report);
        assertTrue(report.contains("## Training curves") && report.contains("(images/training-vae.png)"), report);
        assertTrue(Files.size(result.runDirectory().resolve("images").resolve("training-vae.png")) > 100);
        // sample names the saved models of a run that has several
        java.io.StringWriter err = new java.io.StringWriter();
        picocli.CommandLine cli = io.gen4j.examples.cli.Gen4jCli.commandLine();
        cli.setErr(new java.io.PrintWriter(err));
        assertEquals(2, cli.execute("sample", "--run", result.runDirectory().toString()));
        assertTrue(err.toString().contains("several saved models") && err.toString().contains("models/vae"),
                err.toString());
        assertEquals(0, cli.execute("sample", "--run", result.runDirectory().resolve("models").resolve("vae").toString(),
                "-n", "4", "--out", out.resolve("vae.png").toString()));
        assertTrue(Files.size(out.resolve("vae.png")) > 100);
        // Every trained model is saved to models/<name>/ and loads back as what it is.
        Path models = result.runDirectory().resolve("models");
        try (NDManager manager = NDManager.newBaseManager()) {
            for (String name : new String[] {"vae", "vae-2d", "collapse-beta8", "collapse-beta8_freebits",
                "collapse-beta1_warmup", "sigma-vae", "cvae"}) {
                assertTrue(result.files().contains(models.resolve(name).resolve(ModelStore.SPEC_FILE)), name + " not listed");
                GenerativeModel m = ModelStore.load(models.resolve(name), manager, GenerativeModel.class);
                assertEquals(new Shape(3).addAll(new Shape(m.spec().data().shape())),
                        m.sample(manager, 3, SampleOptions.defaults().withLabel(name.equals("cvae") ? 1 : -1)).getShape(), name);
            }
            VqVaeModel vq = ModelStore.load(models.resolve("vq-vae"), manager, VqVaeModel.class);
            assertEquals(3, vq.latentShape().dimension());
        }
    }

    @Test
    void theCpuAndGpuProfilesTrainTheMainVaeOfThePublicPresets() {
        for (var c : java.util.Map.of(io.gen4j.examples.topics.Profile.CPU, io.gen4j.autoencoders.VaePreset.binarized28(),
                io.gen4j.examples.topics.Profile.GPU, io.gen4j.autoencoders.VaePreset.binarized28Long()).entrySet()) {
            VaesTopic.Settings s = VaesTopic.Settings.of(c.getKey());
            io.gen4j.autoencoders.VaePreset p = c.getValue();
            io.gen4j.core.model.DataSpec pixels = io.gen4j.core.model.DataSpec.image(1, 28, 28,
                    io.gen4j.core.data.PixelRange.ZERO_ONE);
            // what the topic builds for its main VAE, from its settings
            assertEquals(p.spec(), VaesTopic.mlpVae(s.latent(), s.hidden(), pixels,
                    new io.gen4j.autoencoders.KlSchedule(1, s.vaeSteps() / 10, 0)), c.getKey().toString());
            assertEquals(p.training().steps(), s.vaeSteps());
            assertEquals(p.training().batchSize(), s.batch());
            assertEquals(1e-3, p.training().learningRate()); // the topic's constant rate
            assertEquals(1e-3, p.training().finalLearningRate());
        }
    }
}
