package io.gen4j.score;

import io.gen4j.core.data.PixelRange;
import io.gen4j.core.model.DataSpec;
import io.gen4j.core.nn.UNetConfig;
import io.gen4j.core.train.EmaConfig;
import io.gen4j.core.train.TrainingRecipe;
import io.gen4j.score.ebm.ContrastiveDivergence;
import io.gen4j.score.ebm.EbmSpec;
import io.gen4j.score.ebm.ReplayBuffer;
import io.gen4j.score.flow.FlowMatchingSpec;
import io.gen4j.score.matching.NcsnSpec;
import io.gen4j.score.matching.NoiseLevels;
import io.gen4j.score.nn.MlpFieldConfig;
import java.util.Objects;

/**
 * The configurations topic 11-09 trains (its CPU profile), with their training recipes, so that code
 * outside the CLI gets what the topic measured (docs/topics/11-09-score-ebm-flow-matching.md has the
 * figures and a complete snippet). The configuration records' own {@code defaults()} are starting
 * points; these are the measured settings.
 *
 * <pre>
 *   ScorePresets.FlowMatchingPreset p = ScorePresets.flowMatching2d();
 *   FlowMatchingModel model = FlowMatchingModel.create(p.spec(), manager);
 *   ObjectiveStep step = p.training().step(model.objective(Coupling.INDEPENDENT, false)).build();
 * </pre>
 *
 * Every recipe is Adam on a warm-up + cosine schedule ({@link TrainingRecipe}); the image presets
 * also keep an exponential moving average of the weights ({@link #ema}) and sample with it.
 */
public final class ScorePresets {

    private ScorePresets() {}

    /**
     * A flow-matching model, how to train it and how to train its 2-rectified flow (reflow).
     *
     * @param spec the model (network, path, data, default steps)
     * @param training the 1-rectified flow's training
     * @param reflow the 2-rectified flow's training on the generated coupling, started from the
     *     1-rectified flow's weights
     * @param reflowPairs how many (noise, sample) pairs the coupling has
     * @param emaDecay the EMA decay of the weights that sample, or 0 for no EMA
     */
    public record FlowMatchingPreset(FlowMatchingSpec spec, TrainingRecipe training, TrainingRecipe reflow,
            int reflowPairs, double emaDecay) {
        /** Validates. */
        public FlowMatchingPreset {
            Objects.requireNonNull(spec, "spec");
            Objects.requireNonNull(training, "training");
            Objects.requireNonNull(reflow, "reflow");
            if (reflowPairs < 1 || !(emaDecay >= 0 && emaDecay < 1)) {
                throw new IllegalArgumentException("need reflowPairs >= 1 and emaDecay in [0, 1), got " + reflowPairs
                        + " and " + emaDecay);
            }
        }

        /**
         * @param recipe another training recipe (e.g. {@code training().withSteps(500)})
         * @return a copy with it
         */
        public FlowMatchingPreset withTraining(TrainingRecipe recipe) {
            return new FlowMatchingPreset(spec, recipe, reflow, reflowPairs, emaDecay);
        }

        /**
         * @param recipe another reflow recipe
         * @param pairs pairs of the coupling
         * @return a copy with them
         */
        public FlowMatchingPreset withReflow(TrainingRecipe recipe, int pairs) {
            return new FlowMatchingPreset(spec, training, recipe, pairs, emaDecay);
        }

        /**
         * @param newSpec another model
         * @return a copy with it
         */
        public FlowMatchingPreset withSpec(FlowMatchingSpec newSpec) {
            return new FlowMatchingPreset(newSpec, training, reflow, reflowPairs, emaDecay);
        }
    }

    /**
     * A noise-conditional score model and how to train it by denoising score matching.
     *
     * @param spec the model (network, noise levels, samplers' settings)
     * @param training its training
     * @param continuous draw σ log-uniformly in [σ_min, σ_max] (the VE SDE's training, needed for the
     *     PF-ODE likelihood) instead of from the L levels
     * @param emaDecay the EMA decay of the weights that sample, or 0 for no EMA
     */
    public record NcsnPreset(NcsnSpec spec, TrainingRecipe training, boolean continuous, double emaDecay) {
        /** Validates. */
        public NcsnPreset {
            Objects.requireNonNull(spec, "spec");
            Objects.requireNonNull(training, "training");
            if (!(emaDecay >= 0 && emaDecay < 1)) {
                throw new IllegalArgumentException("emaDecay must be in [0, 1), got " + emaDecay);
            }
        }

        /**
         * @param recipe another training recipe
         * @return a copy with it
         */
        public NcsnPreset withTraining(TrainingRecipe recipe) {
            return new NcsnPreset(spec, recipe, continuous, emaDecay);
        }

        /**
         * @param newSpec another model
         * @return a copy with it
         */
        public NcsnPreset withSpec(NcsnSpec newSpec) {
            return new NcsnPreset(newSpec, training, continuous, emaDecay);
        }
    }

    /**
     * A 2-D energy-based model and its contrastive-divergence training (Du &amp; Mordatch 2019): short
     * Langevin chains from a replay buffer. The box [lo, hi]² the density is normalised on, the
     * buffer's noise comes from and the chains' step size scales with, is the data's: {@link #spec},
     * {@link #newBuffer} and {@link #objective} take it.
     *
     * @param hidden hidden width of the energy MLP
     * @param layers hidden layers
     * @param gridResolution cells per side of the normalising grid
     * @param sampleSteps Langevin steps of {@code sample}
     * @param sampleStepSize α of the sampler
     * @param training the energy's optimizer and steps (the batch is the data points per step)
     * @param chainSteps K, Langevin steps per chain
     * @param chainStepPerWidth the chains' λ divided by the box width hi − lo
     * @param chainNoiseScale the chains' noise as a multiple of √(2λ) (1 = exact Langevin)
     * @param regularization α of the energy-magnitude penalty
     * @param bufferCapacity points the replay buffer keeps
     * @param bufferReinit fraction of each draw from fresh uniform noise
     */
    public record EbmPreset(int hidden, int layers, int gridResolution, int sampleSteps, double sampleStepSize,
            TrainingRecipe training, int chainSteps, double chainStepPerWidth, double chainNoiseScale,
            double regularization, int bufferCapacity, double bufferReinit) {
        /** Validates. */
        public EbmPreset {
            Objects.requireNonNull(training, "training");
            if (chainSteps < 1 || !(chainStepPerWidth > 0) || !(chainNoiseScale >= 0) || bufferCapacity < 1) {
                throw new IllegalArgumentException("need chainSteps >= 1, chainStepPerWidth > 0, chainNoiseScale >= 0, "
                        + "bufferCapacity >= 1, got " + chainSteps + ", " + chainStepPerWidth + ", " + chainNoiseScale
                        + ", " + bufferCapacity);
            }
        }

        /**
         * @param lo the box's lower bound (both axes)
         * @param hi its upper bound
         * @return the model's spec on that box
         */
        public EbmSpec spec(double lo, double hi) {
            return new EbmSpec(hidden, layers, lo, hi, gridResolution, sampleSteps, sampleStepSize, DataSpec.vector(2));
        }

        /**
         * @param lo the box's lower bound
         * @param hi its upper bound
         * @return an empty replay buffer over the box (register it as a training-state part)
         */
        public ReplayBuffer newBuffer(double lo, double hi) {
            return new ReplayBuffer(bufferCapacity, 2, lo, hi, bufferReinit);
        }

        /**
         * @param energy the model's energy block
         * @param buffer its replay buffer
         * @param lo the box's lower bound
         * @param hi its upper bound
         * @return the contrastive-divergence objective of these settings
         */
        public ContrastiveDivergence objective(ai.djl.nn.Block energy, ReplayBuffer buffer, double lo, double hi) {
            double step = chainStepPerWidth * (hi - lo);
            return new ContrastiveDivergence(energy, buffer, chainSteps, step, chainNoiseScale * Math.sqrt(2 * step),
                    regularization);
        }

        /**
         * @param recipe another training recipe
         * @return a copy with it
         */
        public EbmPreset withTraining(TrainingRecipe recipe) {
            return new EbmPreset(hidden, layers, gridResolution, sampleSteps, sampleStepSize, recipe, chainSteps,
                    chainStepPerWidth, chainNoiseScale, regularization, bufferCapacity, bufferReinit);
        }
    }

    /**
     * @param decay the preset's EMA decay
     * @return the EMA of an image preset (decay, bias-corrected warm-up)
     */
    public static EmaConfig ema(double decay) {
        return new EmaConfig(decay, true);
    }

    /**
     * Flow matching on 2-D points (moons, 8 Gaussians, checkerboard; about 20 s a density on 2 cores):
     * straight path with independent coupling (1-rectified flow), an MLP of 3 × 128 SiLU units with a
     * 32-wide time embedding of t·1000, Euler with 100 steps to sample, RK4 with 50 steps and the exact
     * trace for the likelihood; 3000 Adam updates of 256 points at 3e-3 decayed by a cosine to 6e-5;
     * reflow on 4000 pairs, 2000 updates at 9e-4 → 1.8e-5.
     *
     * @return the preset
     */
    public static FlowMatchingPreset flowMatching2d() {
        return new FlowMatchingPreset(new FlowMatchingSpec(new MlpFieldConfig(2, 128, 3, 32, 1000), null,
                FlowMatchingSpec.Path.STRAIGHT, DataSpec.vector(2), 100, 50, 0), TrainingRecipe.of(3000, 256, 3e-3, 6e-5, 0, 0),
                TrainingRecipe.of(2000, 256, 9e-4, 1.8e-5, 0, 0), 4000, 0);
    }

    /** @return the 16-channel U-Net of the FashionMNIST presets (levels of ×1, ×2, ×2) */
    public static UNetConfig fashionMnistUnet() {
        return UNetConfig.builder().setImageChannels(1).optBaseChannels(16).build();
    }

    /** @return 28×28 grey images in [−1, 1] */
    public static DataSpec fashionMnistData() {
        return DataSpec.image(1, 28, 28, PixelRange.MINUS_ONE_ONE);
    }

    /**
     * Flow matching on 28×28 grey images in [−1, 1] (FashionMNIST): {@link #fashionMnistUnet()} as the
     * velocity field, straight path, Euler with 100 steps to sample, RK4 with 12 steps and
     * Hutchinson's trace for the likelihood; 1000 Adam updates of 32 images at 1e-3 after 100 warm-up updates,
     * cosine to 1e-4, gradient norm clipped at 1, EMA 0.995; reflow on 512 pairs, 400 updates at 3e-4
     * (40 warm-up) → 3e-5.
     *
     * @return the preset
     */
    public static FlowMatchingPreset flowMatchingFashionMnist() {
        return new FlowMatchingPreset(new FlowMatchingSpec(null, fashionMnistUnet(), FlowMatchingSpec.Path.STRAIGHT,
                fashionMnistData(), 100, 12, 0), TrainingRecipe.of(1000, 32, 1e-3, 1e-4, 100, 1.0),
                TrainingRecipe.of(400, 32, 3e-4, 3e-5, 40, 1.0), 512, 0.995);
    }

    /**
     * Topic 11-10's comparison ({@code gen4j compare}, cpu profile) on 28×28 grey images in [−1, 1]: a
     * small U-Net of 32/64 channels (two levels, GroupNorm 8, no attention) as the velocity field,
     * straight path, Euler with 50 steps to sample, RK4 with 10 steps and Hutchinson's trace for the
     * likelihood; 500 updates of 32 images at 1e-3 after 50 warm-up updates, cosine to 1e-4, gradient
     * norm clipped at 1, no EMA (the comparison trains it with AdamW, the optimizer of its other U-Net
     * entries, on this recipe). No reflow is part of the comparison: the reflow recipe is {@link
     * #flowMatchingFashionMnist()}'s. One of the comparison's equal small budgets, not tuned.
     *
     * @return the preset
     */
    public static FlowMatchingPreset flowMatchingComparison28() {
        return comparisonFlow(32, 8, 50, 10, TrainingRecipe.of(500, 32, 1e-3, 1e-4, 50, 1.0));
    }

    /**
     * {@link #flowMatchingComparison28()} at the comparison's gpu profile: 64/128 channels (GroupNorm 16),
     * Euler 100 steps, RK4 50 steps, 30,000 updates (warm-up 100).
     *
     * @return the preset
     */
    public static FlowMatchingPreset flowMatchingComparison28Long() {
        return comparisonFlow(64, 16, 100, 50, TrainingRecipe.of(30_000, 32, 1e-3, 1e-4, 100, 1.0));
    }

    private static FlowMatchingPreset comparisonFlow(int base, int groups, int sampleSteps, int likelihoodSteps,
            TrainingRecipe training) {
        UNetConfig unet = UNetConfig.builder().setImageChannels(1).optBaseChannels(base).optChannelMultipliers(1, 2)
                .optGroups(groups).build();
        FlowMatchingPreset images = flowMatchingFashionMnist();
        return new FlowMatchingPreset(new FlowMatchingSpec(null, unet, FlowMatchingSpec.Path.STRAIGHT,
                fashionMnistData(), sampleSteps, likelihoodSteps, 0), training, images.reflow(), images.reflowPairs(), 0);
    }

    /**
     * A noise-conditional score model of 2-D points: an MLP of 3 × 128 SiLU units with a 32-wide
     * embedding of 10·ln σ, 10 geometric levels from σ = 3 to 0.02, annealed Langevin with 100 steps
     * per level and ε = 2e-5, RK4 with 50 steps for the PF-ODE likelihood; continuous-σ DSM, 3000 Adam
     * updates of 256 points at 3e-3 → 6e-5.
     *
     * @return the preset
     */
    public static NcsnPreset ncsn2d() {
        return new NcsnPreset(new NcsnSpec(new MlpFieldConfig(2, 128, 3, 32, 10), new NoiseLevels(3, 0.02, 10), 100,
                2e-5, 50, DataSpec.vector(2)), TrainingRecipe.of(3000, 256, 3e-3, 6e-5, 0, 0), true, 0);
    }

    /**
     * A noise-conditional score model of 28×28 grey images in [−1, 1] (FashionMNIST): {@link
     * #fashionMnistUnet()} conditioned on σ through the VE time t(σ)·1000; 30 geometric levels from σ
     * = 40 (about the largest distance between two FashionMNIST test images in [−1, 1], 42.6 among
     * 3000) to 0.01 (score_sde's σ_min), a ratio of 1.33 between levels — coarser than Song &amp;
     * Ermon's rule, which asks for about 140 levels at 784 dimensions, to fit a CPU budget; annealed
     * Langevin with 4 steps per level and ε = 5.2e-5 (in this sampler's x + (α/2)s + √α z; NCSNv2's
     * code steps x + αs + √(2α) z, where ε = 2.6e-5 brings its step-size condition closest to 1 at this
     * ratio and T = 4), 121 network evaluations; the PF-ODE likelihood with RK4
     * in 12 steps (Hutchinson trace); continuous-σ DSM (σ²-weighted), 1000 Adam updates of 32 images
     * at 1e-3 after 100 warm-up updates, cosine to 1e-4, gradient norm clipped at 1, EMA 0.995.
     *
     * @return the preset
     */
    public static NcsnPreset ncsnFashionMnist() {
        return new NcsnPreset(NcsnSpec.image(fashionMnistUnet(), new NoiseLevels(40, 0.01, 30), 4, 5.2e-5, 12,
                fashionMnistData()), TrainingRecipe.of(1000, 32, 1e-3, 1e-4, 100, 1.0), true, 0.995);
    }

    /**
     * An energy-based model of 2-D points (its box is the data's, e.g. {@code Toy2d.box()}): an energy
     * MLP of 3 × 128 SiLU units, a 200² normalising grid, 500 Langevin steps of α = 2e-3 to sample;
     * contrastive divergence with chains of 10 steps of λ = 0.0025·(hi − lo) and noise √(2λ)/2, energy
     * penalty 0.1, a replay buffer of 10,000 points with 5 % fresh noise; 1000 Adam updates of 256
     * points at 1.5e-3 → 3e-5.
     *
     * @return the preset
     */
    public static EbmPreset ebm2d() {
        return new EbmPreset(128, 3, 200, 500, 2e-3, TrainingRecipe.of(1000, 256, 1.5e-3, 3e-5, 0, 0), 10,
                0.02 / 8, 0.5, 0.1, 10_000, 0.05);
    }
}
