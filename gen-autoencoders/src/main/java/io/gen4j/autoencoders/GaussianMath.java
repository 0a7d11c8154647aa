package io.gen4j.autoencoders;

import ai.djl.ndarray.NDArray;

/**
 * Closed forms for diagonal Gaussians, element-wise (callers sum over the latent axis).
 *
 * <pre>
 *   KL(N(μ, σ²) ‖ N(0, 1))        = ½ (μ² + σ² − 1 − log σ²)
 *   KL(N(μ, σ²) ‖ N(μ_p, σ_p²))   = ½ (log σ_p² − log σ² + (σ² + (μ − μ_p)²)/σ_p² − 1)
 *   log N(z; μ, σ²)               = −½ (log 2π + log σ² + (z − μ)²/σ²)
 * </pre>
 *
 * <p>Variances are passed as log-variances, the parameterisation every encoder here outputs.
 */
public final class GaussianMath {

    /** log(2π). */
    public static final double LOG_2PI = Math.log(2 * Math.PI);

    private GaussianMath() {}

    /**
     * KL(N(μ, e^logVar) ‖ N(0, 1)) per element.
     *
     * @param mu μ
     * @param logVar log σ²
     * @return same shape as {@code mu}, in its manager
     */
    public static NDArray klToStandardNormal(NDArray mu, NDArray logVar) {
        return mu.square().add(logVar.exp()).sub(1).sub(logVar).mul(0.5);
    }

    /**
     * KL(N(μ, e^logVar) ‖ N(μ_p, e^logVarP)) per element.
     *
     * @param mu μ
     * @param logVar log σ²
     * @param muP prior mean μ_p
     * @param logVarP prior log-variance log σ_p²
     * @return same shape as {@code mu}, in its manager
     */
    public static NDArray klBetween(NDArray mu, NDArray logVar, NDArray muP, NDArray logVarP) {
        NDArray ratio = logVar.exp().add(mu.sub(muP).square()).div(logVarP.exp());
        return logVar.neg().add(logVarP).add(ratio).sub(1).mul(0.5);
    }

    /**
     * log N(z; μ, e^logVar) per element.
     *
     * @param z the point
     * @param mu μ
     * @param logVar log σ²
     * @return same shape as {@code z}, in its manager
     */
    public static NDArray logDensity(NDArray z, NDArray mu, NDArray logVar) {
        return z.sub(mu).square().div(logVar.exp()).add(logVar).add(LOG_2PI).mul(-0.5);
    }

    /**
     * log N(z; 0, 1) per element.
     *
     * @param z the point
     * @return same shape, in its manager
     */
    public static NDArray logStandardDensity(NDArray z) {
        return z.square().add(LOG_2PI).mul(-0.5);
    }
}
