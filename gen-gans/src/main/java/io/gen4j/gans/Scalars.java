package io.gen4j.gans;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Multiplication by a constant that is safe under autograd.
 *
 * <p>DJL 0.36's {@code x.mul(c)} (and {@code div}, {@code maximum}, {@code minimum}, {@code pow}
 * with a Java number) wraps c in a tensor whose memory is a Java direct buffer and closes it right
 * after the op. Autograd keeps that tensor for the backward pass (the derivative of {@code x·c} is
 * c), but its buffer is already garbage: when the JVM collects it before the backward, the gradient
 * is multiplied by whatever the allocator wrote there (an isolated gradient of ~1e18, +∞ or NaN).
 * Here c lives in a tensor the engine allocated and owns, attached to x's manager.
 * {@code add}/{@code sub} with a number are safe: their backward does not read the number.
 */
final class Scalars {

    private Scalars() {}

    /**
     * @param x an array
     * @param c a constant
     * @return {@code x · c}, with c in an engine-owned scalar tensor of x's type in x's manager
     */
    static NDArray times(NDArray x, double c) {
        return x.mul(constant(x, c));
    }

    /**
     * @param like an array giving the manager and type
     * @param c a constant
     * @return c as an engine-owned scalar tensor (shape ()) in like's manager
     */
    static NDArray constant(NDArray like, double c) {
        return like.getManager().full(new Shape(), (float) c, like.getDataType());
    }
}
