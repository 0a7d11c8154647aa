package io.gen4j.score.matching;

import ai.djl.nn.Block;
import io.gen4j.core.model.DataSpec;
import io.gen4j.core.model.ModelSpec;
import io.gen4j.core.nn.UNet;
import io.gen4j.core.nn.UNetConfig;
import io.gen4j.score.nn.MlpField;
import io.gen4j.score.nn.MlpFieldConfig;
import io.gen4j.score.sde.VeSde;
import java.util.Objects;

/**
 * Everything that rebuilds an {@link NcsnModel}: a noise-conditional score network (exactly one of a
 * time-conditioned MLP for vector data or gen-core's U-Net for images), its noise levels and its
 * samplers' settings.
 *
 * <p>The MLP sees log σ (times its {@code timeScale}); the U-Net sees the VE SDE's time of σ,
 * t(σ) = ln(σ/σ_min) / ln(σ_max/σ_min) ∈ [0, 1], times {@link #UNET_TIME_SCALE} (the range its
 * sinusoidal embedding was designed for, as in flow matching).
 *
 * @param mlp the network of vector data (its timeScale applies to log σ), or null
 * @param unet the network of image data, or null
 * @param levels σ_max … σ_min and their number L
 * @param stepsPerLevel annealed Langevin steps per level T ≥ 1
 * @param epsilon annealed Langevin's ε &gt; 0
 * @param likelihoodSteps RK4 steps of the PF-ODE likelihood ≥ 1
 * @param data vector data of mlp.dims() dimensions, or image data with the U-Net's channels
 */
public record NcsnSpec(MlpFieldConfig mlp, UNetConfig unet, NoiseLevels levels, int stepsPerLevel, double epsilon,
        int likelihoodSteps, DataSpec data) implements ModelSpec {

    /** The family name. */
    public static final String FAMILY = "ncsn";

    /** The U-Net is called with t(σ)·1000. */
    public static final double UNET_TIME_SCALE = 1000;

    /** Validates. */
    public NcsnSpec {
        Objects.requireNonNull(levels, "levels");
        Objects.requireNonNull(data, "data");
        if ((mlp == null) == (unet == null)) {
            throw new IllegalArgumentException("exactly one of mlp and unet must be set");
        }
        if (mlp != null && !data.equals(DataSpec.vector(mlp.dims()))) {
            throw new IllegalArgumentException("data must be " + mlp.dims() + "-D vectors, got " + data);
        }
        if (unet != null && (!data.isImage() || data.shape()[0] != unet.inChannels()
                || unet.outChannels() != unet.inChannels())) {
            throw new IllegalArgumentException("a U-Net score needs image data with its channels ("
                    + unet.inChannels() + " in and out), got " + data);
        }
        if (stepsPerLevel < 1 || !(epsilon > 0) || likelihoodSteps < 1) {
            throw new IllegalArgumentException("need stepsPerLevel >= 1, epsilon > 0, likelihoodSteps >= 1, got "
                    + stepsPerLevel + ", " + epsilon + ", " + likelihoodSteps);
        }
        if (levels.count() < 2) {
            throw new IllegalArgumentException("an NCSN needs at least 2 noise levels, got " + levels.count());
        }
    }

    /**
     * A score model of vector data.
     *
     * @param mlp the network (its timeScale applies to log σ)
     * @param levels the noise levels
     * @param stepsPerLevel annealed Langevin steps per level
     * @param epsilon annealed Langevin's ε
     * @param likelihoodSteps RK4 steps of the likelihood
     * @param data vector data of mlp.dims() dimensions
     */
    public NcsnSpec(MlpFieldConfig mlp, NoiseLevels levels, int stepsPerLevel, double epsilon, int likelihoodSteps,
            DataSpec data) {
        this(mlp, null, levels, stepsPerLevel, epsilon, likelihoodSteps, data);
    }

    /**
     * A score model of images.
     *
     * @param unet the U-Net (output channels = input channels)
     * @param levels the noise levels
     * @param stepsPerLevel annealed Langevin steps per level
     * @param epsilon annealed Langevin's ε
     * @param likelihoodSteps RK4 steps of the likelihood
     * @param data image data with the U-Net's channels
     * @return the spec
     */
    public static NcsnSpec image(UNetConfig unet, NoiseLevels levels, int stepsPerLevel, double epsilon,
            int likelihoodSteps, DataSpec data) {
        return new NcsnSpec(null, unet, levels, stepsPerLevel, epsilon, likelihoodSteps, data);
    }

    @Override
    public String family() {
        return FAMILY;
    }

    /** @return the VE SDE of the levels, σ(t) from σ_min to σ_max */
    public VeSde sde() {
        return new VeSde(levels.sigmaMin(), levels.sigmaMax());
    }

    /** @return a fresh, uninitialized network */
    public Block buildNetwork() {
        return mlp != null ? MlpField.field(mlp) : new UNet(unet);
    }

    /**
     * The U-Net's time input of a noise level, t(σ)·{@link #UNET_TIME_SCALE} = a + b·ln σ.
     *
     * @return {a, b}
     */
    public double[] unetTimeOfLogSigma() {
        double b = UNET_TIME_SCALE / Math.log(levels.sigmaMax() / levels.sigmaMin());
        return new double[] {-b * Math.log(levels.sigmaMin()), b};
    }
}
