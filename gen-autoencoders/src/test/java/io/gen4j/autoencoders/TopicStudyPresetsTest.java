package io.gen4j.autoencoders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.gen4j.core.data.BatchOrder;
import io.gen4j.core.data.PixelRange;
import io.gen4j.core.data.TensorBatches;
import io.gen4j.core.model.DataSpec;
import io.gen4j.core.runtime.Seeds;
import io.gen4j.core.train.Fit;
import io.gen4j.core.train.FitResult;
import io.gen4j.core.train.Objective;
import io.gen4j.core.train.TrainingRecipe;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The presets of topic 11-01's convolutional and 2-D autoencoders (and its GPU-profile MLP ones), of 11-02's 2-D, collapse-study, σ- and
 * conditional VAEs and of 11-08's VAE carry the values their javadoc states, and each CPU preset builds its
 * model and takes three updates of its own recipe to a finite loss.
 */
class TopicStudyPresetsTest {

    private static final DataSpec GREY28 = DataSpec.image(1, 28, 28, PixelRange.ZERO_ONE);

    private static TrainingRecipe constant(long steps, int batch) {
        return TrainingRecipe.of(steps, batch, 1e-3, 1e-3, 0, 0);
    }

    @Test
    void theConvAnd2dAutoencodersAreTheDocumentedOnes() {
        AutoencoderPreset conv = AutoencoderPreset.conv28();
        assertEquals(new AutoencoderSpec(NetworkSpec.conv(16), NetworkSpec.conv(16), 32,
                ReconstructionLoss.BCE_WITH_LOGITS, Corruption.none(), null, io.gen4j.core.nn.Activation.NONE, GREY28),
                conv.spec());
        assertEquals(constant(500, 128), conv.training());
        assertEquals(NetworkSpec.conv(32), AutoencoderPreset.conv28Long().spec().encoder());
        assertEquals(constant(4000, 256), AutoencoderPreset.conv28Long().training());
        AutoencoderPreset code2d = AutoencoderPreset.code2d28();
        assertEquals(2, code2d.spec().codeSize());
        assertEquals(List.of(256), code2d.spec().decoder().widths());
        assertEquals(constant(2000, 128), code2d.training());
        assertEquals(List.of(512), AutoencoderPreset.code2d28Long().spec().encoder().widths());
        assertEquals(2, AutoencoderPreset.code2d28Long().spec().codeSize());
        assertEquals(constant(8000, 256), AutoencoderPreset.code2d28Long().training());
        AutoencoderPreset plainLong = AutoencoderPreset.plain28Long();
        assertEquals(AutoencoderSpec.plain(NetworkSpec.mlp(512), NetworkSpec.mlp(512), 32,
                ReconstructionLoss.BCE_WITH_LOGITS, GREY28), plainLong.spec());
        assertEquals(constant(8000, 256), plainLong.training());
        assertEquals(new Corruption.Masking(0.5),
                AutoencoderPreset.denoising28Long(new Corruption.Masking(0.5)).spec().corruption());
        assertEquals(plainLong.training(), AutoencoderPreset.denoising28Long(new Corruption.Masking(0.5)).training());
        AutoencoderPreset sparseLong = AutoencoderPreset.sparse28Long();
        assertEquals(AutoencoderSpec.plain(NetworkSpec.mlp(512), NetworkSpec.mlp(512), 64,
                ReconstructionLoss.BCE_WITH_LOGITS, GREY28).withSparsity(new SparsityPenalty.KlDivergence(0.05, 3.0),
                io.gen4j.core.nn.Activation.SIGMOID), sparseLong.spec());
        assertEquals(constant(4000, 256), sparseLong.training());
    }

    @Test
    void the11_02StudyVaesAreTheDocumentedOnes() {
        Map<VaePreset, VaeConfig> cpu = Map.of(
                VaePreset.latent2d28(), new VaeConfig(2, DecoderLikelihood.BERNOULLI, 1.0, new KlSchedule(1, 250, 0), 64),
                VaePreset.beta8Collapse28(), new VaeConfig(16, DecoderLikelihood.BERNOULLI, 1.0, new KlSchedule(8, 0, 0), 64),
                VaePreset.beta8FreeBits28(), new VaeConfig(16, DecoderLikelihood.BERNOULLI, 1.0, new KlSchedule(8, 0, 0.5), 64),
                VaePreset.beta1WarmUp28(), new VaeConfig(16, DecoderLikelihood.BERNOULLI, 1.0, new KlSchedule(1, 833, 0), 64),
                VaePreset.gaussianLearned28(),
                new VaeConfig(16, DecoderLikelihood.GAUSSIAN_LEARNED, 1.0, new KlSchedule(1, 250, 0), 64));
        for (Map.Entry<VaePreset, VaeConfig> e : cpu.entrySet()) {
            assertEquals(new VaeSpec(NetworkSpec.mlp(256), NetworkSpec.mlp(256), e.getValue(), GREY28), e.getKey().spec());
            assertEquals(constant(2500, 128), e.getKey().training());
        }
        Map<VaePreset, VaeConfig> gpu = Map.of(
                VaePreset.latent2d28Long(), new VaeConfig(2, DecoderLikelihood.BERNOULLI, 1.0, new KlSchedule(1, 800, 0), 64),
                VaePreset.beta8Collapse28Long(), new VaeConfig(32, DecoderLikelihood.BERNOULLI, 1.0, new KlSchedule(8, 0, 0), 64),
                VaePreset.beta8FreeBits28Long(),
                new VaeConfig(32, DecoderLikelihood.BERNOULLI, 1.0, new KlSchedule(8, 0, 0.5), 64),
                VaePreset.beta1WarmUp28Long(), new VaeConfig(32, DecoderLikelihood.BERNOULLI, 1.0, new KlSchedule(1, 2666, 0), 64),
                VaePreset.gaussianLearned28Long(),
                new VaeConfig(32, DecoderLikelihood.GAUSSIAN_LEARNED, 1.0, new KlSchedule(1, 800, 0), 64));
        for (Map.Entry<VaePreset, VaeConfig> e : gpu.entrySet()) {
            assertEquals(new VaeSpec(NetworkSpec.mlp(512), NetworkSpec.mlp(512), e.getValue(), GREY28), e.getKey().spec());
            assertEquals(constant(8000, 256), e.getKey().training());
        }
        ConditionalVaePreset cvae = ConditionalVaePreset.binarized28();
        assertEquals(new ConditionalVaeSpec(NetworkSpec.mlp(256), NetworkSpec.mlp(256),
                new VaeConfig(8, DecoderLikelihood.BERNOULLI, 1.0, new KlSchedule(1, 250, 0), 64), 10,
                ConditionalPrior.LEARNED, GREY28), cvae.spec());
        assertEquals(constant(2500, 128), cvae.training());
        ConditionalVaePreset cvaeLong = ConditionalVaePreset.binarized28Long();
        assertEquals(new ConditionalVaeSpec(NetworkSpec.mlp(512), NetworkSpec.mlp(512),
                new VaeConfig(8, DecoderLikelihood.BERNOULLI, 1.0, new KlSchedule(1, 800, 0), 64), 10,
                ConditionalPrior.LEARNED, GREY28), cvaeLong.spec());
        assertEquals(constant(8000, 256), cvaeLong.training());
    }

    @Test
    void the11_08VaeIsTheDocumentedOne() {
        VaePreset vae = VaePreset.dequantized28();
        assertEquals(new VaeSpec(NetworkSpec.mlp(512), NetworkSpec.mlp(512),
                new VaeConfig(32, DecoderLikelihood.GAUSSIAN_LEARNED, 0.1, new KlSchedule(1, 0, 0), 64), GREY28), vae.spec());
        assertEquals(2000, vae.training().steps());
        assertEquals(64, vae.training().batchSize());
        assertEquals(1e-3, vae.training().learningRate());
        assertEquals(5e-5, vae.training().finalLearningRate(), 1e-18);
        assertEquals(0, vae.training().warmupSteps());
        assertEquals(0.0, vae.training().maxGradNorm());
        VaePreset long_ = VaePreset.dequantized28Long();
        assertEquals(vae.spec(), long_.spec());
        assertEquals(List.of(30_000L, 128L), List.of(long_.training().steps(), (long) long_.training().batchSize()));
        assertEquals(vae.training().finalLearningRate(), long_.training().finalLearningRate());
    }

    /** 128 random grey 28×28 images with labels 0…9, batches of {@code batch}. */
    private static TensorBatches noise(int batch, long seed) {
        int n = Math.max(batch, 128);
        Random random = new Random(seed);
        float[] pixels = new float[n * 784];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = random.nextFloat();
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 10;
        }
        return new TensorBatches(pixels, new long[] {1, 28, 28}, labels, new BatchOrder(n, batch, seed, true));
    }

    private static double threeUpdates(Objective objective, TrainingRecipe recipe, NDManager manager, long seed) {
        FitResult r = Fit.builder().setStep(recipe.step(objective).optName("preset").build())
                .setSource(noise(recipe.batchSize(), seed)).setManager(manager).optTotalSteps(3).optSeed(seed)
                .build().run();
        return r.lastMetrics().get("loss");
    }

    @Test
    void everyCpuPresetBuildsAndTrainsThreeFiniteUpdates() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            for (AutoencoderPreset p : List.of(AutoencoderPreset.conv28(), AutoencoderPreset.code2d28())) {
                Seeds.seedEngine(1);
                AutoencoderModel model = AutoencoderModel.create(p.spec(), manager);
                double loss = threeUpdates(model.network().objective(), p.training(), manager, 1);
                assertTrue(Double.isFinite(loss) && loss > 0, p.spec() + ": " + loss);
            }
            for (VaePreset p : List.of(VaePreset.latent2d28(), VaePreset.beta8Collapse28(), VaePreset.beta8FreeBits28(),
                    VaePreset.beta1WarmUp28(), VaePreset.gaussianLearned28(), VaePreset.dequantized28())) {
                Seeds.seedEngine(2);
                VaeModel model = VaeModel.create(p.spec(), manager);
                double loss = threeUpdates(model.network().objective(), p.training(), manager, 2);
                assertTrue(Double.isFinite(loss), p.spec() + ": " + loss);
            }
            Seeds.seedEngine(3);
            ConditionalVaeModel cvae = ConditionalVaeModel.create(ConditionalVaePreset.binarized28().spec(), manager);
            double loss = threeUpdates(cvae.network().objective(), ConditionalVaePreset.binarized28().training(), manager, 3);
            assertTrue(Double.isFinite(loss) && loss > 0, "cVAE: " + loss);
        }
    }
}
