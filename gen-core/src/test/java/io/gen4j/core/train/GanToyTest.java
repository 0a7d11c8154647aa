package io.gen4j.core.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import io.gen4j.core.data.BatchSource;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A two-network step: a GAN on a 2-D Gaussian with two optimizers, one gradient collector at a
 * time, and the discriminator's gradients zeroed before its own backward (docs/known-issues.md §2).
 */
class GanToyTest {

    private static final float[] DATA_MEAN = {2f, -1f};

    /** Samples of N(DATA_MEAN, 0.3^2 I). */
    private static final class GaussianSource implements BatchSource {
        private final Random random = new Random(11);
        private long position;

        @Override
        public NDList next(NDManager manager) {
            float[] x = new float[64 * 2];
            for (int i = 0; i < x.length; i++) {
                x[i] = DATA_MEAN[i % 2] + 0.3f * (float) random.nextGaussian();
            }
            position++;
            return new NDList(manager.create(x, new Shape(64, 2)));
        }

        @Override
        public long position() {
            return position;
        }

        @Override
        public void seek(long position) {
            throw new UnsupportedOperationException("not needed here");
        }
    }

    /** Non-saturating GAN (Goodfellow et al. 2014): two optimizers, two backward passes. */
    private static final class GanStep implements TrainingStep {
        final Block generator;
        final Block discriminator;
        final Adam optG;
        final Adam optD;

        GanStep(Block generator, Block discriminator) {
            this.generator = generator;
            this.discriminator = discriminator;
            AdamConfig betas = AdamConfig.defaults().withBetas(0.5, 0.999);
            this.optG = new Adam(LearningRateSchedule.constant(2e-3), betas, generator);
            this.optD = new Adam(LearningRateSchedule.constant(2e-3), betas, discriminator);
        }

        @Override
        public Map<String, Double> step(NDList batch, long step) {
            NDArray real = batch.head();
            NDManager scope = real.getManager();
            Shape noise = new Shape(real.getShape().get(0), 2);
            double lossD;
            Gradients.zero(discriminator); // stale gradients from the previous generator step
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray fake = TrainTestSupport.forward(generator, scope.randomNormal(noise))
                        .stopGradient();
                NDArray l = Activation.softPlus(TrainTestSupport.forward(discriminator, real).neg())
                        .mean()
                        .add(Activation.softPlus(TrainTestSupport.forward(discriminator, fake))
                                .mean());
                gc.backward(l);
                lossD = l.getFloat();
            }
            optD.update();
            double lossG;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray fake = TrainTestSupport.forward(generator, scope.randomNormal(noise));
                NDArray l = Activation.softPlus(
                        TrainTestSupport.forward(discriminator, fake).neg()).mean();
                gc.backward(l);
                lossG = l.getFloat();
            }
            optG.update();
            return Map.of("lossD", lossD, "lossG", lossG);
        }

        @Override
        public TrainingState state() {
            return TrainingState.builder().block("generator", generator)
                    .block("discriminator", discriminator).stateful("optG", optG)
                    .stateful("optD", optD).build();
        }
    }

    private static float[] generatedMean(Block generator, NDManager m) {
        try (NDManager scope = m.newSubManager()) {
            NDArray z = scope.randomNormal(new Shape(512, 2));
            return TrainTestSupport.forward(generator, z).mean(new int[] {0}).toFloatArray();
        }
    }

    private static double distance(float[] a) {
        return Math.hypot(a[0] - DATA_MEAN[0], a[1] - DATA_MEAN[1]);
    }

    @Test
    void generatedMeanMovesTowardTheDataMean() {
        TrainTestSupport.withOneThread(GanToyTest::train);
    }

    private static void train() {
        try (NDManager m = NDManager.newBaseManager()) {
            Block g = TrainTestSupport.mlp(m, 2, 16, 2, 21);
            Block d = TrainTestSupport.mlp(m, 2, 16, 1, 22);
            GanStep step = new GanStep(g, d);
            Engine.getInstance().setRandomSeed(5);
            double before = distance(generatedMean(g, m));
            int arrays = m.getManagedArrays().size();
            Fit.builder().setStep(step).setSource(new GaussianSource()).setManager(m)
                    .optTotalSteps(300).optSeed(3).build().run();
            double after = distance(generatedMean(g, m));
            assertTrue(after < 0.4 * before, "distance to data mean " + before + " -> " + after);
            assertTrue(m.getManagedArrays().size() == arrays, "managed arrays grew");
        }
    }
}
