package io.gen4j.core.model;

import ai.djl.ndarray.NDArray;

/**
 * A model that assigns a (log-)likelihood, or a lower bound on it, to each example.
 *
 * <p>Units are nats. For images in bits per dimension use {@link Likelihoods}.
 */
@FunctionalInterface
public interface LikelihoodModel {

    /**
     * Per-example log-likelihood log p(x) in nats, or a lower bound (ELBO, IWAE) when the model
     * cannot compute it exactly; {@link #isExact()} says which.
     *
     * @param x data, shape (N, ...)
     * @return shape (N), in the manager of {@code x}
     */
    NDArray logLikelihood(NDArray x);

    /** @return true when {@link #logLikelihood} is exact, false when it is a lower bound */
    default boolean isExact() {
        return true;
    }
}
