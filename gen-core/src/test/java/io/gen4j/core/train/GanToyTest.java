package io.gen4j.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import io.gen4j.core.data.BatchSource;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A GAN on a 2-D Gaussian through {@link MultiPlayerStep}: two players with their own Adam, the
 * generator's pass running the discriminator (whose gradients the step zeroes, docs/known-issues.md
 * §2), and the generated mean moving to the data mean.
 */
class GanToyTest {

    static final float[] DATA_MEAN = {2f, -1f};

    /** Samples of N(DATA_MEAN, 0.3^2 I); the batch at position p depends only on p. */
    static final class GaussianSource implements BatchSource {
        private long position;

        @Override
        public NDList next(NDManager manager) {
            Random random = new Random(11 + 7919L * position);
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
            this.position = position;
        }
    }

    /** The non-saturating discriminator loss: softplus(−D(x)) + softplus(D(G(z))). */
    static Objective discriminatorLoss(Block generator, Block discriminator) {
        return Objective.of(discriminator, (ctx, batch) -> {
            NDArray real = batch.head();
            NDArray z = real.getManager().randomNormal(new Shape(real.getShape().get(0), 2));
            NDArray fake = forward(generator, ctx, z).stopGradient();
            NDArray realTerm = Activation.softPlus(forward(discriminator, ctx, real).neg()).mean();
            NDArray fakeTerm = Activation.softPlus(forward(discriminator, ctx, fake)).mean();
            return new LossTerms(realTerm.add(fakeTerm), Map.of("real", realTerm, "fake", fakeTerm));
        });
    }

    /** The non-saturating generator loss softplus(−D(G(z))) (Goodfellow et al. 2014). */
    static Objective generatorLoss(Block generator, Block discriminator) {
        return Objective.of(generator, (ctx, batch) -> {
            NDArray real = batch.head();
            NDArray z = real.getManager().randomNormal(new Shape(real.getShape().get(0), 2));
            NDArray fake = forward(generator, ctx, z);
            return LossTerms.of(Activation.softPlus(forward(discriminator, ctx, fake).neg()).mean());
        });
    }

    static NDArray forward(Block block, StepContext ctx, NDArray x) {
        return block.forward(ctx.parameters(), new NDList(x), ctx.training()).singletonOrThrow();
    }

    static MultiPlayerStep gan(Block g, Block d, UpdatePlan generatorPlan) {
        AdamConfig betas = AdamConfig.defaults().withBetas(0.5, 0.999);
        return MultiPlayerStep.builder()
                .addPlayer(Player.builder("discriminator", discriminatorLoss(g, d))
                        .setOptimizer(Adam.factory(LearningRateSchedule.constant(2e-3), betas)).build())
                .addPlayer(Player.builder("generator", generatorLoss(g, d))
                        .setOptimizer(Adam.factory(LearningRateSchedule.constant(2e-3), betas))
                        .optPlan(generatorPlan).build())
                .build();
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
            MultiPlayerStep step = gan(g, d, UpdatePlan.everyStep());
            Engine.getInstance().setRandomSeed(5);
            double before = distance(generatedMean(g, m));
            int arrays = m.getManagedArrays().size();
            FitResult r = Fit.builder().setStep(step).setSource(new GaussianSource()).setManager(m)
                    .optTotalSteps(300).optSeed(3).build().run();
            double after = distance(generatedMean(g, m));
            assertTrue(after < 0.4 * before, "distance to data mean " + before + " -> " + after);
            assertEquals(arrays, m.getManagedArrays().size(), "managed arrays grew");
            assertTrue(r.lastMetrics().containsKey("discriminator.real"), r.lastMetrics().toString());
            assertTrue(r.lastMetrics().containsKey("generator.loss"), r.lastMetrics().toString());
        }
    }
}
