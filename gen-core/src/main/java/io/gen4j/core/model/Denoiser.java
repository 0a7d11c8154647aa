package io.gen4j.core.model;

import ai.djl.ndarray.NDArray;

/**
 * A network that looks at a noisy sample {@code x_t} at time {@code t} and predicts something about
 * the clean data: the noise ε, the clean sample x0, the velocity v, or a score.
 *
 * <p>This is the one contract shared by diffusion (DDPM/DDIM), score models (NCSN, SDEs) and flow
 * matching. What the output means is a property of the model that wraps a denoiser (for diffusion,
 * its {@code Prediction}); what {@code t} means is the family's own time variable (a DDPM step index
 * stored as float, a continuous time in [0, 1], or a noise level σ). Guidance, preconditioning and
 * caching are decorators: classes that implement {@code Denoiser} and hold another one (k-diffusion's
 * design).
 *
 * <p>Results must belong to the manager of {@code xt}.
 */
@FunctionalInterface
public interface Denoiser {

    /**
     * Runs the network.
     *
     * @param xt noisy samples, shape (N, ...)
     * @param t time of each sample, shape (N), float
     * @param condition what to condition on; {@link Condition#none()} for unconditional models
     * @return the network output, same shape as {@code xt}
     */
    NDArray predict(NDArray xt, NDArray t, Condition condition);
}
