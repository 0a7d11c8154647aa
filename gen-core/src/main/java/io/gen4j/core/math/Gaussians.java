package io.gen4j.core.math;

import ai.djl.ndarray.NDArray;

/**
 * Closed forms of Gaussians that several families need: the VAE's posterior, prior and decoder
 * (gen-autoencoders), the base distributions of normalizing flows (gen-flows), and the exact
 * densities of the 2-D toy data (gen-core).
 *
 * <p>Element-wise NDArray versions for diagonal Gaussians, with variances given as log-variances
 * (the parameterisation every encoder here outputs); callers sum over the axes of one example:
 * <pre>
 *   log N(z; μ, σ²)               = −½ (log 2π + log σ² + (z − μ)²/σ²)
 *   log N(z; 0, 1)                = −½ (log 2π + z²)
 *   KL(N(μ, σ²) ‖ N(0, 1))        = ½ (μ² + σ² − 1 − log σ²)
 *   KL(N(μ, σ²) ‖ N(μ_p, σ_p²))   = ½ (log σ_p² − log σ² + (σ² + (μ − μ_p)²)/σ_p² − 1)
 * </pre>
 * (Kingma &amp; Welling 2014, appendix B, for the KL to the standard normal.) Each result belongs to
 * the manager of the first argument. And double versions for the toy densities: the isotropic 2-D
 * log-density {@code log N(x; μ, σ² I₂) = −log 2π − 2 log σ − |x − μ|²/(2σ²)} from the squared
 * distance, and a stable log-sum-exp for their mixtures.
 */
public final class Gaussians {

    /** log(2π). */
    public static final double LOG_2PI = Math.log(2 * Math.PI);

    private Gaussians() {}

    /**
     * log N(z; μ, e^logVar) per element.
     *
     * @param z the point
     * @param mu μ, broadcastable to z
     * @param logVar log σ², broadcastable to z
     * @return same shape as {@code z}, in its manager
     */
    public static NDArray logDensity(NDArray z, NDArray mu, NDArray logVar) {
        return Scalars.times(z.sub(mu).square().div(logVar.exp()).add(logVar).add(LOG_2PI), -0.5);
    }

    /**
     * log N(z; 0, 1) per element.
     *
     * @param z the point
     * @return same shape, in its manager
     */
    public static NDArray logStandardDensity(NDArray z) {
        return Scalars.times(z.square().add(LOG_2PI), -0.5);
    }

    /**
     * KL(N(μ, e^logVar) ‖ N(0, 1)) per element.
     *
     * @param mu μ
     * @param logVar log σ², same shape
     * @return same shape as {@code mu}, in its manager
     */
    public static NDArray klToStandardNormal(NDArray mu, NDArray logVar) {
        return Scalars.times(mu.square().add(logVar.exp()).sub(1).sub(logVar), 0.5);
    }

    /**
     * KL(N(μ, e^logVar) ‖ N(μ_p, e^logVarP)) per element.
     *
     * @param mu μ
     * @param logVar log σ²
     * @param muP the other mean μ_p (e.g. a learned prior's)
     * @param logVarP the other log-variance log σ_p²
     * @return same shape as {@code mu}, in its manager
     */
    public static NDArray klBetween(NDArray mu, NDArray logVar, NDArray muP, NDArray logVarP) {
        NDArray ratio = logVar.exp().add(mu.sub(muP).square()).div(logVarP.exp());
        return Scalars.times(logVar.neg().add(logVarP).add(ratio).sub(1), 0.5);
    }

    /**
     * log N(x; μ, σ² I₂) of a 2-D isotropic Gaussian, from the squared distance |x − μ|².
     *
     * @param squaredDistance |x − μ|²
     * @param sigma σ, positive
     * @return the log-density
     */
    public static double logDensity2d(double squaredDistance, double sigma) {
        return -LOG_2PI - 2 * Math.log(sigma) - squaredDistance / (2 * sigma * sigma);
    }

    /**
     * log Σᵢ exp(aᵢ) over the first {@code n} entries, stable (the largest term is factored out);
     * terms more than 40 below the largest (relative contribution below 1e-17) are skipped without
     * calling {@code exp}. All terms −∞ give −∞.
     *
     * @param a the terms
     * @param n how many of them, at most {@code a.length}
     * @return the log of the sum of their exponentials
     */
    public static double logSumExp(double[] a, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, a[i]);
        }
        if (max == Double.NEGATIVE_INFINITY) {
            return max;
        }
        double s = 0;
        double cut = max - 40;
        for (int i = 0; i < n; i++) {
            if (a[i] > cut) {
                s += Math.exp(a[i] - max);
            }
        }
        return max + Math.log(s);
    }
}
