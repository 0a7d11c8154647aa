package io.gen4j.diffusion.discrete;

import ai.djl.ndarray.NDArray;

/**
 * A network (or an exact oracle) seen by the samplers and the bound of a discrete diffusion: the
 * output ℓ(x_t, t) that a {@link DiscreteProcess} reads as concrete scores.
 */
@FunctionalInterface
public interface ScoreNetwork {

    /**
     * @param xt tokens (N, L), INT64
     * @param t times (N), float32, in [0, 1]
     * @return ℓ, (N, L, states), in the manager of {@code xt}
     */
    NDArray output(NDArray xt, NDArray t);
}
