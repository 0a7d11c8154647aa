package io.gen4j.core.model;

import ai.djl.ndarray.NDArray;

/**
 * A bijection that reports the log-absolute-determinant of its Jacobian in both directions
 * (nflows' convention).
 *
 * <p>For {@code y = f(x)}: {@code forward(x) = (y, log|det ∂f/∂x|)} and {@code inverse(y) = (x,
 * log|det ∂f⁻¹/∂y|)}, so the two log-dets of a round trip sum to zero. Log-dets have shape (N): one
 * value per example, summed over every other dimension.
 */
public interface Invertible {

    /**
     * @param x input, shape (N, ...)
     * @return the output and log|det J| of shape (N)
     */
    Transformed forward(NDArray x);

    /**
     * @param y output of {@link #forward}, shape (N, ...)
     * @return the input and log|det J⁻¹| of shape (N)
     */
    Transformed inverse(NDArray y);

    /**
     * A transformed value and the log-absolute-determinant of the Jacobian of the map that made it.
     *
     * @param value the transformed array
     * @param logDet shape (N)
     */
    record Transformed(NDArray value, NDArray logDet) {}
}
