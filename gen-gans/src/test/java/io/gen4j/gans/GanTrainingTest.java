package io.gen4j.gans;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.gen4j.core.data.toy.EightGaussians;
import io.gen4j.core.data.toy.Toy2dBatches;
import io.gen4j.core.io.ModelStore;
import io.gen4j.core.model.GenerativeModel;
import io.gen4j.core.model.SampleOptions;
import io.gen4j.core.model.SaveableModel;
import io.gen4j.core.testing.BlockChecks;
import io.gen4j.core.testing.ModelChecks;
import io.gen4j.core.testing.TrainingChecks;
import io.gen4j.core.train.EmaConfig;
import io.gen4j.core.train.Fit;
import io.gen4j.core.train.FitResult;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GAN step on gen-core's loop: bit-exact resume (both optimizers, the generator's EMA, the
 * spectral-norm vectors, BatchNorm statistics, the engine's RNG), flat memory with the gradient
 * penalty and spectral norm, the metrics it promises, weight clipping, and the saved model.
 */
class GanTrainingTest {

    static GanTraining.Step wganGp(GanModel model, int criticSteps) {
        return GanTraining.builder(model).optLoss(GanLoss.wasserstein()).optPenalty(GradientPenalty.defaults())
                .optCriticSteps(criticSteps).optLearningRates(1e-3, 1e-3).optBetas(0, 0.9)
                .optEma(new EmaConfig(0.9, true)).build();
    }

    @Test
    void resumeIsBitExactForWganGpWithSpectralNorm(@TempDir Path dir) {
        TrainingChecks.assertResumeIsBitExact(() -> {
            NDManager m = NDManager.newBaseManager();
            Engine.getInstance().setRandomSeed(3);
            GanModel model = GanModel.create(GanSpec.mlp(4, 16, 2, 2).withSpectralNorm(true), m);
            return TrainingChecks.Setup.of(wganGp(model, 2), new Toy2dBatches(EightGaussians.defaults(), 32, 9), m);
        }, 7, 12, 5, dir);
    }

    @Test
    void resumeIsBitExactForAConditionalDcganWithBatchNorm(@TempDir Path dir) {
        TrainingChecks.assertResumeIsBitExact(() -> {
            NDManager m = NDManager.newBaseManager();
            Engine.getInstance().setRandomSeed(4);
            GanModel model = GanModel.create(GanSpec.dcgan(4, 4, 2, 1, 8, 8).withSpectralNorm(true)
                    .withConditioning(Conditioning.PROJECTION, 3), m);
            GanTraining.Step step = GanTraining.builder(model).optLoss(GanLoss.hinge())
                    .optEma(EmaConfig.defaults()).build();
            return TrainingChecks.Setup.of(step, new GanTestSupport.LabelledImages(8, new long[] {1, 8, 8}, 3), m);
        }, 5, 6, 3, dir);
    }

    @Test
    void metricsMemoryAndClipping() {
        GanTestSupport.withOneThread(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                Engine.getInstance().setRandomSeed(5);
                GanModel model = GanModel.create(GanSpec.mlp(4, 16, 2, 2).withSpectralNorm(true), m);
                GanTraining.Step step = wganGp(model, 2);
                Toy2dBatches source = new Toy2dBatches(EightGaussians.defaults(), 32, 9);
                Fit.builder().setStep(step).setSource(source).setManager(m).optTotalSteps(10).optSeed(1).build().run();
                int before = BlockChecks.countManagedArrays(m);
                java.io.ByteArrayOutputStream progress = new java.io.ByteArrayOutputStream();
                FitResult r = Fit.builder().setStep(step).setSource(source).setManager(m).optStartStep(10)
                        .optTotalSteps(60).optSeed(1)
                        .addListener(new GanProgress(new java.io.PrintStream(progress, true,
                                java.nio.charset.StandardCharsets.UTF_8), 25)).build().run();
                String lines = progress.toString(java.nio.charset.StandardCharsets.UTF_8);
                for (String shown : new String[] {"step 25/60", "step 60/60", "L_D=", "L_G=", "D(x)=", "D(G(z))=",
                        "|∇D|=", "|∇G|="}) {
                    assertTrue(lines.contains(shown), shown + " missing from the progress lines:\n" + lines);
                }
                assertEquals(before, BlockChecks.countManagedArrays(m), "managed arrays grew (WGAN-GP + SN)");
                Map<String, Double> last = r.lastMetrics();
                for (String key : new String[] {"discriminator.loss", "discriminator.realScore",
                        "discriminator.fakeScore", "discriminator.gradientPenalty", "discriminator.gradNorm",
                        "generator.loss", "generator.gradNorm"}) {
                    assertTrue(last.containsKey(key), key + " missing from " + last);
                    assertTrue(Double.isFinite(last.get(key)), key);
                }
                assertTrue(last.get("generator.gradNorm") > 0 && last.get("discriminator.gradNorm") > 0);
            }
        });
    }

    @Test
    void weightClippingHoldsWheneverTheCriticIsUsed() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(6);
            GanModel model = GanModel.create(GanSpec.mlp(4, 16, 2, 2), m);
            double c = 0.01;
            GanTraining.Step step = GanTraining.builder(model).optLoss(GanLoss.wasserstein()).optWeightClip(c)
                    .optLearningRates(5e-3, 5e-3).build();
            Fit.builder().setStep(step).setSource(new Toy2dBatches(EightGaussians.defaults(), 32, 9)).setManager(m)
                    .optTotalSteps(5).optSeed(1).build().run();
            // the generator updated last, after its objective clipped D: D is within [−c, c]
            double max = 0;
            for (Pair<String, Parameter> p : model.discriminator().getParameters()) {
                max = Math.max(max, p.getValue().getArray().abs().max().getFloat());
            }
            assertTrue(max <= c + 1e-9, "max |w| = " + max);
            assertEquals(c, max, 1e-6, "the clip never bound (the test proves nothing)");
        }
    }

    @Test
    void conditionalSamplesDependOnTheLabelAndOnTheSeedOnly(@TempDir Path dir) {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(8);
            GanModel model = GanModel.create(GanSpec.dcgan(8, 4, 2, 1, 8, 8).withConditioning(Conditioning.CONCAT, 4), m);
            Engine.getInstance().setRandomSeed(1);
            float[] a = model.sample(m, 2, 3).toFloatArray();
            Engine.getInstance().setRandomSeed(1);
            float[] b = model.sample(m, 2, 3).toFloatArray();
            Engine.getInstance().setRandomSeed(1);
            float[] other = model.sample(m, 3, 3).toFloatArray();
            assertArrayEquals(a, b, 0f, "same seed, same label: same samples");
            double diff = 0;
            for (int i = 0; i < a.length; i++) {
                diff += Math.abs(a[i] - other[i]);
            }
            assertTrue(diff / a.length > 1e-3, "the label does not change the samples: " + diff);
            assertEquals(3, model.sample(m, 5, SampleOptions.defaults()).getShape().get(0) - 2);
            GanModel unconditional = GanModel.create(GanSpec.mlp(2, 8, 1, 2), m);
            assertThrows(IllegalStateException.class, () -> unconditional.sample(m, 0, 2));
            assertThrows(IllegalArgumentException.class,
                    () -> model.sample(m, 2, SampleOptions.defaults().withLabel(4)));
        }
    }

    @Test
    void savedModelSamplesAndKeepsTheSpectralNormVectors(@TempDir Path dir) throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(9);
            GanModel model = GanModel.create(GanSpec.dcgan(4, 4, 2, 1, 8, 8).withSpectralNorm(true)
                    .withConditioning(Conditioning.PROJECTION, 3), m);
            Fit.builder().setStep(GanTraining.builder(model).optLoss(GanLoss.hinge()).build())
                    .setSource(new GanTestSupport.LabelledImages(8, new long[] {1, 8, 8}, 3)).setManager(m)
                    .optTotalSteps(3).optSeed(2).build().run();
            ModelChecks.assertSaveLoadRoundTrip(model, dir.resolve("samples"),
                    (s, manager) -> ((GenerativeModel) s).sample(manager, 6, SampleOptions.defaults()));
            try (NDManager other = NDManager.newBaseManager()) {
                SaveableModel loaded = ModelStore.load(dir.resolve("samples"), other);
                GanModel gan = (GanModel) loaded;
                Iterable<Pair<String, Parameter>> saved = gan.discriminator().getParameters();
                int vectors = 0;
                for (Pair<String, Parameter> p : saved) {
                    if (p.getKey().endsWith("_u")) {
                        NDArray original = model.discriminator().getParameters().get(p.getKey()).getArray();
                        assertArrayEquals(original.toFloatArray(), p.getValue().getArray().toFloatArray(), 0f, p.getKey());
                        vectors++;
                    }
                }
                assertEquals(3, vectors, "two convolutions and the head are normalised");
                assertFalse(gan.spec().conditioning() == Conditioning.NONE);
            }
        }
    }
}
