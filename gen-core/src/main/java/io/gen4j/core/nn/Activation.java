package io.gen4j.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.gen4j.core.kernels.Kernels;
import io.gen4j.core.math.Logistic;
import io.gen4j.core.math.Scalars;
import java.util.Optional;
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
    /** max(0.2x, x): the GAN discriminator's activation ({@link #leakyRelu(NDArray, double)}). */
    LEAKY_RELU(x -> leakyRelu(x, 0.2)),
    /** x·σ(x) (swish), used by diffusion U-Nets. */
    SILU(Activation::silu),
    /** Gaussian error linear unit x·Φ(x) (exact, erf form). */
    GELU(x -> x.getNDArrayInternal().gelu()),
    /** tanh(x). */
    TANH(NDArray::tanh),
    /** 1/(1 + e^(−x)). */
    SIGMOID(x -> x.getNDArrayInternal().sigmoid()),
    /** log(1 + e^x), computed stably ({@link Logistic#softplus}). */
    SOFTPLUS(Logistic::softplus);

    private final UnaryOperator<NDArray> fn;

    Activation(UnaryOperator<NDArray> fn) {
        this.fn = fn;
    }

    /**
     * SiLU (swish) {@code x·σ(x)}: the engine's fused kernel when its {@link Kernels} has one (gen-pytorch),
     * else composed from a sigmoid and a product.
     *
     * @param x input
     * @return the activation, in the manager of {@code x}
     */
    public static NDArray silu(NDArray x) {
        Optional<UnaryOperator<NDArray>> fused = Kernels.forArray(x).silu();
        if (fused.isPresent()) {
            return fused.get().apply(x);
        }
        return x.mul(x.getNDArrayInternal().sigmoid());
    }

    /**
     * Leaky ReLU with the engine's kernel: one operation forward and one backward, where the composed
     * {@code max(x, slope·x)} takes two forward and a comparison, a select and a masked fill per input in
     * the backward pass. The derivative at x = 0 is the slope (the composed form splits the gradient
     * there). gen4j never differentiates through a gradient (the GAN penalties compute their input
     * gradients explicitly, docs/known-issues.md §2), so no double backward goes through this kernel.
     * DJL passes the slope to the kernel as a float, so a float64 array would be multiplied by the float
     * nearest the slope (0.2f = 0.20000000298…): float64 arrays keep the composed form with the slope
     * as a double.
     *
     * @param x input
     * @param slope the slope for x &lt; 0, in [0, 1)
     * @return {@code x} where positive, {@code slope·x} elsewhere, in the manager of {@code x}
     */
    public static NDArray leakyRelu(NDArray x, double slope) {
        if (x.getDataType() == DataType.FLOAT64) {
            return x.maximum(Scalars.times(x, slope));
        }
        return x.getNDArrayInternal().leakyRelu((float) slope);
    }

    /**
     * @param x input
     * @return the activation applied element-wise, in the manager of {@code x}
     */
    public NDArray apply(NDArray x) {
        return fn.apply(x);
    }
}
