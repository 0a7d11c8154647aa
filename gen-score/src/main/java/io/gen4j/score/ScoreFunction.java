package io.gen4j.score;

import ai.djl.ndarray.NDArray;

/**
 * A score field: the gradient of a log-density, s(x, t) = ∇ₓ log p_t(x), at one time t for a whole
 * batch.
 *
 * <p>The score is what score matching learns (Hyvärinen 2005, Vincent 2011), what Langevin dynamics
 * follows and what the reverse-time SDE and the probability-flow ODE need (Song et al. 2021). The
 * time is the SDE's own time in [0, T] (0 = data); a model of one density ignores it. Results must
 * belong to the manager of {@code x}.
 */
@FunctionalInterface
public interface ScoreFunction {
    /**
     * @param x points, shape (N, ...)
     * @param t the time of every point
     * @return ∇ₓ log p_t(x), same shape as {@code x}, in the manager of {@code x}
     */
    NDArray score(NDArray x, double t);
}
