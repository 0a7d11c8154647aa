package io.gen4j.core.nn;

import ai.djl.ndarray.NDArray;
import io.gen4j.core.math.Scalars;
import java.util.function.UnaryOperator;

/**
 * Element-wise non-linearities used by gen4j blocks. (DJL's {@code Activation.mish} is wrong; the
 * ones here are written out and gradient-checked.)
 */
public enum Activation {
    /** Identity. */
    NONE(x -> x),
    /** max(0, x). */
    RELU(x -> x.getNDArrayInternal().relu()),
    /**
     * max(0.2x, x): the GAN discriminator's activation. Written with ordinary ops, so that its
     * double backward does not go through the engine's leaky kernel (docs/known-issues.md §2).
     */
    LEAKY_RELU(x -> x.maximum(Scalars.times(x, 0.2))),
    /** x·σ(x) (swish), used by diffusion U-Nets. */
    SILU(x -> x.mul(x.getNDArrayInternal().sigmoid())),
    /** Gaussian error linear unit x·Φ(x) (exact, erf form). */
    GELU(x -> x.getNDArrayInternal().gelu()),
    /** tanh(x). */
    TANH(NDArray::tanh),
    /** 1/(1 + e^(−x)). */
    SIGMOID(x -> x.getNDArrayInternal().sigmoid()),
    /** log(1 + e^x), computed stably ({@link io.gen4j.core.math.Logistic#softplus}). */
    SOFTPLUS(io.gen4j.core.math.Logistic::softplus);

    private final UnaryOperator<NDArray> fn;

    Activation(UnaryOperator<NDArray> fn) {
        this.fn = fn;
    }

    /**
     * @param x input
     * @return the activation applied element-wise, in the manager of {@code x}
     */
    public NDArray apply(NDArray x) {
        return fn.apply(x);
    }
}
