package io.gen4j.core.kernels;

import ai.djl.ndarray.NDArray;

/** An engine's one-call Adam/AdamW update of one parameter (see {@link AdamUpdate}). */
@FunctionalInterface
public interface FusedAdam {

    /**
     * Updates the weight and both moments in place; the gradient is left unchanged.
     *
     * @param weight the parameter
     * @param grad its gradient, same shape
     * @param m the first moment, same shape
     * @param v the second moment, same shape
     * @param update the hyperparameters of this update
     */
    void update(NDArray weight, NDArray grad, NDArray m, NDArray v, AdamUpdate update);
}
