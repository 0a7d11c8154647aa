package io.gen4j.autoencoders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.data.ImageDataset;
import io.gen4j.core.data.PixelRange;
import io.gen4j.core.data.Split;
import io.gen4j.core.io.ModelStore;
import io.gen4j.core.model.DataSpec;
import io.gen4j.core.model.LatentCodec;
import io.gen4j.core.testing.FashionMnistSubset;
import io.gen4j.core.testing.ModelChecks;
import io.gen4j.core.train.Adam;
import io.gen4j.core.train.AdamConfig;
import io.gen4j.core.train.Fit;
import io.gen4j.core.train.LearningRateSchedule;
import io.gen4j.core.train.ObjectiveStep;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The latent codec of latent diffusion: shapes, the scaling factor, saving, training. */
class KlAutoencoderTest {

    private static final DataSpec DATA = DataSpec.image(1, 16, 16, PixelRange.MINUS_ONE_ONE);
    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
        Engine.getInstance().setRandomSeed(11);
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    @Test
    void codecRoundTripShapes() {
        KlAutoencoderModel model = KlAutoencoderModel.create(new KlAutoencoderSpec(3, 16, 1e-4, 1.0, DATA), manager);
        NDArray x = manager.randomUniform(-1f, 1f, new Shape(5, 1, 16, 16));
        NDArray z = model.encode(x);
        assertEquals(new Shape(5, 3, 4, 4), z.getShape());
        assertEquals(new Shape(3, 4, 4), model.latentShape());
        assertEquals(x.getShape(), model.decode(z).getShape());
        assertThrows(IllegalArgumentException.class,
                () -> new KlAutoencoderSpec(3, 16, 1e-4, 1.0, DataSpec.image(1, 18, 16, PixelRange.MINUS_ONE_ONE)));
        assertThrows(IllegalArgumentException.class, () -> new KlAutoencoderSpec(3, 16, 1e-4, 0.0, DATA));
    }

    @Test
    void scaleIsTheReciprocalStandardDeviationInClosedForm() {
        // ±a alternating: mean 0, standard deviation exactly a
        float[] v = new float[1000];
        for (int i = 0; i < v.length; i++) {
            v[i] = i % 2 == 0 ? 2.5f : -2.5f;
        }
        assertEquals(0.4, LatentScale.fromLatents(manager.create(v)), 1e-12);
        // a shift does not change it: values m ± a
        for (int i = 0; i < v.length; i++) {
            v[i] += 7f;
        }
        assertEquals(0.4, LatentScale.fromLatents(manager.create(v)), 1e-6);
        // Gaussian N(3, 0.2²), 400 000 draws: s = 5 within sampling error (sd of σ̂ ≈ σ/√(2n) ≈ 0.11 %)
        Random random = new Random(3);
        float[] g = new float[400_000];
        for (int i = 0; i < g.length; i++) {
            g[i] = (float) (3 + 0.2 * random.nextGaussian());
        }
        assertEquals(5.0, LatentScale.fromLatents(manager.create(g)), 5.0 * 0.005);
        assertThrows(IllegalArgumentException.class, () -> LatentScale.fromLatents(manager.ones(new Shape(10))));
    }

    @Test
    void estimatedScaleMakesEncodedDataUnitVariance() {
        KlAutoencoderModel model = KlAutoencoderModel.create(KlAutoencoderSpec.defaults(DATA), manager);
        NDArray x = manager.randomUniform(-1f, 1f, new Shape(40, 1, 16, 16));
        double s = LatentScale.estimate(model, x, 7);
        // chunked estimate = one-shot estimate over all raw latents
        assertEquals(LatentScale.fromLatents(model.encodeRaw(x)), s, 1e-6 * s); // float32 convolutions of other batch sizes
        KlAutoencoderModel scaled = model.withLatentScale(s);
        double[] z = scaled.encode(x).toType(DataType.FLOAT64, false).toDoubleArray();
        double mean = 0;
        for (double e : z) {
            mean += e / z.length;
        }
        double variance = 0;
        for (double e : z) {
            variance += (e - mean) * (e - mean) / z.length;
        }
        assertEquals(1.0, variance, 1e-4);
        // decoding undoes the scale: the reconstruction does not depend on s
        NDArray a = model.decode(model.encode(x));
        NDArray b = scaled.decode(scaled.encode(x));
        assertTrue(a.allClose(b, 1e-4, 1e-5, false));
    }

    @Test
    void saveLoadIsBitExactAndKeepsTheScale(@TempDir Path dir) throws Exception {
        KlAutoencoderModel model = KlAutoencoderModel.create(KlAutoencoderSpec.defaults(DATA), manager)
                .withLatentScale(0.18215);
        NDArray x = manager.randomUniform(-1f, 1f, new Shape(3, 1, 16, 16));
        ModelChecks.assertSaveLoadRoundTrip(model, dir, (m, mgr) -> {
            LatentCodec codec = (LatentCodec) m;
            NDArray z = codec.encode(x);
            return z.flatten().concat(codec.decode(z).flatten());
        });
        try (NDManager other = NDManager.newBaseManager()) {
            LatentCodec loaded = ModelStore.load(dir, other, LatentCodec.class);
            assertInstanceOf(KlAutoencoderModel.class, loaded);
            assertEquals(0.18215, ((KlAutoencoderModel) loaded).spec().latentScale());
        }
    }

    @Test
    @Tag("quality")
    void trainingLowersTheReconstructionError() {
        ImageDataset train = FashionMnistSubset.load(Split.TRAIN);
        DataSpec data = DataSpec.image(1, 28, 28, PixelRange.MINUS_ONE_ONE);
        KlAutoencoderModel model = KlAutoencoderModel.create(new KlAutoencoderSpec(4, 16, 1e-4, 1.0, data), manager);
        ObjectiveStep step = ObjectiveStep.builder().optName("vae").setObjective(model.objective())
                .setOptimizer(Adam.factory(LearningRateSchedule.constant(2e-3), AdamConfig.defaults())).build();
        NDArray x = train.subset(0, 64).toNDArray(manager, PixelRange.MINUS_ONE_ONE);
        double before = model.decode(model.encode(x)).sub(x).square().mean().getFloat();
        Fit.builder().setStep(step)
                .setSource(train.batches(32, 5, true, PixelRange.MINUS_ONE_ONE))
                .setManager(manager).optTotalSteps(60).optSeed(5).build().run();
        double after = model.decode(model.encode(x)).sub(x).square().mean().getFloat();
        // measured: per-pixel MSE 0.635 -> 0.102 (ratio 0.16) on the training images; margin: ratio < 0.3
        assertTrue(after < 0.3 * before, "reconstruction MSE " + before + " -> " + after);
    }
}
