package io.gen4j.gans;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.gen4j.core.data.BatchSource;
import io.gen4j.core.train.Adam;
import io.gen4j.core.train.AdamConfig;
import io.gen4j.core.train.Fit;
import io.gen4j.core.train.LearningRateSchedule;
import io.gen4j.core.train.LossTerms;
import io.gen4j.core.train.Objective;
import io.gen4j.core.train.ObjectiveStep;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * A discriminator trained on two known 1-D densities reaches the closed-form optimum D*(x) = p(x) /
 * (p(x) + q(x)) (Goodfellow et al. 2014, Proposition 1): through a sigmoid for the cross-entropy
 * loss, directly as the score for least squares (Mao et al. 2017).
 */
class OptimalDiscriminatorTest {

    /** Real x ~ N(0, 1), fake x ~ N(mu, s²); batch p depends only on p. */
    static final class TwoGaussians implements BatchSource {
        final double mu;
        final double s;
        long position;

        TwoGaussians(double mu, double s) {
            this.mu = mu;
            this.s = s;
        }

        @Override
        public NDList next(NDManager manager) {
            Random r = new Random(17 + 7919L * position++);
            float[] real = new float[512];
            float[] fake = new float[512];
            for (int i = 0; i < 512; i++) {
                real[i] = (float) r.nextGaussian();
                fake[i] = (float) (mu + s * r.nextGaussian());
            }
            return new NDList(manager.create(real, new Shape(512, 1)), manager.create(fake, new Shape(512, 1)));
        }

        @Override
        public long position() {
            return position;
        }

        @Override
        public void seek(long p) {
            position = p;
        }
    }

    static double normal(double x, double mu, double s) {
        return Math.exp(-(x - mu) * (x - mu) / (2 * s * s)) / (s * Math.sqrt(2 * Math.PI));
    }

    private static double worstError(GanLoss loss, double mu, double s, DoubleUnaryOperator toProbability) {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(1);
            Discriminator d = Discriminator.mlp(new long[] {1}, 32, 2, false, Conditioning.NONE, 0);
            d.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(2, 1));
            Objective objective = Objective.of(d, (ctx, b) -> LossTerms.of(loss.discriminatorLoss(
                    d.score(ctx.parameters(), b.get(0), null, true), d.score(ctx.parameters(), b.get(1), null, true))));
            ObjectiveStep step = ObjectiveStep.builder().setObjective(objective)
                    .setOptimizer(Adam.factory(LearningRateSchedule.cosine(5e-3, 0, 0, 600), AdamConfig.defaults()))
                    .build();
            Fit.builder().setStep(step).setSource(new TwoGaussians(mu, s)).setManager(m).optTotalSteps(600)
                    .optSeed(2).build().run();
            double worst = 0;
            for (double x = -1.5; x <= 1.5 + 1e-9; x += 0.25) {
                NDArray in = m.create(new float[] {(float) x}, new Shape(1, 1));
                double score = d.score(new ParameterStore(m, false), in, null, false).getFloat(0);
                double optimum = normal(x, 0, 1) / (normal(x, 0, 1) + normal(x, mu, s));
                worst = Math.max(worst, Math.abs(toProbability.applyAsDouble(score) - optimum));
            }
            return worst;
        }
    }

    @Test
    void crossEntropyDiscriminatorReachesPOverPPlusQ() {
        // p = N(0, 1), q = N(1, 1): D*(x) = σ(1/2 − x)
        double worst = worstError(GanLoss.nonSaturating(), 1, 1, s -> 1 / (1 + Math.exp(-s)));
        assertTrue(worst < 0.04, "max |σ(D(x)) − D*(x)| = " + worst);
    }

    @Test
    void leastSquaresDiscriminatorReachesPOverPPlusQ() {
        // p = N(0, 1), q = N(0, 2²): D*(x) = 2 e^{−3x²/8} / (2 e^{−3x²/8} + 1), not a sigmoid of a line
        double worst = worstError(GanLoss.leastSquares(), 0, 2, s -> s);
        assertTrue(worst < 0.05, "max |D(x) − D*(x)| = " + worst);
    }
}
