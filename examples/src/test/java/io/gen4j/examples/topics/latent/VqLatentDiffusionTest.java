package io.gen4j.examples.topics.latent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.gen4j.autoencoders.LatentScale;
import io.gen4j.autoencoders.NetworkSpec;
import io.gen4j.autoencoders.ReconstructionLoss;
import io.gen4j.autoencoders.VectorQuantizerConfig;
import io.gen4j.autoencoders.VqLatentCodec;
import io.gen4j.autoencoders.VqLatentCodecSpec;
import io.gen4j.autoencoders.VqVaeModel;
import io.gen4j.autoencoders.VqVaeSpec;
import io.gen4j.core.data.BatchOrder;
import io.gen4j.core.data.ImageDataset;
import io.gen4j.core.data.PixelRange;
import io.gen4j.core.data.Split;
import io.gen4j.core.data.TensorBatches;
import io.gen4j.core.io.ModelStore;
import io.gen4j.core.model.DataSpec;
import io.gen4j.core.model.GenerativeModel;
import io.gen4j.core.model.SampleOptions;
import io.gen4j.core.nn.UNetConfig;
import io.gen4j.core.testing.FashionMnistSubset;
import io.gen4j.core.testing.ModelChecks;
import io.gen4j.core.train.AdamConfig;
import io.gen4j.core.train.AdamW;
import io.gen4j.core.train.LearningRateSchedule;
import io.gen4j.core.train.ObjectiveStep;
import io.gen4j.diffusion.DdpmSpec;
import io.gen4j.diffusion.LossWeighting;
import io.gen4j.diffusion.NoiseSchedule;
import io.gen4j.diffusion.Prediction;
import io.gen4j.diffusion.Spacing;
import io.gen4j.diffusion.latent.LatentDiffusionFamily;
import io.gen4j.diffusion.latent.LatentDiffusionModel;
import io.gen4j.diffusion.latent.LatentDiffusionObjective;
import io.gen4j.diffusion.latent.LatentDiffusionSpec;
import io.gen4j.diffusion.text.CaptionedBatches;
import io.gen4j.diffusion.text.LabelCaptions;
import io.gen4j.diffusion.text.TextEncoderConfig;
import io.gen4j.diffusion.text.WordTokenizer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Latent diffusion through the VQ option: gen-autoencoders' VqLatentCodec as gen-diffusion's codec. */
class VqLatentDiffusionTest {

    private static final DataSpec DATA = DataSpec.image(1, 16, 16, PixelRange.MINUS_ONE_ONE);
    private static final LabelCaptions CAPTIONS = LabelCaptions.FASHION_MNIST;
    private static final WordTokenizer TOKENIZER = WordTokenizer.of(CAPTIONS.vocabulary(), CAPTIONS.maxWords());

    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
        Engine.getInstance().setRandomSeed(31);
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private VqLatentCodec codec(NDArray images) {
        VqLatentCodec codec = VqLatentCodec.of(VqVaeModel.create(new VqVaeSpec(NetworkSpec.convFeature(16),
                NetworkSpec.convFeature(16), VectorQuantizerConfig.defaults(16, 4), ReconstructionLoss.MSE, DATA),
                manager));
        return codec.withLatentScale(LatentScale.estimate(codec, images, 16));
    }

    private static LatentDiffusionSpec spec(VqLatentCodec codec) {
        UNetConfig unet = UNetConfig.builder().setImageChannels(4).optBaseChannels(16).optChannelMultipliers(1, 2)
                .optAttentionLevels(1).optGroups(4).optHeads(2).optContextDim(16).build();
        return new LatentDiffusionSpec(unet, DdpmSpec.Schedule.of(NoiseSchedule.linear(100)), Prediction.EPSILON,
                new DdpmSpec.Sampling(4, 0.0, Spacing.LINSPACE), LatentDiffusionModel.codecOf(codec),
                new LatentDiffusionSpec.Text(TOKENIZER, TextEncoderConfig.of(TOKENIZER, 16, 1, 2), CAPTIONS.prompts(),
                        2.0), DATA);
    }

    private NDArray images(int n) {
        ImageDataset train = FashionMnistSubset.load(Split.TRAIN).subset(0, n);
        return train.toNDArray(manager, PixelRange.MINUS_ONE_ONE).get(":, :, 6:22, 6:22").duplicate();
    }

    @Test
    void codecContractSamplesAndBitExactSaveLoad(@TempDir Path dir) throws Exception {
        NDArray x = images(32);
        VqLatentCodec codec = codec(x);
        LatentDiffusionModel model = LatentDiffusionFamily.create(spec(codec), codec, manager);
        assertEquals(new Shape(4, 4, 4), model.codec().latentShape());
        // the model's codec is the VQ codec: continuous latents in, quantised decode out
        assertArrayEquals(codec.encode(x).toFloatArray(), model.codec().encode(x).toFloatArray(), 0f);
        NDArray z = manager.randomNormal(new Shape(3, 4, 4, 4));
        assertArrayEquals(codec.network().decode(codec.quantize(z)).toFloatArray(),
                model.codec().decode(z).toFloatArray(), 0f);
        NDArray samples = model.sample(manager, List.of("a bag", "a photo of a dark pair of trousers", ""),
                SampleOptions.defaults());
        assertEquals(new Shape(3, 1, 16, 16), samples.getShape());
        assertTrue(samples.abs().max().getFloat() <= 1f);
        ModelChecks.assertSaveLoadRoundTrip(model, dir,
                (m, mgr) -> ((GenerativeModel) m).sample(mgr, 4, SampleOptions.defaults().withSteps(3)));
        try (NDManager other = NDManager.newBaseManager()) {
            LatentDiffusionModel loaded = ModelStore.load(dir, other, LatentDiffusionModel.class);
            assertInstanceOf(VqLatentCodec.class, loaded.codec());
            assertEquals(codec.spec().latentScale(), ((VqLatentCodec) loaded.codec()).spec().latentScale());
            assertEquals(VqLatentCodecSpec.FAMILY, loaded.spec().codec().family());
        }
    }

    @Test
    void shortTrainingOnVqLatentsLowersTheLossAndLeavesTheCodecFrozen() {
        int n = 64;
        NDArray x = images(n);
        VqLatentCodec codec = codec(x);
        LatentDiffusionModel model = LatentDiffusionFamily.create(spec(codec), codec, manager);
        float[] codecBefore = codec.network().getParameters().valueAt(0).getArray().toFloatArray();
        float[] latents = codec.encode(x).toFloatArray();
        int[] labels = java.util.Arrays.copyOf(FashionMnistSubset.load(Split.TRAIN).labels(), n);
        CaptionedBatches source = new CaptionedBatches(new TensorBatches(latents, new long[] {4, 4, 4}, labels,
                new BatchOrder(n, 16, 3, true)), CAPTIONS::caption, TOKENIZER, 4);
        ObjectiveStep step = ObjectiveStep.builder()
                .setObjective(new LatentDiffusionObjective(model.diffusionNetwork(), NoiseSchedule.linear(100),
                        Prediction.EPSILON, LossWeighting.uniform(), 0.1))
                .setOptimizer(AdamW.factory(LearningRateSchedule.constant(2e-3), AdamConfig.defaults())).build();
        double first = 0;
        double last = 0;
        int steps = 60;
        for (int s = 0; s < steps; s++) {
            try (NDManager scope = manager.newSubManager()) {
                NDList batch = source.next(scope);
                double loss = step.step(batch, s).get("loss");
                assertTrue(Double.isFinite(loss), "loss " + loss + " at step " + s);
                if (s < 10) {
                    first += loss / 10;
                } else if (s >= steps - 10) {
                    last += loss / 10;
                }
            }
        }
        // a zero-initialised output predicts ε̂ = 0, so the loss starts at E ε² = 1
        assertTrue(last < 0.8 * first, "loss " + first + " -> " + last);
        assertArrayEquals(codecBefore, codec.network().getParameters().valueAt(0).getArray().toFloatArray(), 0f,
                "the codec is frozen");
    }
}
