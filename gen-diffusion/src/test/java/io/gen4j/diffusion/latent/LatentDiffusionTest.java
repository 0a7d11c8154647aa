package io.gen4j.diffusion.latent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.gen4j.core.data.PixelRange;
import io.gen4j.core.model.Condition;
import io.gen4j.core.model.DataSpec;
import io.gen4j.core.model.GenerativeModel;
import io.gen4j.core.model.SampleOptions;
import io.gen4j.core.nn.UNetConfig;
import io.gen4j.core.testing.BlockChecks;
import io.gen4j.core.testing.ModelChecks;
import io.gen4j.core.train.Adam;
import io.gen4j.core.train.AdamConfig;
import io.gen4j.core.train.AdamW;
import io.gen4j.core.train.LearningRateSchedule;
import io.gen4j.core.train.ObjectiveStep;
import io.gen4j.diffusion.DdimSampler;
import io.gen4j.diffusion.DdpmSpec;
import io.gen4j.diffusion.DiffusionModel;
import io.gen4j.diffusion.GaussianDataDenoiser;
import io.gen4j.diffusion.LossWeighting;
import io.gen4j.diffusion.NoiseSchedule;
import io.gen4j.diffusion.Prediction;
import io.gen4j.diffusion.Spacing;
import io.gen4j.diffusion.TimeGrid;
import io.gen4j.diffusion.text.FashionCaptions;
import io.gen4j.diffusion.text.TextEncoderConfig;
import io.gen4j.diffusion.text.WordTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Latent diffusion through gen-core's LatentCodec, with an exact parameter-free test codec. */
class LatentDiffusionTest {

    private static final DataSpec DATA = DataSpec.image(1, 8, 8, PixelRange.MINUS_ONE_ONE);
    private static final WordTokenizer TOKENIZER = WordTokenizer.of(FashionCaptions.vocabulary(),
            FashionCaptions.maxWords());
    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
        Engine.getInstance().setRandomSeed(21);
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    static LatentDiffusionSpec spec(boolean text) {
        SpaceToDepthCodec codec = SpaceToDepthCodec.of(new SpaceToDepthCodec.Spec(DATA, 2.0));
        UNetConfig unet = UNetConfig.builder().setImageChannels(4).optBaseChannels(16).optChannelMultipliers(1, 2)
                .optAttentionLevels(1).optGroups(4).optHeads(2).optContextDim(text ? 16 : 0).build();
        return new LatentDiffusionSpec(unet, DdpmSpec.Schedule.of(NoiseSchedule.linear(50)), Prediction.EPSILON,
                new DdpmSpec.Sampling(5, 0.0, Spacing.LINSPACE), LatentDiffusionModel.codecOf(codec),
                text ? new LatentDiffusionSpec.Text(TOKENIZER, TextEncoderConfig.of(TOKENIZER, 16, 1, 2),
                        FashionCaptions.prompts(), 2.0) : null, DATA);
    }

    private static void randomise(LatentDiffusionModel model, NDManager manager) {
        for (Pair<String, Parameter> p : model.network().getParameters()) {
            NDArray a = p.getValue().getArray();
            a.set(manager.randomNormal(0f, 0.2f, a.getShape(), DataType.FLOAT32).toFloatArray());
        }
    }

    @Test
    void samplesAreImagesAndSaveLoadIsBitExact(@TempDir Path dir) {
        LatentDiffusionModel model = new LatentDiffusionFamily().create(spec(true), manager);
        randomise(model, manager);
        NDArray images = model.sample(manager, 3, SampleOptions.defaults());
        assertEquals(new Shape(3, 1, 8, 8), images.getShape());
        assertTrue(images.abs().max().getFloat() <= 1f);
        ModelChecks.assertSaveLoadRoundTrip(model, dir,
                (m, mgr) -> ((GenerativeModel) m).sample(mgr, 4, SampleOptions.defaults().withSteps(3)));
    }

    @Test
    void promptsChangeTheSamplesAndTheNullCaptionIsACaption() {
        LatentDiffusionModel model = new LatentDiffusionFamily().create(spec(true), manager);
        randomise(model, manager);
        NDArray zT = manager.randomNormal(new Shape(1, 4, 4, 4)).repeat(0, 2); // the same start for both rows
        TextToImagePipeline p = model.pipeline(model.diffusionModel(new ai.djl.training.ParameterStore(manager, false)),
                DdimSampler.deterministic(), TimeGrid.spaced(50, 4, Spacing.LINSPACE));
        // latents: the random network's decoded images may all saturate at the clipping bound
        NDArray trousers = p.generate(List.of("a pair of trousers", "a pair of trousers"), zT, manager).latents();
        NDArray bags = p.generate(List.of("a bag", "a bag"), zT, manager).latents();
        NDArray nulls = p.generate(List.of("", ""), zT, manager).latents();
        assertFalse(trousers.allClose(bags, 1e-4, 1e-4, false));
        assertFalse(trousers.allClose(nulls, 1e-4, 1e-4, false));
        assertArrayEquals(trousers.get(0).toFloatArray(), trousers.get(1).toFloatArray(), 1e-5f);
    }

    @Test
    void guidanceAtZeroIsTheNullCaptionAndAtOneTheCaption() {
        LatentDiffusionModel model = new LatentDiffusionFamily().create(spec(true), manager);
        randomise(model, manager);
        ai.djl.training.ParameterStore ps = new ai.djl.training.ParameterStore(manager, false);
        NDArray zT = manager.randomNormal(new Shape(2, 4, 4, 4));
        TimeGrid grid = TimeGrid.spaced(50, 4, Spacing.LINSPACE);
        List<String> bags = List.of("a bag", "a small bag");
        NDArray plain = model.pipeline(model.diffusionModel(ps), DdimSampler.deterministic(), grid)
                .generate(bags, zT, manager).latents();
        NDArray nulls = model.pipeline(model.diffusionModel(ps), DdimSampler.deterministic(), grid)
                .generate(List.of("", ""), zT, manager).latents();
        NDArray w0 = model.pipeline(model.guidedModel(ps, 0, manager), DdimSampler.deterministic(), grid)
                .generate(bags, zT, manager).latents();
        NDArray w1 = model.pipeline(model.guidedModel(ps, 1, manager), DdimSampler.deterministic(), grid)
                .generate(bags, zT, manager).latents();
        NDArray w3 = model.pipeline(model.guidedModel(ps, 3, manager), DdimSampler.deterministic(), grid)
                .generate(bags, zT, manager).latents();
        // the batched forward of the guided model may differ from a single one in the last bits
        assertTrue(w0.allClose(nulls, 1e-4, 1e-4, false), "w = 0 is not the null caption's model");
        assertTrue(w1.allClose(plain, 1e-4, 1e-4, false), "w = 1 is not the conditional model");
        assertFalse(w3.allClose(plain, 1e-3, 1e-3, false));
    }

    @Test
    void unconditionalModelAndCodecErrors() {
        LatentDiffusionModel model = new LatentDiffusionFamily().create(spec(false), manager);
        assertEquals(Condition.none(), model.condition(List.of("x"), manager));
        assertEquals(new Shape(2, 1, 8, 8), model.sample(manager, 2, SampleOptions.defaults()).getShape());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LatentDiffusionFamily
                .createCodec(new LatentDiffusionSpec.Codec("no-such-codec", JsonNodeFactory.instance.objectNode()),
                        manager));
        assertTrue(e.getMessage().contains("no-such-codec"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new LatentDiffusionSpec(spec(false).unet().withContextDim(8),
                spec(false).schedule(), Prediction.EPSILON, spec(false).sampling(), spec(false).codec(), null, DATA));
    }

    @Test
    void captionDropoutReplacesRowsByTheNullCaption() {
        NDList tokens = TOKENIZER.encode(Collections.nCopies(4000, "a photo of a dark ankle boot"), manager);
        NDArray kept = LatentDiffusionObjective.dropCaptions(tokens.get(0), 0.0).get(0);
        assertArrayEquals(tokens.get(0).toIntArray(), kept.toIntArray());
        NDList all = LatentDiffusionObjective.dropCaptions(tokens.get(0), 1.0);
        int[] nullRow = TOKENIZER.ids("");
        int[] ids = all.get(0).toIntArray();
        for (int i = 0; i < 4000; i++) {
            for (int j = 0; j < nullRow.length; j++) {
                assertEquals(nullRow[j], ids[i * nullRow.length + j]);
            }
        }
        assertEquals(4000f, all.get(1).sum().getFloat(), "the null caption keeps <start> only");
        int[] some = LatentDiffusionObjective.dropCaptions(tokens.get(0), 0.3).get(0).toIntArray();
        int dropped = 0;
        for (int i = 0; i < 4000; i++) {
            dropped += some[i * nullRow.length + 1] == WordTokenizer.PAD ? 1 : 0;
        }
        // binomial(4000, 0.3): sd 29; 4 sd
        assertEquals(1200, dropped, 4 * 29);
    }

    /**
     * The text encoder learns through the U-Net's cross-attention: with Adam, which has no weight decay, a
     * parameter moves only when it has a gradient, and every parameter of the text encoder and of the U-Net
     * moves (a context copied without its autograd history would leave the text encoder where it was).
     */
    @Test
    void trainingUpdatesTheUNetAndTheTextEncoder() {
        LatentDiffusionModel model = new LatentDiffusionFamily().create(spec(true), manager);
        LatentDiffusionNetwork net = model.diffusionNetwork();
        List<float[]> textBefore = values(net.text().orElseThrow());
        List<float[]> unetBefore = values(net.unet());
        ObjectiveStep step = ObjectiveStep.builder()
                .setObjective(new LatentDiffusionObjective(net, NoiseSchedule.linear(50), Prediction.EPSILON,
                        LossWeighting.uniform(), 0.1))
                .setOptimizer(Adam.factory(LearningRateSchedule.constant(1e-3), AdamConfig.defaults())).build();
        List<String> captions = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            captions.add(FashionCaptions.prompt(i % 10));
        }
        for (int s = 0; s < 3; s++) {
            try (NDManager scope = manager.newSubManager()) {
                NDList tokens = TOKENIZER.encode(captions, scope);
                NDList batch = new NDList(scope.randomNormal(new Shape(8, 4, 4, 4)), tokens.get(0), tokens.get(1));
                double loss = step.step(batch, s).get("loss");
                assertTrue(Double.isFinite(loss));
            }
        }
        assertAllMoved("text encoder", textBefore, values(net.text().orElseThrow()), net.text().orElseThrow());
        assertAllMoved("U-Net", unetBefore, values(net.unet()), net.unet());
    }

    private static List<float[]> values(ai.djl.nn.Block block) {
        List<float[]> out = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            out.add(p.getValue().getArray().toType(DataType.FLOAT32, false).toFloatArray());
        }
        return out;
    }

    private static void assertAllMoved(String what, List<float[]> before, List<float[]> after, ai.djl.nn.Block block) {
        for (int i = 0; i < before.size(); i++) {
            Parameter p = block.getParameters().valueAt(i);
            if (p.requiresGradient()) {
                assertFalse(java.util.Arrays.equals(before.get(i), after.get(i)),
                        what + " parameter " + block.getParameters().keyAt(i) + " did not move: no gradient");
            }
        }
    }

    @Test
    void resumedTrainingWithCaptionDropoutIsBitExact(@TempDir Path dir) {
        io.gen4j.core.testing.TrainingChecks.assertResumeIsBitExact(() -> {
            NDManager m = NDManager.newBaseManager();
            Engine.getInstance().setRandomSeed(3);
            LatentDiffusionModel model = new LatentDiffusionFamily().create(spec(true), m);
            ObjectiveStep step = ObjectiveStep.builder()
                    .setObjective(new LatentDiffusionObjective(model.diffusionNetwork(), NoiseSchedule.linear(50),
                            Prediction.EPSILON, LossWeighting.uniform(), 0.3))
                    .setOptimizer(AdamW.factory(LearningRateSchedule.constant(1e-3), AdamConfig.defaults()))
                    .optEma(new io.gen4j.core.train.EmaConfig(0.9, true)).build();
            int n = 24;
            float[] latents = new float[n * 64];
            java.util.Random r = new java.util.Random(8);
            int[] labels = new int[n];
            for (int i = 0; i < latents.length; i++) {
                latents[i] = (float) r.nextGaussian();
            }
            for (int i = 0; i < n; i++) {
                labels[i] = i % 10;
            }
            io.gen4j.core.data.BatchSource source = new io.gen4j.diffusion.text.CaptionedBatches(
                    new io.gen4j.core.data.TensorBatches(latents, new long[] {4, 4, 4}, labels,
                            new io.gen4j.core.data.BatchOrder(n, 6, 5, true)), FashionCaptions::caption, TOKENIZER, 6);
            return io.gen4j.core.testing.TrainingChecks.Setup.of(step, source, m);
        }, 7, 6, 3, dir);
    }

    @Test
    void pipelineWithTheExactDenoiserReproducesGaussianDataThroughTheCodec() {
        // pixel law N(m, s²) per pixel; the codec is linear (×2 after a permutation), so latents are
        // N(2·P m, (2·P s)²) and the exact latent denoiser decodes back to the pixel law
        SpaceToDepthCodec codec = SpaceToDepthCodec.of(new SpaceToDepthCodec.Spec(DATA, 2.0));
        float[] m = new float[64];
        float[] s = new float[64];
        for (int i = 0; i < 64; i++) {
            m[i] = (float) (0.5 * Math.sin(i));
            s[i] = (float) (0.1 + 0.3 * (i % 5) / 4.0);
        }
        NDArray mz = codec.encode(manager.create(m, new Shape(1, 1, 8, 8)));
        NDArray sz = codec.encode(manager.create(s, new Shape(1, 1, 8, 8)));
        NoiseSchedule schedule = NoiseSchedule.cosine(100);
        GaussianDataDenoiser exact = new GaussianDataDenoiser(schedule, toDoubles(mz), toDoubles(sz), Prediction.EPSILON);
        TextToImagePipeline p = new TextToImagePipeline((prompts, mgr) -> Condition.none(),
                new DiffusionModel((xt, t, c) -> exact.predict(xt.reshape(xt.getShape().get(0), -1), t, c)
                        .reshape(xt.getShape()), schedule, Prediction.EPSILON), DdimSampler.deterministic(),
                TimeGrid.full(100), codec, codec.latentShape(), Double.POSITIVE_INFINITY);
        int n = 2000;
        NDArray x = p.generate(Collections.nCopies(n, ""), manager).images();
        assertEquals(new Shape(n, 1, 8, 8), x.getShape());
        float[] mean = x.mean(new int[] {0}).toFloatArray();
        float[] std = x.sub(x.mean(new int[] {0})).square().mean(new int[] {0}).sqrt().toFloatArray();
        for (int i = 0; i < 64; i++) {
            // standard error of the mean s/√2000 ≤ 0.009; of the sd ≈ s/√4000 ≤ 0.0064; plus the
            // deterministic sampler's discretisation over 100 cosine steps
            assertEquals(m[i], mean[i], 0.04, "mean of pixel " + i);
            assertEquals(s[i], std[i], 0.03 + 0.05 * s[i], "sd of pixel " + i);
        }
    }

    @Test
    void generatingDoesNotGrowTheManager() {
        LatentDiffusionModel model = new LatentDiffusionFamily().create(spec(true), manager);
        try (NDManager calls = NDManager.newBaseManager()) {
            TextToImagePipeline p = model.pipeline(model.diffusionModel(new ai.djl.training.ParameterStore(calls, false)),
                    DdimSampler.deterministic(), TimeGrid.spaced(50, 5, Spacing.LINSPACE));
            p.generate(List.of("a bag"), calls).images().close();
            int before = BlockChecks.countManagedArrays(calls);
            int modelBefore = BlockChecks.countManagedArrays(manager);
            for (int i = 0; i < 3; i++) {
                TextToImagePipeline.Result r = p.generate(List.of("a bag", "a coat"), calls);
                r.images().close();
                r.latents().close();
            }
            assertEquals(before, BlockChecks.countManagedArrays(calls));
            assertEquals(modelBefore, BlockChecks.countManagedArrays(manager));
        }
    }

    private static double[] toDoubles(NDArray a) {
        float[] f = a.toFloatArray();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
