package io.gen4j.examples.topics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gen4j.autoregressive.MadeConfig;
import io.gen4j.autoregressive.MadeOrdering;
import io.gen4j.autoregressive.MadeOutput;
import io.gen4j.autoregressive.PixelCnnConfig;
import io.gen4j.autoregressive.PixelOutput;
import io.gen4j.autoregressive.WaveNetConfig;
import io.gen4j.core.data.ImageDataset;
import io.gen4j.core.nn.UNetConfig;
import io.gen4j.diffusion.NoiseSchedule;
import io.gen4j.diffusion.Prediction;
import io.gen4j.examples.topics.ddpm.DdpmRunConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The topics that take their settings from the families' public presets run with the settings they
 * measured before the presets existed: the literal values of the topic classes at that time (main
 * 0e8506b), for the cpu and gpu profiles.
 */
class TopicPresetSettingsTest {

    @Test
    void ddpmRunsAreUnchanged() {
        DdpmRunConfig cpu = DdpmRunConfig.forTopic(Profile.CPU, 1);
        assertDdpm(new DdpmRunConfig(io.gen4j.core.data.DatasetId.CIFAR10, UNetConfig.defaults(1),
                NoiseSchedule.Type.COSINE, 1000, Prediction.EPSILON, 32, 2000, 1e-3, 100,
                0.995, 36, 16, new int[] {10, 20, 50, 100, 1000}, 100, 32, 20, "", "none"), cpu);
        DdpmRunConfig gpu = DdpmRunConfig.forTopic(Profile.GPU, 3);
        assertDdpm(new DdpmRunConfig(io.gen4j.core.data.DatasetId.CIFAR10,
                UNetConfig.builder().setImageChannels(3).optBaseChannels(128)
                        .optChannelMultipliers(1, 2, 2, 2).optBlocksPerLevel(2)
                        .optAttentionLevels(1).optGroups(32).optDropout(0.1f).build(),
                NoiseSchedule.Type.LINEAR, 1000, Prediction.EPSILON, 128, 100_000, 2e-4,
                5000, 0.9999, 64, 64, new int[] {10, 20, 50, 100, 1000}, 100, 256, 1, "", "none"), gpu);
        for (int steps : new int[] {2000, 300, 7}) {
            assertDdpm(new DdpmRunConfig(io.gen4j.core.data.DatasetId.FASHION_MNIST,
                    UNetConfig.builder().setImageChannels(1).optBaseChannels(16).build(),
                    NoiseSchedule.Type.COSINE, 1000, Prediction.EPSILON, 32, steps, 1e-3,
                    Math.min(50, steps / 4), 0.99, 64, 16, new int[] {50}, 50, 16, 50, "", "none"),
                    DdpmRunConfig.quickstart(steps));
        }
    }

    private static void assertDdpm(DdpmRunConfig expected, DdpmRunConfig actual) {
        assertArrayEquals(expected.comparisonSteps(), actual.comparisonSteps());
        assertEquals(expected.toString().replaceAll("\\[I@\\w+", ""), actual.toString().replaceAll("\\[I@\\w+", ""));
    }

    @Test
    void autoencoderAndVaeTopicsAreUnchanged() {
        assertEquals(new AutoencodersTopic.Settings(0, 2000, 128, 2000, 500, 1000, 256, 16, 1000, 1000),
                AutoencodersTopic.Settings.of(Profile.CPU));
        assertEquals(List.of(800, 4000), List.of(VaesTopic.Settings.of(Profile.CPU).vqSteps(),
                VaesTopic.Settings.of(Profile.GPU).vqSteps()));
        ConditionalTopic.Settings cpu = ConditionalTopic.Settings.of(Profile.CPU);
        assertEquals(List.of(3000, 256, 16, 0, 2000), List.of(cpu.vaeSteps(), cpu.vaeHidden(), cpu.vaeLatent(),
                cpu.trainSize(), cpu.testSize()));
        ConditionalTopic.Settings gpu = ConditionalTopic.Settings.of(Profile.GPU);
        assertEquals(List.of(20_000, 512, 32, 0, 0), List.of(gpu.vaeSteps(), gpu.vaeHidden(), gpu.vaeLatent(),
                gpu.trainSize(), gpu.testSize()));
    }

    @Test
    void autoregressiveModelsAreUnchanged() {
        ImageDataset images = new ImageDataset("x", 1, 28, 28, new byte[784], new int[] {0}, List.of("a"));
        assertEquals(new MadeConfig(784, 500, 2, MadeOutput.BERNOULLI, 1, MadeOrdering.NATURAL, 1, 7),
                ComparisonEntries.Made.config(Profile.CPU, 784));
        assertEquals(new MadeConfig(784, 1000, 2, MadeOutput.BERNOULLI, 1, MadeOrdering.NATURAL, 1, 7),
                ComparisonEntries.Made.config(Profile.GPU, 784));
        assertEquals(new PixelCnnConfig(28, 28, PixelCnnConfig.Architecture.GATED, 32, 4, 7, 3, PixelOutput.BERNOULLI,
                1, 0), ComparisonEntries.PixelCnn.config(Profile.CPU, images));
        assertEquals(new PixelCnnConfig(28, 28, PixelCnnConfig.Architecture.GATED, 64, 8, 7, 3, PixelOutput.BERNOULLI,
                1, 0), ComparisonEntries.PixelCnn.config(Profile.GPU, images));
        assertEquals(new AutoregressiveTopicAudio.Settings(new WaveNetConfig(32, 64, 8, 1, 2, 256), 4000, 256, 0.128,
                500, 16, 1.0, 500, 2000), AutoregressiveTopic.settings(Profile.CPU, 0).audio());
        assertEquals(new AutoregressiveTopicAudio.Settings(new WaveNetConfig(64, 128, 10, 3, 2, 256), 16_000, 2048,
                0.5, 50_000, 32, 4.0, 4000, 16_000), AutoregressiveTopic.settings(Profile.GPU, 0).audio());
    }

    @Test
    void seddPresetsHoldTheTopicValues() {
        // 11-05-sedd takes its models and SEDD's training from these presets (SeddTopicTest checks that it
        // does); the cpu values are those of the measured run of docs/topics/11-05-sedd.md §9 (session 7)
        io.gen4j.diffusion.discrete.SeddPreset cpu = io.gen4j.diffusion.discrete.SeddPreset.characters("ab");
        io.gen4j.diffusion.discrete.TransformerConfig n = cpu.sedd().network();
        assertEquals(List.of(32, 64, 2, 4, false, false, 3, 3), List.of(n.length(), n.width(), n.depth(), n.heads(),
                n.causal(), n.timeConditioned(), n.inputStates(), n.outputs()));
        assertEquals(io.gen4j.core.train.TrainingRecipe.of(2000, 64, 4e-3, 4e-4, 100, 1), cpu.training());
        assertEquals(List.of(128, 32, 1e-3), List.of(cpu.sedd().sampling().steps(), cpu.sedd().likelihoodTimes(),
                cpu.tMin()));
        assertEquals(io.gen4j.diffusion.discrete.AutoregressiveTransformerSpec.of("ab", 32, 64, 2, 4), cpu.baseline());
        io.gen4j.diffusion.discrete.SeddPreset gpu = io.gen4j.diffusion.discrete.SeddPreset.charactersLong("ab");
        n = gpu.sedd().network();
        assertEquals(List.of(256, 384, 8, 6), List.of(n.length(), n.width(), n.depth(), n.heads()));
        assertEquals(io.gen4j.core.train.TrainingRecipe.of(50_000, 64, 3e-4, 3e-4 / 10, 100, 1), gpu.training());
    }
}
