package io.gen4j.examples.topics.latent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.gen4j.core.io.ModelStore;
import io.gen4j.core.model.GenerativeModel;
import io.gen4j.core.model.LatentCodec;
import io.gen4j.core.model.SampleOptions;
import io.gen4j.diffusion.latent.LatentDiffusionModel;
import io.gen4j.examples.testing.SubsetData;
import io.gen4j.examples.topics.Profile;
import io.gen4j.examples.topics.TopicOptions;
import io.gen4j.examples.topics.TopicResult;
import io.gen4j.examples.topics.Topics;
import io.gen4j.core.data.Cifar10Reader;
import io.gen4j.diffusion.text.LabelCaptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Topic 11-06 end to end with the smoke profile on FashionMNIST and on a CIFAR-10 fixture, then the
 * saved models through ModelStore.
 */
class LatentDiffusionTopicTest {

    @TempDir
    Path out;

    @Test
    void smokeRunWritesEveryFigureAndSampleableModels() throws Exception {
        TopicResult result = Topics.find("11-06").orElseThrow()
                .run(TopicOptions.of(Profile.SMOKE, out, 3, Optional.of(SubsetData.directory(out))));
        for (Path f : result.files()) {
            assertTrue(Files.exists(f), "missing " + f);
        }
        for (String name : new String[] {"vae_reconstructions.png", "latent_channels.png", "latent_histogram.png",
                "training_loss.png", "prompts_w1.png", "prompts_w3.png", "attention_maps.png", "pixel_prompts.png"}) {
            assertTrue(Files.size(result.runDirectory().resolve("images").resolve(name)) > 100, name);
        }
        String report = Files.readString(result.runDirectory().resolve("report.md"));
        for (String section : new String[] {"Latent autoencoder", "Latent space", "Latent diffusion training",
                "Text-prompted samples", "Cross-attention maps", "Sample quality (latent)", "CLIP score", "Pixel vs latent"}) {
            assertTrue(report.contains("## " + section), "report lacks " + section);
        }
        // the phases, appended as they close: wall, CPU and the peak resident set of each (Linux VmHWM)
        assertTrue(report.contains("| phase | wall, s | CPU, s | CPU / "), report);
        List<String> phases = Files.readAllLines(result.runDirectory().resolve("phases.csv"));
        assertEquals("phase,wall_s,cpu_s,peak_rss_gb", phases.get(0));
        assertEquals(11, phases.size(), String.join("\n", phases));
        for (String row : phases.subList(1, phases.size())) {
            String[] v = row.substring(row.lastIndexOf('"') + 2).split(",");
            double peak = Double.parseDouble(v[2]);
            assertTrue(Double.parseDouble(v[1]) >= 0 && (Double.isNaN(peak) || peak > 0.05 && peak < 64), row);
        }
        Map<String, Double> m = result.metrics();
        assertTrue(m.get("latent_scale") > 0 && Double.isFinite(m.get("latent_scale")));
        assertTrue(Double.isFinite(m.get("ldm_final_loss")));
        assertTrue(m.get("pixel_gflop") > m.get("latent_gflop"), m.toString());
        assertTrue(Double.isFinite(m.get("fid_latent")) && Double.isFinite(m.get("fid_pixel")));
        assertTrue(Double.isFinite(m.get("clip_score_generated")) && Double.isFinite(m.get("clip_score_real_shuffled")));

        try (NDManager manager = NDManager.newBaseManager()) {
            GenerativeModel model = ModelStore.load(result.runDirectory().resolve("model"), manager,
                    GenerativeModel.class);
            assertTrue(model instanceof LatentDiffusionModel);
            NDArray x = ((LatentDiffusionModel) model).sample(manager, List.of("a bag", ""),
                    SampleOptions.defaults().withSteps(3));
            assertEquals(32, x.getShape().get(3));
            LatentCodec vae = ModelStore.load(result.runDirectory().resolve("vae"), manager, LatentCodec.class);
            assertEquals(vae.latentShape(), ((LatentDiffusionModel) model).codec().latentShape());
        }
    }

    /**
     * A folder of CIFAR-10 binary batches (five training files and the test file, 16 records each):
     * label byte, then 3×32×32 pixel bytes, class c drawn around the grey level 20·c + 30 so that the
     * classes differ.
     */
    private static Path cifarFixture(Path parent) throws java.io.IOException {
        Path dir = Files.createDirectories(parent.resolve("cifar-10-batches-bin"));
        Random random = new Random(4);
        List<String> files = new java.util.ArrayList<>(Cifar10Reader.TRAIN_FILES);
        files.add(Cifar10Reader.TEST_FILE);
        for (String file : files) {
            byte[] bytes = new byte[16 * Cifar10Reader.RECORD_BYTES];
            for (int r = 0; r < 16; r++) {
                int label = r % 10;
                bytes[r * Cifar10Reader.RECORD_BYTES] = (byte) label;
                for (int p = 1; p < Cifar10Reader.RECORD_BYTES; p++) {
                    bytes[r * Cifar10Reader.RECORD_BYTES + p] = (byte) (20 * label + 30 + random.nextInt(20));
                }
            }
            Files.write(dir.resolve(file), bytes);
        }
        return dir;
    }

    @Test
    void cifar10IsUsedWhenPresentWithItsOwnCaptions() throws Exception {
        TopicResult result = Topics.find("11-06").orElseThrow()
                .run(TopicOptions.of(Profile.SMOKE, out, 3, Optional.of(cifarFixture(out))));
        String report = Files.readString(result.runDirectory().resolve("report.md"));
        assertTrue(report.contains("this run: cifar10, prompts a photo of an airplane; a photo of a car;"), report);
        assertTrue(report.contains("Prompt \"a photo of a dark car\""), report);
        try (NDManager manager = NDManager.newBaseManager()) {
            LatentDiffusionModel model = ModelStore.load(result.runDirectory().resolve("model"), manager,
                    LatentDiffusionModel.class);
            assertEquals(LabelCaptions.CIFAR10.prompts(), model.spec().text().prompts());
            assertEquals(3, model.spec().data().shape()[0]);
            NDArray x = model.sample(manager, List.of("a blurry photo of a lorry"), SampleOptions.defaults().withSteps(2));
            assertEquals(new ai.djl.ndarray.types.Shape(1, 3, 32, 32), x.getShape());
        }
    }
}
