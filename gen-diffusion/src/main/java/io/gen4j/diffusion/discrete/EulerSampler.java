package io.gen4j.diffusion.discrete;

import ai.djl.ndarray.NDArray;

/**
 * The Euler (τ-leaping) sampler of SEDD (Lou et al. 2024, §4.1): each token jumps independently with
 * the reverse rates of the current time held over the step,
 *
 * <pre>
 *   p(x_{t−Δt} = y | x_t) = δ(x_t, y) + Δt · σ(t) · Q(y, x_t) · s_θ(x_t, t)_y
 * </pre>
 *
 * (see {@link DiscreteProcess#eulerProbabilities}); first-order accurate in Δt.
 */
public record EulerSampler() implements DiscreteSampler {

    @Override
    public NDArray probabilities(DiscreteDiffusion model, NDArray output, NDArray xt, double t, double s) {
        return model.process().eulerProbabilities(output, xt, t, t - s, model.noise());
    }
}
