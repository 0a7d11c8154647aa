package io.gen4j.flows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

/**
 * The inverse of {@link Squeeze} as a transform: (N, 4C, H, W) → (N, C, 2H, 2W), log|det J| = 0.
 * The multi-scale architecture ends each level with it, so that a level keeps the shape of its
 * input and the latent of an image is an image-shaped array.
 */
public class Unsqueeze extends FlowTransform {

    private static final byte VERSION = 1;

    /** Creates the (parameter-free) unsqueeze. */
    public Unsqueeze() {
        super(VERSION);
    }

    @Override
    public Transformed forward(ParameterStore ps, NDArray x, boolean training) {
        return new Transformed(Squeeze.unsqueeze(x), zeroLogDet(x));
    }

    @Override
    public Transformed inverse(ParameterStore ps, NDArray y, boolean training) {
        return new Transformed(Squeeze.squeeze(y), zeroLogDet(y));
    }

    @Override
    public Shape outputShape(Shape input) {
        return Squeeze.unsqueezeShape(input);
    }
}
