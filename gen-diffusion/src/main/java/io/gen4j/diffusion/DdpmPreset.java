package io.gen4j.diffusion;

import io.gen4j.core.data.PixelRange;
import io.gen4j.core.model.DataSpec;
import io.gen4j.core.nn.UNetConfig;
import io.gen4j.core.train.AdamW;
import io.gen4j.core.train.EmaConfig;
import io.gen4j.core.train.Objective;
import io.gen4j.core.train.ObjectiveStep;
import io.gen4j.core.train.OptimizerFactory;
import io.gen4j.core.train.TrainingRecipe;
import java.util.Objects;

/**
 * A DDPM and how to train it: the settings of the README's quickstart and of the course's topic 11-05
 * (docs/topics/11-05-ddpm.md has the figures and a complete snippet), so that code outside the CLI gets
 * what they measured. {@link UNetConfig#defaults(int)} and {@link DdpmSpec#of} are starting points; these
 * are the tuned settings.
 *
 * <p>The optimizer is AdamW (not the Adam of {@link TrainingRecipe#optimizer()}) on the recipe's warm-up +
 * cosine schedule, with the recipe's gradient-norm clip and an exponential moving average of the weights
 * (with the usual warm-up of its decay) whose weights are the ones to sample from and save.
 *
 * @param unet the network
 * @param schedule the noise schedule family
 * @param diffusionSteps T
 * @param prediction what the network predicts
 * @param training steps, batch, AdamW's peak and final learning rate, warm-up, clip
 * @param emaDecay the EMA's decay, in [0, 1); 0 for none (the trained weights sample)
 * @param samplerSteps DDIM (η = 0) steps of {@code sample} by default, in [2, T]
 * @param likelihoodStride steps per stratified block of the variational bound of {@code logLikelihood}
 *     (1 = exact), in [1, T)
 */
public record DdpmPreset(UNetConfig unet, NoiseSchedule.Type schedule, int diffusionSteps, Prediction prediction,
        TrainingRecipe training, double emaDecay, int samplerSteps, int likelihoodStride) {

    /** Validates the parts. */
    public DdpmPreset {
        Objects.requireNonNull(unet, "unet");
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(prediction, "prediction");
        Objects.requireNonNull(training, "training");
        if (diffusionSteps < 2) {
            throw new IllegalArgumentException("diffusionSteps must be >= 2, got " + diffusionSteps);
        }
        if (!(emaDecay >= 0 && emaDecay < 1)) {
            throw new IllegalArgumentException("emaDecay must be in [0, 1), got " + emaDecay);
        }
        if (samplerSteps < 2 || samplerSteps > diffusionSteps) {
            throw new IllegalArgumentException(
                    "samplerSteps must be in [2, " + diffusionSteps + "], got " + samplerSteps);
        }
        if (likelihoodStride < 1 || likelihoodStride >= diffusionSteps) {
            throw new IllegalArgumentException(
                    "likelihoodStride must be in [1, " + (diffusionSteps - 1) + "], got " + likelihoodStride);
        }
    }

    /**
     * The README's quickstart, for 28×28 grey images (FashionMNIST, MNIST) in [−1, 1]: a U-Net of 16/32/32
     * channels (attention at the 7×7 level), T = 1000 on the cosine schedule, ε-prediction; 2000 AdamW
     * updates of 32 images, warm-up over 50 to 1e-3 then cosine to 1e-4, clip 1, EMA 0.99; DDIM 50 steps,
     * the bound at stride 50.
     *
     * @return the preset
     */
    public static DdpmPreset quickstart28() {
        return new DdpmPreset(UNetConfig.builder().setImageChannels(1).optBaseChannels(16).build(),
                NoiseSchedule.Type.COSINE, 1000, Prediction.EPSILON, TrainingRecipe.of(2000, 32, 1e-3, 1e-3 / 10, 50, 1.0),
                0.99, 50, 50);
    }

    /**
     * Topic 11-05 at the CPU profile, for 32×32 colour images (CIFAR-10) in [−1, 1]: {@link
     * UNetConfig#defaults(int)} (32/64/64 channels, attention at 8×8), T = 1000 cosine, ε-prediction; 2000
     * AdamW updates of 32 images, warm-up over 100 to 1e-3 then cosine to 1e-4, clip 1, EMA 0.995; DDIM 100
     * steps, the bound at stride 20.
     *
     * @return the preset
     */
    public static DdpmPreset cifar10() {
        return new DdpmPreset(UNetConfig.defaults(3), NoiseSchedule.Type.COSINE, 1000, Prediction.EPSILON,
                TrainingRecipe.of(2000, 32, 1e-3, 1e-3 / 10, 100, 1.0), 0.995, 100, 20);
    }

    /**
     * Topic 11-05 at the GPU profile: DDPM's CIFAR-10 model (Ho et al. 2020: 128 channels, multipliers
     * 1/2/2/2, 2 blocks per level, attention at 16×16, dropout 0.1), T = 1000 linear; 100,000 AdamW updates of
     * 128, warm-up over 5000 to 2e-4 then cosine to 2e-5, clip 1, EMA 0.9999; DDIM 100 steps, the exact bound.
     *
     * @return the preset
     */
    public static DdpmPreset cifar10Long() {
        return new DdpmPreset(UNetConfig.builder().setImageChannels(3).optBaseChannels(128)
                        .optChannelMultipliers(1, 2, 2, 2).optBlocksPerLevel(2)
                        .optAttentionLevels(1).optGroups(32).optDropout(0.1f).build(),
                NoiseSchedule.Type.LINEAR, 1000, Prediction.EPSILON,
                TrainingRecipe.of(100_000, 128, 2e-4, 2e-4 / 10, 5000, 1.0), 0.9999, 100, 1);
    }

    /**
     * Topic 11-10's comparison ({@code gen4j compare}, cpu profile) for 28×28 grey images: a small U-Net
     * of 32/64 channels (two levels, GroupNorm 8, no attention), T = 500 on the cosine schedule,
     * ε-prediction; 500 AdamW updates of 32 images, warm-up over 50 to 1e-3 then cosine to 1e-4, clip 1,
     * no EMA; DDIM 50 steps, the bound at stride 25. One of the comparison's equal small budgets (a few CPU
     * minutes), not tuned for its NLL; docs/topics/11-10-autoregressive.md has what it measured.
     *
     * @return the preset
     */
    public static DdpmPreset comparison28() {
        return new DdpmPreset(comparisonUnet(32, 8), NoiseSchedule.Type.COSINE, 500, Prediction.EPSILON,
                TrainingRecipe.of(500, 32, 1e-3, 1e-3 / 10, 50, 1.0), 0, 50, 25);
    }

    /**
     * {@link #comparison28()} at the comparison's gpu profile: 64/128 channels (GroupNorm 16), T = 1000,
     * 30,000 updates of 32 (warm-up 100), DDIM 100 steps, the bound at stride 10.
     *
     * @return the preset
     */
    public static DdpmPreset comparison28Long() {
        return new DdpmPreset(comparisonUnet(64, 16), NoiseSchedule.Type.COSINE, 1000, Prediction.EPSILON,
                TrainingRecipe.of(30_000, 32, 1e-3, 1e-3 / 10, 100, 1.0), 0, 100, 10);
    }

    private static UNetConfig comparisonUnet(int base, int groups) {
        return UNetConfig.builder().setImageChannels(1).optBaseChannels(base).optChannelMultipliers(1, 2)
                .optGroups(groups).build();
    }

    /**
     * The model's description for images of this shape: the U-Net with the data's channels, in [−1, 1],
     * x̂_0 clipped to [−1, 1].
     *
     * @param channels image channels
     * @param height image height, divisible by 2^(levels − 1)
     * @param width image width
     * @return the spec ({@code DdpmModel.create(spec, manager)} builds the model)
     */
    public DdpmSpec spec(int channels, int height, int width) {
        UNetConfig u = unet.toBuilder().setImageChannels(channels).optOutChannels(channels).build();
        return new DdpmSpec(u, DdpmSpec.Schedule.of(schedule.create(diffusionSteps)), prediction, 1.0,
                DataSpec.image(channels, height, width, PixelRange.MINUS_ONE_ONE),
                new DdpmSpec.Sampling(samplerSteps, 0.0, Spacing.LINSPACE), likelihoodStride);
    }

    /**
     * AdamW on a recipe's schedule: the optimizer of every DDPM preset.
     *
     * @param recipe the recipe (its schedule and Adam configuration; its clip is set by {@link #step})
     * @return the optimizer factory
     */
    public static OptimizerFactory optimizer(TrainingRecipe recipe) {
        return AdamW.factory(recipe.schedule(), recipe.adam());
    }

    /**
     * A training step for this preset: the objective, AdamW, the clip and the EMA (unless {@code emaDecay}
     * is 0) set; name it, then {@code build()}; after training, {@code step.ema().swapIn()} puts the
     * averaged weights in place.
     *
     * @param objective what to minimise, e.g. {@code DdpmObjective.simple(model.unet(), schedule, prediction)}
     * @return the builder
     */
    public ObjectiveStep.Builder step(Objective objective) {
        ObjectiveStep.Builder b = ObjectiveStep.builder().setObjective(objective).setOptimizer(optimizer(training))
                .optClipNorm(training.maxGradNorm());
        return emaDecay == 0 ? b : b.optEma(new EmaConfig(emaDecay, true));
    }

    /**
     * @param recipe another training recipe
     * @return a copy with that recipe
     */
    public DdpmPreset withTraining(TrainingRecipe recipe) {
        return new DdpmPreset(unet, schedule, diffusionSteps, prediction, recipe, emaDecay, samplerSteps,
                likelihoodStride);
    }
}
