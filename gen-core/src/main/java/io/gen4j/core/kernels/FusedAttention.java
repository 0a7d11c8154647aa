package io.gen4j.core.kernels;

import ai.djl.ndarray.NDArray;

/**
 * An engine's fused scaled dot-product attention over heads already split (PyTorch's
 * {@code scaled_dot_product_attention}): {@code softmax(q·kᵀ/√d + bias)·v} for each example and head, without
 * the score matrix kept as separate arrays for the backward pass.
 */
@FunctionalInterface
public interface FusedAttention {

    /**
     * @param q queries (N, H, Lq, d)
     * @param k keys (N, H, Lk, d)
     * @param v values (N, H, Lk, d)
     * @param bias added to the scores, broadcastable to (N, H, Lq, Lk) and of q's type, or null
     * @return (N, H, Lq, d) in the manager of q, or null when declined (the caller composes)
     */
    NDArray apply(NDArray q, NDArray k, NDArray v, NDArray bias);
}
