package io.gen4j.core.math;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * The softplus function and the Bernoulli log-likelihood from logits, in as few engine operations as
 * their precision allows.
 *
 * <p>libtorch's {@code softplus} is one fused kernel (forward and backward) where the stable composed
 * form {@code max(a, 0) + log(1 + e^−|a|)} is six operations and as many in the backward pass. It
 * returns {@code a} itself above a threshold of 20, where the exact value is {@code a + log(1 + e^−a)},
 * larger by less than 2.1e-9. That is below half a unit in the last place of any float32 number above
 * 20 (9.5e-7), so for float32 (and narrower types) the fused kernel is exact to the type's precision; for
 * float64 it is not (2e-9 against an ulp of 3.6e-15 at 20), so float64 arrays keep the composed form.
 */
public final class Logistic {

    private Logistic() {}

    /**
     * @param a any floating-point array
     * @return {@code log(1 + e^a)} element-wise, stable for every a, in the manager of {@code a}
     */
    public static NDArray softplus(NDArray a) {
        if (a.getDataType() == DataType.FLOAT64) {
            return Scalars.max(a, 0).add(a.abs().neg().exp().add(1).log());
        }
        return a.getNDArrayInternal().softPlus();
    }

    /**
     * Element-wise binary cross-entropy from logits: {@code −x log σ(l) − (1 − x) log(1 − σ(l)) =
     * softplus(l) − l·x}.
     *
     * @param logits l
     * @param x targets, usually in [0, 1], same shape
     * @return same shape, in the manager of {@code logits}
     */
    public static NDArray bceWithLogits(NDArray logits, NDArray x) {
        return softplus(logits).sub(logits.mul(x));
    }
}
