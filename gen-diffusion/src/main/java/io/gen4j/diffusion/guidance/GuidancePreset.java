package io.gen4j.diffusion.guidance;

import ai.djl.nn.Block;
import io.gen4j.core.model.DenoisingNetwork;
import io.gen4j.core.nn.UNetConfig;
import io.gen4j.core.train.AdamW;
import io.gen4j.core.train.EmaConfig;
import io.gen4j.core.train.Objective;
import io.gen4j.core.train.ObjectiveStep;
import io.gen4j.core.train.TrainingRecipe;
import io.gen4j.diffusion.DdpmObjective;
import io.gen4j.diffusion.DdpmSpec;
import io.gen4j.diffusion.LossWeighting;
import io.gen4j.diffusion.NoiseSchedule;
import io.gen4j.diffusion.Prediction;
import io.gen4j.diffusion.distill.DistillationPreset;
import java.util.Objects;

/**
 * A class-conditional DDPM for classifier-free guidance and how to train it, with the progressive
 * distillation of its sampler: the settings of the course's topic 11-07
 * (docs/topics/11-07-guidance-sampling-evaluation.md has the figures), so that code outside the CLI gets
 * what the topic measured.
 *
 * <p>Always: a two-level U-Net (base, 2 × base channels, GroupNorm groups base / 4, a class embedding),
 * the cosine schedule of {@link #diffusionSteps()} steps, v-prediction, uniform loss weighting; the labels
 * are replaced by the null label K with probability {@link #labelDropout()} ({@link #objective}), so one
 * network is both p(x | y) and p(x) and {@link ClassifierFreeGuidance#guide} mixes them at sampling.
 * The optimizer is AdamW on the recipe's warm-up + cosine schedule with its clip and an EMA of the weights
 * ({@link #step}); the EMA weights are the ones to sample from, save and distil.
 *
 * @param baseChannels U-Net width of level 0, divisible by 4 (or below 4: one group)
 * @param diffusionSteps T of the cosine schedule, at least 2
 * @param labelDropout p_uncond, in [0, 1)
 * @param training steps, batch, AdamW's peak and final learning rate, warm-up, clip
 * @param emaDecay the EMA's decay, in [0, 1)
 * @param distillation the students of progressive distillation
 */
public record GuidancePreset(int baseChannels, int diffusionSteps, double labelDropout, TrainingRecipe training,
        double emaDecay, DistillationPreset distillation) {

    /** Validates. */
    public GuidancePreset {
        Objects.requireNonNull(training, "training");
        Objects.requireNonNull(distillation, "distillation");
        if (baseChannels < 1) {
            throw new IllegalArgumentException("baseChannels must be >= 1, got " + baseChannels);
        }
        if (diffusionSteps < 2) {
            throw new IllegalArgumentException("diffusionSteps must be >= 2, got " + diffusionSteps);
        }
        if (!(labelDropout >= 0 && labelDropout < 1)) {
            throw new IllegalArgumentException("labelDropout must be in [0, 1), got " + labelDropout);
        }
        if (!(emaDecay >= 0 && emaDecay < 1)) {
            throw new IllegalArgumentException("emaDecay must be in [0, 1), got " + emaDecay);
        }
    }

    /**
     * Topic 11-07 at the CPU profile, for 28×28 grey images with 10 classes (FashionMNIST) in [−1, 1]: a
     * U-Net of 16/32 channels (177,553 parameters with 10 classes), T = 1000 cosine, v-prediction, label
     * dropout 0.2; 400 AdamW updates of 32 (warm-up 20 to 2·10⁻³, cosine to 2·10⁻⁴, clip 1), EMA 0.995; three
     * rounds of distillation from DDIM 8 steps (to 4, 2, 1), 60 AdamW updates of 32 per round at 2·10⁻⁴.
     *
     * <p>Measured by the topic (2026-12-02, 200 samples, in-project CNN features, floor 2.53): FID 16.99
     * unguided (w = 1) and 13.15 at w = 2, class accuracy 0.600 and 0.810, with DDIM 10 trailing steps;
     * DPM-Solver++(2M) 12.42 at 8 evaluations.
     *
     * @return the preset
     */
    public static GuidancePreset classes28() {
        return new GuidancePreset(16, 1000, 0.2, recipe(400, 32, 2e-3), 0.995,
                DistillationPreset.of(8, 3, 60, 32, 2e-4));
    }

    /**
     * Topic 11-07 at the GPU profile: a U-Net of 64/128 channels, T = 1000 cosine, label dropout 0.1; 40,000
     * AdamW updates of 128 (warm-up 2000 to 2·10⁻⁴, cosine to 2·10⁻⁵), EMA 0.995; four rounds of distillation
     * from DDIM 64 steps, 10,000 updates of 128 per round at 10⁻⁴. Not yet run (no GPU in the project's runs).
     *
     * @return the preset
     */
    public static GuidancePreset classes28Long() {
        return new GuidancePreset(64, 1000, 0.1, recipe(40_000, 128, 2e-4), 0.995,
                DistillationPreset.of(64, 4, 10_000, 128, 1e-4));
    }

    /**
     * The recipe of the presets: warm-up over max(1, steps / 20) updates to the peak, cosine decay to a tenth
     * of it, gradient-norm clip 1.
     *
     * @param steps AdamW updates, at least 2
     * @param batch examples per update
     * @param learningRate the peak rate
     * @return the recipe
     */
    public static TrainingRecipe recipe(long steps, int batch, double learningRate) {
        return TrainingRecipe.of(steps, batch, learningRate, learningRate / 10, Math.max(1, steps / 20), 1.0);
    }

    /**
     * @param channels C of the images
     * @param classes K, the number of labels (the null label is K)
     * @return the U-Net's configuration
     */
    public UNetConfig unet(int channels, int classes) {
        return UNetConfig.builder().setImageChannels(channels).optBaseChannels(baseChannels)
                .optChannelMultipliers(1, 2).optGroups(Math.max(1, baseChannels / 4)).optClasses(classes).build();
    }

    /** @return the cosine schedule of T steps */
    public NoiseSchedule schedule() {
        return NoiseSchedule.cosine(diffusionSteps);
    }

    /**
     * The model's description for saving (family {@code ddpm}): the U-Net, the schedule, v-prediction.
     *
     * @param channels C of the images
     * @param height H
     * @param width W
     * @param classes K
     * @return the spec
     */
    public DdpmSpec spec(int channels, int height, int width, int classes) {
        return DdpmSpec.of(unet(channels, classes), schedule(), Prediction.VELOCITY, height, width);
    }

    /**
     * @param network the class-conditional U-Net, initialised
     * @param classes K (the null label is K)
     * @param <N> a block that is a denoising network
     * @return the v-prediction loss on (images, labels) batches with the labels dropped with p_uncond
     */
    public <N extends Block & DenoisingNetwork> DdpmObjective<N> objective(N network, int classes) {
        return new DdpmObjective<>(network, schedule(), Prediction.VELOCITY, LossWeighting.uniform(), true)
                .withLabelDropout(new ConditionDropout(labelDropout, NullCondition.label(classes)));
    }

    /**
     * A training step for this preset: the objective, AdamW, the clip and the EMA set; name it, then
     * {@code build()}; after training, {@code step.ema().swapIn()} puts the averaged weights in place.
     *
     * @param objective what to minimise, e.g. {@link #objective}
     * @return the builder
     */
    public ObjectiveStep.Builder step(Objective objective) {
        return ObjectiveStep.builder().setObjective(objective)
                .setOptimizer(AdamW.factory(training.schedule(), training.adam()))
                .optClipNorm(training.maxGradNorm()).optEma(new EmaConfig(emaDecay, true));
    }

    /**
     * @param recipe another training recipe
     * @return a copy with it
     */
    public GuidancePreset withTraining(TrainingRecipe recipe) {
        return new GuidancePreset(baseChannels, diffusionSteps, labelDropout, recipe, emaDecay, distillation);
    }
}
