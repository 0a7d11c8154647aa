package io.gen4j.score.flow;

import ai.djl.nn.Block;
import io.gen4j.core.model.DataSpec;
import io.gen4j.core.model.ModelSpec;
import io.gen4j.core.nn.UNet;
import io.gen4j.core.nn.UNetConfig;
import io.gen4j.score.nn.MlpField;
import io.gen4j.score.nn.MlpFieldConfig;
import java.util.Objects;

/**
 * Everything that rebuilds a {@link FlowMatchingModel}: the velocity network (a time-conditioned MLP
 * for vectors or gen-core's U-Net for images, exactly one of them), the path it was trained on, the
 * data, and the default numbers of ODE steps.
 *
 * @param mlp the MLP field of vector data, or null
 * @param unet the U-Net of image data, or null
 * @param path the conditional path
 * @param data the data
 * @param sampleSteps default Euler steps of {@code sample}, ≥ 1
 * @param likelihoodSteps RK4 steps of {@code logLikelihood}, ≥ 1
 * @param reflow how many times the model was rectified on its own coupling (0 = 1-rectified flow
 *     when the path is straight); informational
 */
public record FlowMatchingSpec(MlpFieldConfig mlp, UNetConfig unet, Path path, DataSpec data, int sampleSteps,
        int likelihoodSteps, int reflow) implements ModelSpec {

    /** The family name. */
    public static final String FAMILY = "flow-matching";

    /** The U-Net is called with t·1000, the time range its embedding was designed for. */
    public static final double UNET_TIME_SCALE = 1000;

    /** The conditional paths a saved model can name. */
    public enum Path {
        /** {@link StraightPath#rectified()}: OT path with σ_min = 0 (rectified flow). */
        STRAIGHT,
        /** {@link VpPath#defaults()}. */
        VP;

        /** @return the path */
        public ProbabilityPath create() {
            return this == STRAIGHT ? StraightPath.rectified() : VpPath.defaults();
        }
    }

    /** Validates. */
    public FlowMatchingSpec {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(data, "data");
        if ((mlp == null) == (unet == null)) {
            throw new IllegalArgumentException("exactly one of mlp and unet must be set");
        }
        if (mlp != null && (data.isImage() || data.shape().length != 1 || data.shape()[0] != mlp.dims())) {
            throw new IllegalArgumentException("an MLP field of " + mlp.dims() + " dims needs vector data of that size, got "
                    + data);
        }
        if (unet != null && (!data.isImage() || data.shape()[0] != unet.inChannels()
                || unet.outChannels() != unet.inChannels())) {
            throw new IllegalArgumentException("a U-Net field needs image data with its channels, got " + data);
        }
        if (sampleSteps < 1 || likelihoodSteps < 1 || reflow < 0) {
            throw new IllegalArgumentException("need sampleSteps, likelihoodSteps >= 1 and reflow >= 0, got "
                    + sampleSteps + ", " + likelihoodSteps + ", " + reflow);
        }
    }

    /**
     * @param config the MLP
     * @param path the path
     * @return a vector model with 100 sampling and 100 likelihood steps
     */
    public static FlowMatchingSpec vector(MlpFieldConfig config, Path path) {
        return new FlowMatchingSpec(config, null, path, DataSpec.vector(config.dims()), 100, 100, 0);
    }

    /**
     * @param config the U-Net
     * @param path the path
     * @param data image data
     * @return an image model with 100 sampling and 50 likelihood steps
     */
    public static FlowMatchingSpec image(UNetConfig config, Path path, DataSpec data) {
        return new FlowMatchingSpec(null, config, path, data, 100, 50, 0);
    }

    /**
     * @param rounds reflow rounds
     * @return this spec with that count
     */
    public FlowMatchingSpec withReflow(int rounds) {
        return new FlowMatchingSpec(mlp, unet, path, data, sampleSteps, likelihoodSteps, rounds);
    }

    @Override
    public String family() {
        return FAMILY;
    }

    /** @return the factor between flow time and the network's time input */
    public double networkTimeScale() {
        return unet != null ? UNET_TIME_SCALE : 1.0;
    }

    /** @return a fresh, uninitialized network */
    public Block buildNetwork() {
        return mlp != null ? MlpField.field(mlp) : new UNet(unet);
    }
}
