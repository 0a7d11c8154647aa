package io.gen4j.gans;

import io.gen4j.core.train.EmaConfig;
import java.util.Objects;

/**
 * How a GAN trains: the two-player counterpart of gen-core's {@code TrainingRecipe}, the part of a
 * {@link GanPreset} that is not the architecture. {@link #step(GanModel)} builds the {@link
 * GanTraining.Step} with exactly these settings (constant learning rates, Adam for both players).
 *
 * <pre>{@code
 * GanRecipe r = GanPreset.dcganFashionMnist().training().withSteps(500);
 * GanTraining.Step step = r.step(model);
 * Fit.builder().setStep(step).setSource(train.batches(r.batchSize(), seed, true, PixelRange.MINUS_ONE_ONE))
 *         .setManager(manager).optTotalSteps(r.steps()).build().run();
 * }</pre>
 *
 * @param steps training steps (one discriminator update each; the generator updates every
 *     {@code criticSteps}-th), at least 1
 * @param batchSize real examples per step, at least 1
 * @param loss the loss of both players
 * @param penalty added to the discriminator's loss (e.g. {@link GradientPenalty}), or null for none
 * @param criticSteps discriminator updates per generator update (n_critic), at least 1
 * @param discriminatorLearningRate D's Adam learning rate, &gt; 0
 * @param generatorLearningRate G's Adam learning rate, &gt; 0 (different from D's: TTUR)
 * @param beta1 Adam's β1 of both players, in [0, 1)
 * @param beta2 Adam's β2 of both players, in [0, 1)
 * @param ema the generator's EMA (sample with the average), or null for none
 */
public record GanRecipe(long steps, int batchSize, GanLoss loss, CriticPenalty penalty, int criticSteps,
        double discriminatorLearningRate, double generatorLearningRate, double beta1, double beta2, EmaConfig ema) {

    /** Validates the ranges. */
    public GanRecipe {
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        Objects.requireNonNull(loss, "loss");
        if (criticSteps < 1) {
            throw new IllegalArgumentException("criticSteps must be >= 1, got " + criticSteps);
        }
        if (!(discriminatorLearningRate > 0) || Double.isInfinite(discriminatorLearningRate)
                || !(generatorLearningRate > 0) || Double.isInfinite(generatorLearningRate)) {
            throw new IllegalArgumentException("learning rates must be positive numbers, got D "
                    + discriminatorLearningRate + ", G " + generatorLearningRate);
        }
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("beta1 and beta2 must be in [0, 1), got " + beta1 + ", " + beta2);
        }
    }

    /**
     * DCGAN's training (Radford et al. 2016): non-saturating loss, no penalty, n_critic 1, Adam with
     * β = (0.5, 0.999), no EMA.
     *
     * @param steps training steps
     * @param batchSize examples per step
     * @param learningRate both players' learning rate (the paper's 2e-4)
     * @return the recipe
     */
    public static GanRecipe dcgan(long steps, int batchSize, double learningRate) {
        return new GanRecipe(steps, batchSize, GanLoss.nonSaturating(), null, 1, learningRate, learningRate, 0.5,
                0.999, null);
    }

    /**
     * @return the training step of {@code model} with these settings (steps and batch size are the
     *     caller's loop's)
     * @param model the GAN to train
     */
    public GanTraining.Step step(GanModel model) {
        GanTraining.Builder b = GanTraining.builder(model).optLoss(loss).optPenalty(penalty)
                .optCriticSteps(criticSteps).optLearningRates(discriminatorLearningRate, generatorLearningRate)
                .optBetas(beta1, beta2);
        if (ema != null) {
            b.optEma(ema);
        }
        return b.build();
    }

    /**
     * @param newSteps training steps, at least 1
     * @return a copy with another length
     */
    public GanRecipe withSteps(long newSteps) {
        return new GanRecipe(newSteps, batchSize, loss, penalty, criticSteps, discriminatorLearningRate,
                generatorLearningRate, beta1, beta2, ema);
    }

    /**
     * @param newBatchSize examples per step (the learning rates are not rescaled)
     * @return a copy with another batch size
     */
    public GanRecipe withBatchSize(int newBatchSize) {
        return new GanRecipe(steps, newBatchSize, loss, penalty, criticSteps, discriminatorLearningRate,
                generatorLearningRate, beta1, beta2, ema);
    }

    /**
     * @param ganLoss the loss of both players
     * @param criticPenalty D's penalty, or null
     * @return a copy with another loss and penalty
     */
    public GanRecipe withLoss(GanLoss ganLoss, CriticPenalty criticPenalty) {
        return new GanRecipe(steps, batchSize, ganLoss, criticPenalty, criticSteps, discriminatorLearningRate,
                generatorLearningRate, beta1, beta2, ema);
    }

    /**
     * @param discriminator D's learning rate
     * @param generator G's learning rate
     * @return a copy with other learning rates
     */
    public GanRecipe withLearningRates(double discriminator, double generator) {
        return new GanRecipe(steps, batchSize, loss, penalty, criticSteps, discriminator, generator, beta1, beta2,
                ema);
    }

    /**
     * @param b1 β1
     * @param b2 β2
     * @return a copy with other Adam betas
     */
    public GanRecipe withBetas(double b1, double b2) {
        return new GanRecipe(steps, batchSize, loss, penalty, criticSteps, discriminatorLearningRate,
                generatorLearningRate, b1, b2, ema);
    }

    /**
     * @param n discriminator updates per generator update
     * @return a copy with another n_critic
     */
    public GanRecipe withCriticSteps(int n) {
        return new GanRecipe(steps, batchSize, loss, penalty, n, discriminatorLearningRate, generatorLearningRate,
                beta1, beta2, ema);
    }

    /**
     * @param config the generator's EMA, or null for none
     * @return a copy with that EMA
     */
    public GanRecipe withEma(EmaConfig config) {
        return new GanRecipe(steps, batchSize, loss, penalty, criticSteps, discriminatorLearningRate,
                generatorLearningRate, beta1, beta2, config);
    }
}
