package io.gen4j.autoencoders;

import ai.djl.ndarray.NDArray;

/**
 * The importance-weighted bound (Burda, Grosse &amp; Salakhutdinov 2016).
 *
 * <pre>
 *   log w_k = log p(x|z_k) + log p(z_k) − log q(z_k|x),   z_k ~ q(z|x)
 *   L_K     = E[ log (1/K) Σ_k w_k ]
 * </pre>
 *
 * <p>L_1 is the ELBO, L_K ≤ L_{K+1} ≤ log p(x), and L_K → log p(x) as K → ∞, so −L_K for large K
 * is the usual NLL estimate of a VAE. For one fixed set of samples the estimate is at least the
 * Monte Carlo ELBO of the same samples (Jensen on the empirical distribution).
 */
public final class Iwae {

    private Iwae() {}

    /**
     * Stable {@code log (1/K) Σ_k exp(a_k)} along an axis: subtracts the max first.
     *
     * @param logWeights the log-weights, shape (N, K)
     * @param axis the axis to reduce (1 for (N, K))
     * @return shape with the axis removed, in the manager of {@code logWeights}
     */
    public static NDArray logMeanExp(NDArray logWeights, int axis) {
        long k = logWeights.getShape().get(axis);
        NDArray max = logWeights.max(new int[] {axis}, true).stopGradient();
        NDArray shifted = logWeights.sub(max).exp().sum(new int[] {axis}).log();
        return shifted.add(max.squeeze(axis)).sub(Math.log(k));
    }
}
