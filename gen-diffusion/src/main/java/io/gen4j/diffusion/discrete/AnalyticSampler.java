package io.gen4j.diffusion.discrete;

import ai.djl.ndarray.NDArray;

/**
 * The analytic (Tweedie τ-leaping) sampler of SEDD (Lou et al. 2024, Thm. 4.2): each token is drawn
 * from the exact one-token reverse transition given the concrete score,
 *
 * <pre>
 *   p(x_s = y | x_t) ∝ [exp((σ̄_s − σ̄_t) Q) s_θ(x_t, t)](y) · exp((σ̄_t − σ̄_s) Q)(y, x_t)
 * </pre>
 *
 * (see {@link DiscreteProcess#analyticProbabilities}). For the absorbing process it unmasks a masked
 * token with probability (α_s − α_t)/(1 − α_t), α = e^{−σ̄}, choosing its value from the model's
 * p_0(y | context).
 */
public record AnalyticSampler() implements DiscreteSampler {

    @Override
    public NDArray probabilities(DiscreteDiffusion model, NDArray output, NDArray xt, double t, double s) {
        return model.process().analyticProbabilities(output, xt, t, s, model.noise());
    }
}
