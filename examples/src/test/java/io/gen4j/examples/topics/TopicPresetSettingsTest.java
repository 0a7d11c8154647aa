package io.gen4j.examples.topics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gen4j.autoencoders.AutoencoderPreset;
import io.gen4j.autoencoders.ConditionalVaePreset;
import io.gen4j.autoencoders.KlSchedule;
import io.gen4j.autoencoders.NetworkSpec;
import io.gen4j.autoencoders.VaeConfig;
import io.gen4j.autoencoders.VaePreset;
import io.gen4j.autoencoders.VaeSpec;
import io.gen4j.autoencoders.VqVaePreset;
import io.gen4j.autoregressive.MadeConfig;
import io.gen4j.autoregressive.MadeOrdering;
import io.gen4j.autoregressive.MadeOutput;
import io.gen4j.autoregressive.PixelCnnConfig;
import io.gen4j.autoregressive.PixelOutput;
import io.gen4j.autoregressive.WaveNetConfig;
import io.gen4j.core.data.ImageDataset;
import io.gen4j.core.data.PixelRange;
import io.gen4j.core.model.DataSpec;
import io.gen4j.core.nn.UNetConfig;
import io.gen4j.core.train.AdamConfig;
import io.gen4j.core.train.LearningRateSchedule;
import io.gen4j.core.train.TrainingRecipe;
import io.gen4j.diffusion.NoiseSchedule;
import io.gen4j.diffusion.Prediction;
import io.gen4j.diffusion.Spacing;
import io.gen4j.diffusion.TimeGrid;
import io.gen4j.diffusion.latent.LatentDiffusionPreset;
import io.gen4j.examples.topics.ddpm.DdpmRunConfig;
import io.gen4j.examples.topics.guidance.GuidanceTopic;
import io.gen4j.examples.topics.latent.LatentTopicConfig;
import io.gen4j.flows.RealNvp;
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
        DataSpec grey = DataSpec.image(1, 28, 28, PixelRange.ZERO_ONE);
        assertEquals(ConditionalVaePreset.classes28().spec(), ConditionalTopic.Settings.cvaeSpec(cpu, grey, 10));
        assertEquals(ConditionalVaePreset.classes28Long().spec(), ConditionalTopic.Settings.cvaeSpec(gpu, grey, 10));
    }

    /**
     * 11-01's conv and 2-D autoencoders, 11-02's 2-D, collapse-study, σ-, VQ- and conditional VAEs and
     * 11-08's VAE: the topics' cpu and gpu settings are the literal values of main e78416f (before these
     * presets), and the specs the topics build from them are the presets' specs.
     */
    @Test
    void studyModelsOf11_01And11_02And11_08AreThePresets() {
        DataSpec grey = DataSpec.image(1, 28, 28, PixelRange.ZERO_ONE);
        AutoencodersTopic.Settings ae = AutoencodersTopic.Settings.of(Profile.CPU);
        assertEquals(new AutoencodersTopic.Settings(0, 2000, 128, 2000, 500, 1000, 256, 16, 1000, 1000), ae);
        assertEquals(AutoencoderPreset.plain28().spec(), AutoencodersTopic.mlpSpec(ae, grey));
        assertEquals(AutoencoderPreset.conv28().spec(), AutoencodersTopic.convSpec(ae, grey));
        assertEquals(AutoencoderPreset.code2d28().spec(), AutoencodersTopic.code2dSpec(ae, grey));
        assertEquals(AutoencoderPreset.sparse28().spec(), AutoencodersTopic.sparseSpec(ae, grey));
        AutoencodersTopic.Settings aeGpu = AutoencodersTopic.Settings.of(Profile.GPU);
        assertEquals(new AutoencodersTopic.Settings(0, 0, 256, 8000, 4000, 4000, 512, 32, 2000, 1000), aeGpu);
        assertEquals(AutoencoderPreset.plain28Long().spec(), AutoencodersTopic.mlpSpec(aeGpu, grey));
        assertEquals(AutoencoderPreset.conv28Long().spec(), AutoencodersTopic.convSpec(aeGpu, grey));
        assertEquals(AutoencoderPreset.code2d28Long().spec(), AutoencodersTopic.code2dSpec(aeGpu, grey));
        assertEquals(AutoencoderPreset.sparse28Long().spec(), AutoencodersTopic.sparseSpec(aeGpu, grey));

        VaesTopic.Settings v = VaesTopic.Settings.of(Profile.CPU);
        assertEquals(new VaesTopic.Settings(0, 2000, 128, 6000, 2500, 800, 256, 16, 200, 2000, 1000, 1000), v);
        assertEquals(List.of(new KlSchedule(8, 0, 0), new KlSchedule(8, 0, 0.5), new KlSchedule(1, 833, 0)),
                List.copyOf(VaesTopic.collapseSchedules(v).values()));
        assertVaeStudies(v, grey, VaePreset.binarized28(), VaePreset.latent2d28(), List.of(VaePreset.beta8Collapse28(),
                VaePreset.beta8FreeBits28(), VaePreset.beta1WarmUp28()), VaePreset.gaussianLearned28(),
                VqVaePreset.binarized28(), ConditionalVaePreset.binarized28());
        VaesTopic.Settings vGpu = VaesTopic.Settings.of(Profile.GPU);
        assertEquals(new VaesTopic.Settings(0, 0, 256, 20_000, 8000, 4000, 512, 32, 1000, 10_000, 2000, 1000), vGpu);
        assertEquals(List.of(new KlSchedule(8, 0, 0), new KlSchedule(8, 0, 0.5), new KlSchedule(1, 2666, 0)),
                List.copyOf(VaesTopic.collapseSchedules(vGpu).values()));
        assertVaeStudies(vGpu, grey, VaePreset.binarized28Long(), VaePreset.latent2d28Long(),
                List.of(VaePreset.beta8Collapse28Long(), VaePreset.beta8FreeBits28Long(), VaePreset.beta1WarmUp28Long()),
                VaePreset.gaussianLearned28Long(), VqVaePreset.binarized28Long(), ConditionalVaePreset.binarized28Long());

        FlowsTopicVae.Settings f = FlowsTopic.settings(Profile.CPU, 0).vaeSettings();
        assertEquals(new FlowsTopicVae.Settings(32, 512, 2000, 64, 1e-3, 64, 1000), f);
        assertEquals(new FlowsTopicVae.Settings(32, 512, 30_000, 128, 1e-3, 1000, 10_000),
                FlowsTopic.settings(Profile.GPU, 0).vaeSettings());
        VaePreset dequantized = VaePreset.dequantized28();
        assertEquals(dequantized.spec().config(), FlowsTopicVae.config(f));
        assertEquals(List.of(512), dequantized.spec().encoder().widths());
        assertEquals(dequantized.training().finalLearningRate(), FlowsTopicVae.finalLearningRate(f));
        assertEquals(0, dequantized.training().warmupSteps());
    }

    /**
     * The comparison's (11-10, {@code gen4j compare}) VAE and RealNVP: the literal values of main e78416f
     * at the cpu and gpu profiles are the presets'.
     */
    @Test
    void comparisonVaeAndRealNvpAreThePresets() {
        DataSpec grey = DataSpec.image(1, 28, 28, PixelRange.ZERO_ONE);
        assertEquals(new VaeSpec(NetworkSpec.mlp(512), NetworkSpec.mlp(512), VaeConfig.defaults(32), grey),
                ComparisonEntries.Vae.spec(Profile.CPU, grey));
        assertEquals(VaePreset.comparison28().spec(), ComparisonEntries.Vae.spec(Profile.CPU, grey));
        assertEquals(new VaeSpec(NetworkSpec.mlp(1024), NetworkSpec.mlp(1024), VaeConfig.defaults(64), grey),
                ComparisonEntries.Vae.spec(Profile.GPU, grey));
        assertEquals(VaePreset.comparison28Long().spec(), ComparisonEntries.Vae.spec(Profile.GPU, grey));
        assertEquals(List.of(1500L, 64L, 1e-3), List.of(VaePreset.comparison28().training().steps(),
                (long) VaePreset.comparison28().training().batchSize(), VaePreset.comparison28().training().learningRate()));
        assertEquals(30_000, VaePreset.comparison28Long().training().steps());
        ImageDataset images = new ImageDataset("x", 1, 28, 28, new byte[784], new int[] {0}, List.of("a"));
        assertEquals(RealNvp.ImageConfig.builder().setImageShape(1, 28, 28).optCouplings(2).optHidden(32).optResBlocks(1)
                .optGroups(8).build(), ComparisonEntries.RealNvpEntry.config(Profile.CPU, images));
        assertEquals(RealNvp.Presets.comparison28().model(), ComparisonEntries.RealNvpEntry.config(Profile.CPU, images));
        assertEquals(RealNvp.ImageConfig.builder().setImageShape(1, 28, 28).optCouplings(4).optHidden(64).optResBlocks(4)
                .optGroups(8).build(), ComparisonEntries.RealNvpEntry.config(Profile.GPU, images));
        assertEquals(RealNvp.ImageConfig.builder().setImageShape(1, 28, 28).optCouplings(1).optHidden(8).optResBlocks(1)
                .optGroups(4).build(), ComparisonEntries.RealNvpEntry.config(Profile.SMOKE, images));
        RealNvp.ImagePreset flow = RealNvp.Presets.comparison28();
        assertEquals(List.of(200L, 32L, 1e-3, 512L), List.of(flow.training().steps(), (long) flow.training().batchSize(),
                flow.training().learningRate(), (long) flow.initializationImages()));
        assertEquals(30_000, RealNvp.Presets.comparison28Long().training().steps());
    }

    private static void assertVaeStudies(VaesTopic.Settings s, DataSpec grey, VaePreset main, VaePreset twoD,
            List<VaePreset> collapse, VaePreset sigma, VqVaePreset vq, ConditionalVaePreset cvae) {
        assertEquals(main.spec(), VaesTopic.mainSpec(s, grey));
        assertEquals(twoD.spec(), VaesTopic.twoDSpec(s, grey));
        List<KlSchedule> schedules = List.copyOf(VaesTopic.collapseSchedules(s).values());
        for (int i = 0; i < collapse.size(); i++) {
            assertEquals(collapse.get(i).spec(), VaesTopic.mlpVae(s.latent(), s.hidden(), grey, schedules.get(i)));
            assertEquals(s.smallSteps(), collapse.get(i).training().steps());
            assertEquals(s.batch(), collapse.get(i).training().batchSize());
        }
        assertEquals(sigma.spec(), VaesTopic.sigmaSpec(s, grey));
        assertEquals(vq.spec(), VaesTopic.vqSpec(grey));
        assertEquals(cvae.spec(), VaesTopic.cvaeSpec(s, grey, 10));
        for (TrainingRecipe r : List.of(twoD.training(), sigma.training(), cvae.training())) {
            assertEquals(TrainingRecipe.of(s.smallSteps(), s.batch(), 1e-3, 1e-3, 0, 0), r);
        }
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

    /**
     * Topic 11-06 with {@code LatentDiffusionPreset}: the literal values of {@code LatentTopicConfig} at main
     * e78416f (before the preset), and the learning rate of every update of its three optimizers as the topic
     * built them then.
     */
    @Test
    void latentDiffusionTopicIsUnchanged() {
        LatentTopicConfig cpu = LatentTopicConfig.forProfile(Profile.CPU);
        assertEquals(List.of(32, 4, 1e-4, 800, 32, 2048, 20_000, 1000, 1200, 64, 3.0, 20, 4, 100, 5, 400, 200, 16),
                latentValues(cpu));
        assertEquals(latentUnet(64, 8, 64), cpu.unet());
        assertLatentText(cpu, 64, 2, 4, 1e-3, 0.995, 0.1);
        assertLatentOptimizers(cpu, 1e-3);
        LatentTopicConfig gpu = LatentTopicConfig.forProfile(Profile.GPU);
        assertEquals(List.of(64, 4, 1e-4, 20_000, 64, 10_000, 60_000, 1000, 100_000, 128, 3.0, 50, 8, 5000, 20, 10_000,
                1000, 64), latentValues(gpu));
        assertEquals(latentUnet(128, 32, 256), gpu.unet());
        assertLatentText(gpu, 256, 4, 8, 2e-4, 0.9999, 0.1);
        LatentTopicConfig smoke = LatentTopicConfig.forProfile(Profile.SMOKE);
        assertEquals(List.of(16, 4, 1e-4, 4, 8, 32, 32, 100, 4, 4, 3.0, 3, 1, 4, 1, 3, 8, 4), latentValues(smoke));
        assertEquals(latentUnet(16, 4, 16), smoke.unet());
        assertLatentText(smoke, 16, 1, 2, 1e-3, 0.9, 0.1);
        assertLatentOptimizers(smoke, 1e-3);
        for (long steps : new long[] {1, 3, 21, 399, 1200, 5000}) { // the pixel model's steps at equal time
            LatentTopicConfig pixel = cpu.withSteps(steps);
            assertEquals(steps, pixel.ldmSteps());
            assertLatentOptimizers(pixel, 1e-3);
        }
    }

    private static List<Number> latentValues(LatentTopicConfig c) {
        return List.of(c.vaeWidth(), c.latentChannels(), c.klWeight(), c.vaeSteps(), c.vaeBatch(), c.scaleImages(),
                c.latentImages(), c.diffusionSteps(), c.ldmSteps(), c.batch(), c.guidanceScale(), c.samplerSteps(),
                c.samplesPerPrompt(), c.fidSamples(), c.benchSteps(), c.clipSteps(), c.clipSamples(),
                c.pixelSampleBatch());
    }

    private static UNetConfig latentUnet(int base, int groups, int context) {
        return UNetConfig.builder().setImageChannels(4).optBaseChannels(base).optChannelMultipliers(1, 2)
                .optAttentionLevels(1).optHeads(4).optGroups(groups).optContextDim(context).build();
    }

    private static void assertLatentText(LatentTopicConfig c, int width, int depth, int heads, double rate, double ema,
            double dropout) {
        LatentDiffusionPreset p = c.preset();
        assertEquals(new LatentDiffusionPreset.Text(width, depth, heads), p.text());
        assertEquals(List.of(rate, ema, dropout, 1.0), List.of(p.training().learningRate(), p.emaDecay(),
                p.conditionDropout(), p.training().maxGradNorm()));
        assertEquals(NoiseSchedule.linear(c.diffusionSteps()), p.schedule());
        // the CLIP: image width 32, text 32/1/4, 64-d, Adam at a constant 1e-3 on the diffusion batch, no clip
        assertEquals(List.of(32, 32, 1, 4, 64, c.batch(), 0.0), List.of(p.clip().imageWidth(), p.clip().text().width(),
                p.clip().text().depth(), p.clip().text().heads(), p.clip().embedding(),
                p.clip().training().batchSize(), p.clip().training().maxGradNorm()));
        assertEquals(new AdamConfig(0.9, 0.999, 1e-8, 0), p.training().adam());
    }

    /** The rates of every update equal those of the schedules the topic built itself. */
    private static void assertLatentOptimizers(LatentTopicConfig c, double rate) {
        LatentDiffusionPreset p = c.preset();
        LearningRateSchedule vae = LearningRateSchedule.cosine(2e-3, 2e-4, Math.min(50, c.vaeSteps() / 4), c.vaeSteps());
        LearningRateSchedule ldm = LearningRateSchedule.cosine(rate, rate / 10, Math.min(100, c.ldmSteps() / 4),
                c.ldmSteps());
        LearningRateSchedule clip = LearningRateSchedule.constant(1e-3);
        for (long t = 0; t <= Math.max(c.vaeSteps(), c.ldmSteps()); t++) {
            assertEquals(vae.rate(t), p.autoencoder().training().schedule().rate(t), "autoencoder at " + t);
            assertEquals(ldm.rate(t), p.training().schedule().rate(t), "latent diffusion at " + t);
            assertEquals(clip.rate(t), p.clip().training().schedule().rate(t), "CLIP at " + t);
        }
        assertEquals(1.0, p.autoencoder().training().maxGradNorm());
    }

    /**
     * Topic 11-07 with {@code GuidancePreset}: the literal values of {@code GuidanceTopic.Settings} at main
     * e78416f (before the preset), the U-Net it built, and the rates of its two optimizers.
     */
    @Test
    void guidanceTopicIsUnchanged() {
        double[] scales = {0, 1, 2, 4, 8};
        assertGuidance(GuidanceTopic.Settings.of(Profile.SMOKE), List.of(512, 200, 8, 100, 16, 6, 2e-3, 0.2, 20, 4, 8, 3,
                3, 1e-4), scales, new int[] {2, 4});
        assertGuidance(GuidanceTopic.Settings.of(Profile.CPU), List.of(0, 2000, 16, 1000, 32, 400, 2e-3, 0.2, 200, 10,
                8, 3, 60, 2e-4), scales, new int[] {2, 4, 8});
        assertGuidance(GuidanceTopic.Settings.of(Profile.GPU), List.of(0, 0, 64, 1000, 128, 40_000, 2e-4, 0.1, 10_000,
                50, 64, 4, 10_000, 1e-4), scales, new int[] {4, 8, 16, 32, 64});
    }

    private static void assertGuidance(GuidanceTopic.Settings s, List<Number> values, double[] scales, int[] levels) {
        assertEquals(values, List.of(s.trainSize(), s.testSize(), s.baseChannels(), s.diffusionSteps(), s.batch(),
                s.trainSteps(), s.preset().training().learningRate(), s.labelDropout(), s.samples(), s.guidanceSteps(),
                s.teacherSteps(), s.halvings(), s.distillSteps(), s.distillRate()));
        assertArrayEquals(scales, s.scales());
        assertArrayEquals(levels, s.levels());
        assertEquals(UNetConfig.builder().setImageChannels(1).optBaseChannels(s.baseChannels()).optChannelMultipliers(1, 2)
                .optGroups(Math.max(1, s.baseChannels() / 4)).optClasses(10).build(), s.preset().unet(1, 10));
        assertEquals(NoiseSchedule.cosine(s.diffusionSteps()), s.preset().schedule());
        assertEquals(0.995, s.preset().emaDecay());
        double rate = s.preset().training().learningRate();
        LearningRateSchedule ddpm = LearningRateSchedule.cosine(rate, rate / 10, Math.max(1, s.trainSteps() / 20),
                s.trainSteps());
        for (long t = 0; t <= Math.max(s.trainSteps(), s.distillSteps()); t++) {
            assertEquals(ddpm.rate(t), s.preset().training().schedule().rate(t), "DDPM at " + t);
            assertEquals(s.distillRate(), s.preset().distillation().training().schedule().rate(t), "student at " + t);
        }
        assertEquals(List.of(1.0, 1.0), List.of(s.preset().training().maxGradNorm(),
                s.preset().distillation().training().maxGradNorm()));
        assertEquals(TimeGrid.spaced(s.diffusionSteps(), s.teacherSteps(), Spacing.TRAILING),
                s.preset().distillation().teacherGrid(s.diffusionSteps()));
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

    /**
     * {@code compare}'s DDPM, flow-matching and DCGAN entries with {@code DdpmPreset.comparison28()},
     * {@code ScorePresets.flowMatchingComparison28()} and {@code GanPreset.comparison28()} (and their
     * {@code …Long()}): the literal values of {@code ComparisonEntries}/{@code LaterComparisonEntries} at
     * main e78416f, and the learning rate of every update as the entries built their schedules then.
     */
    @Test
    void comparisonDiffusionFlowAndGanEntriesAreUnchanged() {
        for (Profile p : Profile.values()) {
            int base = ComparisonEntries.pick(p, 8, 32, 64);
            UNetConfig unet = UNetConfig.builder().setImageChannels(1).optBaseChannels(base).optChannelMultipliers(1, 2)
                    .optGroups(ComparisonEntries.pick(p, 4, 8, 16)).build();
            int steps = ComparisonEntries.pick(p, 5, 500, 30_000);
            LearningRateSchedule old = LearningRateSchedule.cosine(1e-3, 1e-4, Math.min(100, steps / 10), steps);

            io.gen4j.diffusion.DdpmPreset ddpm = ComparisonEntries.Ddpm.preset(p);
            io.gen4j.diffusion.DdpmSpec spec = ddpm.spec(1, 28, 28);
            assertEquals(unet, spec.unet(), p.toString());
            int t = ComparisonEntries.pick(p, 50, 500, 1000);
            assertEquals(NoiseSchedule.cosine(t), spec.noiseSchedule(), p.toString());
            assertEquals(List.of(ComparisonEntries.pick(p, 5, 50, 100), ComparisonEntries.pick(p, 10, 25, 10), 0.0),
                    List.of(spec.sampling().steps(), spec.likelihoodStride(), ddpm.emaDecay()), p.toString());
            assertEquals(Prediction.EPSILON, spec.prediction());
            assertRecipe(p, ddpm.training(), steps, 32, old);

            io.gen4j.score.ScorePresets.FlowMatchingPreset flow = LaterComparisonEntries.FlowMatching.preset(p);
            assertEquals(List.of(unet, ComparisonEntries.pick(p, 4, 50, 100), ComparisonEntries.pick(p, 2, 10, 50),
                    io.gen4j.score.flow.FlowMatchingSpec.Path.STRAIGHT), List.of(flow.spec().unet(),
                    flow.spec().sampleSteps(), flow.spec().likelihoodSteps(), flow.spec().path()), p.toString());
            assertRecipe(p, flow.training(), steps, 32, old);

            io.gen4j.gans.GanPreset gan = LaterComparisonEntries.Gan.preset(p);
            assertEquals(io.gen4j.gans.GanSpec.dcgan(ComparisonEntries.pick(p, 8, 64, 128),
                    ComparisonEntries.pick(p, 8, 32, 64), 2, 1, 28, 28), gan.spec(), p.toString());
            assertEquals(new io.gen4j.gans.GanRecipe(ComparisonEntries.pick(p, 5, 1500, 30_000), 64,
                    io.gen4j.gans.GanLoss.nonSaturating(), null, 1, 2e-4, 2e-4, 0.5, 0.999,
                    new io.gen4j.core.train.EmaConfig(0.999, true)), gan.training(), p.toString());
        }
    }

    private static void assertRecipe(Profile p, TrainingRecipe r, int steps, int batch, LearningRateSchedule old) {
        assertEquals(List.of((long) steps, batch, 1.0, io.gen4j.core.train.AdamConfig.defaults()),
                List.of(r.steps(), r.batchSize(), r.maxGradNorm(), r.adam()), p.toString());
        for (long u = 0; u <= steps; u++) {
            assertEquals(old.rate(u), r.schedule().rate(u), p + " update " + u);
        }
    }
}
