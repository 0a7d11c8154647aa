package io.gen4j.core.train;

/**
 * How long and how a model trains: the part of a preset that is not the architecture. The families'
 * presets (e.g. {@code RealNvp.Presets.toy2d()}) pair a model configuration with one of these, and the
 * course's topics train with exactly those presets, so code that uses a preset gets what the topic
 * measured.
 *
 * <p>The optimizer is Adam ({@link AdamConfig#defaults()} unless {@link #withAdam} says otherwise) on
 * a cosine schedule: a linear warm-up over {@code warmupSteps} updates to {@code learningRate}, then
 * a cosine decay to {@code finalLearningRate} at {@code steps} ({@link LearningRateSchedule#cosine}).
 *
 * <pre>
 *   TrainingRecipe r = preset.training().withSteps(500);
 *   ObjectiveStep step = r.step(new MaximumLikelihoodObjective(flow)).optName("flow").build();
 *   new Fit(step, batches(r.batchSize()), manager).run(r.steps(), seed);
 * </pre>
 *
 * @param steps optimizer updates, at least 1
 * @param batchSize examples per update, at least 1
 * @param learningRate the peak rate, &gt; 0
 * @param finalLearningRate the rate at the last update, in [0, learningRate]
 * @param warmupSteps updates of linear warm-up, in [0, steps)
 * @param maxGradNorm global gradient-norm clip, 0 for none
 * @param adam Adam's betas, epsilon and weight decay
 */
public record TrainingRecipe(
        long steps,
        int batchSize,
        double learningRate,
        double finalLearningRate,
        long warmupSteps,
        double maxGradNorm,
        AdamConfig adam) {

    /** Validates the ranges. */
    public TrainingRecipe {
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be a positive number, got " + learningRate);
        }
        if (!(finalLearningRate >= 0 && finalLearningRate <= learningRate)) {
            throw new IllegalArgumentException(
                    "finalLearningRate must be in [0, learningRate = " + learningRate + "], got " + finalLearningRate);
        }
        if (warmupSteps < 0 || warmupSteps >= steps) {
            throw new IllegalArgumentException("warmupSteps must be in [0, steps = " + steps + "), got " + warmupSteps);
        }
        if (!(maxGradNorm >= 0) || Double.isInfinite(maxGradNorm)) {
            throw new IllegalArgumentException("maxGradNorm must be >= 0 (0: no clipping), got " + maxGradNorm);
        }
        if (adam == null) {
            throw new IllegalArgumentException("adam must not be null");
        }
    }

    /**
     * A recipe with Adam's default betas.
     *
     * @param steps optimizer updates
     * @param batchSize examples per update
     * @param learningRate the peak rate
     * @param finalLearningRate the rate at the last update
     * @param warmupSteps updates of linear warm-up
     * @param maxGradNorm gradient-norm clip, 0 for none
     * @return the recipe
     */
    public static TrainingRecipe of(
            long steps, int batchSize, double learningRate, double finalLearningRate, long warmupSteps,
            double maxGradNorm) {
        return new TrainingRecipe(
                steps, batchSize, learningRate, finalLearningRate, warmupSteps, maxGradNorm, AdamConfig.defaults());
    }

    /** @return the learning rate of every update: warm-up, then cosine decay to the final rate */
    public LearningRateSchedule schedule() {
        return LearningRateSchedule.cosine(learningRate, finalLearningRate, warmupSteps, steps);
    }

    /** @return Adam on {@link #schedule()} with {@link #adam()} */
    public OptimizerFactory optimizer() {
        return Adam.factory(schedule(), adam);
    }

    /**
     * A training step for this recipe: the objective, the optimizer and the clip set; name it, add an
     * EMA or other options, then {@code build()}.
     *
     * @param objective what to minimise
     * @return a builder with objective, optimizer and clip set
     */
    public ObjectiveStep.Builder step(Objective objective) {
        return ObjectiveStep.builder().setObjective(objective).setOptimizer(optimizer()).optClipNorm(maxGradNorm);
    }

    /**
     * A shorter or longer run with the same shape: the warm-up keeps its fraction of the run (at least
     * 0 and below the new step count) and the decay ends at the new last step.
     *
     * @param newSteps optimizer updates, at least 1
     * @return the copy
     */
    public TrainingRecipe withSteps(long newSteps) {
        if (newSteps < 1) {
            throw new IllegalArgumentException("steps must be >= 1, got " + newSteps);
        }
        long warmup = Math.min(newSteps - 1, Math.round((double) warmupSteps * newSteps / steps));
        return new TrainingRecipe(newSteps, batchSize, learningRate, finalLearningRate, warmup, maxGradNorm, adam);
    }

    /**
     * @param newBatchSize examples per update
     * @return a copy with another batch size (the learning rate is not rescaled)
     */
    public TrainingRecipe withBatchSize(int newBatchSize) {
        return new TrainingRecipe(steps, newBatchSize, learningRate, finalLearningRate, warmupSteps, maxGradNorm, adam);
    }

    /**
     * @param config Adam's betas, epsilon and weight decay
     * @return a copy with that Adam configuration
     */
    public TrainingRecipe withAdam(AdamConfig config) {
        return new TrainingRecipe(steps, batchSize, learningRate, finalLearningRate, warmupSteps, maxGradNorm, config);
    }
}
