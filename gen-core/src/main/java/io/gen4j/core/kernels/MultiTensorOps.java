package io.gen4j.core.kernels;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.List;

/**
 * An engine's operations on a whole list of arrays in one native call, where gen-core would otherwise
 * issue one operation (one JNI call, Java wrapper and manager bookkeeping) per array: the optimizer
 * update, gradient zeroing, global-norm clipping and the exponential moving average of every parameter of a
 * network. PyTorch's {@code torch.optim}, {@code clip_grad_norm_} and EMA helpers use the same kernels
 * ({@code _fused_adam_}, {@code _foreach_zero_}, {@code _foreach_norm}, {@code _foreach_mul_},
 * {@code _foreach_lerp_}).
 *
 * <p>Each method may decline a list it does not take (mixed data types or devices, an array that is not
 * contiguous, a device it has no kernel for, an empty list): it then returns false or null and has changed
 * nothing, and the caller composes the same arithmetic per array.
 */
public interface MultiTensorOps {

    /**
     * One Adam or AdamW update of every parameter (the arithmetic of {@link AdamUpdate}); the gradients
     * are left unchanged.
     *
     * @param weights the parameters, updated in place
     * @param grads their gradients, index by index of the same shape and type
     * @param m the first moments, updated in place
     * @param v the second moments, updated in place
     * @param update the hyperparameters, the same for every parameter
     * @return true when updated; false when declined, with nothing changed
     */
    boolean adam(List<NDArray> weights, List<NDArray> grads, List<NDArray> m, List<NDArray> v, AdamUpdate update);

    /**
     * Sets every array to zero in place (a NaN becomes 0, unlike a product with 0).
     *
     * @param arrays the arrays
     * @return true when zeroed; false when declined, with nothing changed
     */
    boolean zero(List<NDArray> arrays);

    /**
     * @param arrays the arrays
     * @return the L2 norm of each array as a scalar array of its type, in the manager of the first
     *     array, or null when declined
     */
    NDList norms(List<NDArray> arrays);

    /**
     * Moves every array towards its partner in place, {@code a += weight·(b − a)} ({@code torch.lerp}): an
     * exponential moving average with decay {@code 1 − weight}.
     *
     * @param arrays the arrays, updated in place
     * @param ends their partners, index by index of the same shape and type (read only)
     * @param weight the weight of the partners, in [0, 1]
     * @return true when updated; false when declined, with nothing changed
     */
    boolean lerp(List<NDArray> arrays, List<NDArray> ends, double weight);

    /**
     * Multiplies every array in place by one scalar array.
     *
     * @param arrays the arrays
     * @param factor a scalar array (shape ()) on their device
     * @return true when scaled; false when declined, with nothing changed
     */
    boolean scale(List<NDArray> arrays, NDArray factor);
}
