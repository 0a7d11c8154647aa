package io.gen4j.autoencoders;

import ai.djl.ndarray.NDArray;
import io.gen4j.core.math.Scalars;

/**
 * How the KL term of the ELBO is weighted and floored during training.
 *
 * <pre>
 *   weight(t) = β · min(1, t / T_warm)                      (linear KL annealing; Bowman et al. 2016)
 *   penalty   = weight(t) · Σ_j max(λ, E_batch KL_j)         (free bits; Kingma et al. 2016, λ nats/dim)
 * </pre>
 *
 * <p>β > 1 is the β-VAE (Higgins et al. 2017). With λ = 0 the penalty is the plain batch mean of the
 * summed KL. Both tricks fight posterior collapse: annealing lets the decoder learn to use z before
 * the KL pressure arrives; free bits stops pushing a latent dimension once its KL falls below λ.
 * The schedule is stateless: the training loop passes the step.
 *
 * @param beta β >= 0
 * @param warmupSteps T_warm >= 0 (0 = no warm-up)
 * @param freeBits λ >= 0, in nats per latent dimension
 */
public record KlSchedule(double beta, long warmupSteps, double freeBits) {

    /** Validates the values. */
    public KlSchedule {
        if (!(beta >= 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException("beta must be finite and >= 0, got " + beta);
        }
        if (warmupSteps < 0) {
            throw new IllegalArgumentException("warmupSteps must be >= 0, got " + warmupSteps);
        }
        if (!(freeBits >= 0) || Double.isInfinite(freeBits)) {
            throw new IllegalArgumentException("freeBits must be finite and >= 0, got " + freeBits);
        }
    }

    /** @return β = 1, no warm-up, no free bits: the plain ELBO */
    public static KlSchedule defaults() {
        return new KlSchedule(1, 0, 0);
    }

    /**
     * @param step the training step, from 0
     * @return β · min(1, step / T_warm)
     */
    public double weight(long step) {
        if (warmupSteps == 0) {
            return beta;
        }
        return beta * Math.min(1.0, (double) step / warmupSteps);
    }

    /**
     * The weighted KL penalty of one batch.
     *
     * @param klPerElement KL per example and latent dimension, shape (N, d)
     * @param step the training step
     * @return a scalar, in the manager of {@code klPerElement}
     */
    public NDArray penalty(NDArray klPerElement, long step) {
        NDArray perExample = klPerElement.reshape(klPerElement.getShape().get(0), -1);
        NDArray kl = freeBits > 0
                ? Scalars.max(perExample.mean(new int[] {0}), freeBits).sum()
                : perExample.sum(new int[] {1}).mean();
        return Scalars.times(kl, weight(step));
    }
}
