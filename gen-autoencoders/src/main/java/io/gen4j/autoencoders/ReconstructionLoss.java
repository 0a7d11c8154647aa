package io.gen4j.autoencoders;

import ai.djl.ndarray.NDArray;
import io.gen4j.core.math.Logistic;

/**
 * How a deterministic autoencoder scores a reconstruction. Both are negative log-likelihoods up to
 * a constant, summed over every data dimension of an example (nats per example).
 *
 * <ul>
 *   <li>{@link #MSE}: {@code Σ_i (x̂_i − x_i)²}, the decoder output is the reconstruction itself.
 *   <li>{@link #BCE_WITH_LOGITS}: {@code Σ_i max(l_i, 0) − l_i x_i + log(1 + e^{−|l_i|})}, the
 *       decoder output are logits l and the reconstruction is σ(l). This form never evaluates
 *       log σ(l) directly, so it is finite for every logit (no log 0).
 * </ul>
 */
public enum ReconstructionLoss {
    /** Squared error. */
    MSE,
    /** Binary cross-entropy computed from logits (data in [0, 1]). */
    BCE_WITH_LOGITS;

    /**
     * Per-example loss.
     *
     * @param output decoder output (reconstruction for MSE, logits for BCE), shape (N, ...)
     * @param x targets, same shape
     * @return shape (N), in the manager of {@code output}
     */
    public NDArray perExample(NDArray output, NDArray x) {
        if (!output.getShape().equals(x.getShape())) {
            throw new IllegalArgumentException(
                    "output and target shapes differ: " + output.getShape() + " vs " + x.getShape());
        }
        NDArray elementwise = this == MSE ? output.sub(x).square() : bceWithLogits(output, x);
        return sumPerExample(elementwise);
    }

    /**
     * Maps a decoder output to data space: identity for MSE, σ(l) for BCE.
     *
     * @param output decoder output
     * @return the reconstruction
     */
    public NDArray toData(NDArray output) {
        return this == MSE ? output : output.getNDArrayInternal().sigmoid();
    }

    /**
     * Element-wise binary cross-entropy from logits, {@code softplus(l) − l·x} ({@link Logistic#bceWithLogits}:
     * the engine's fused softplus for float32, the stable composed form for float64).
     *
     * @param logits l
     * @param x targets in [0, 1]
     * @return same shape, in the manager of {@code logits}
     */
    public static NDArray bceWithLogits(NDArray logits, NDArray x) {
        return Logistic.bceWithLogits(logits, x);
    }

    /**
     * Sums every axis but the first.
     *
     * @param a shape (N, ...)
     * @return shape (N)
     */
    static NDArray sumPerExample(NDArray a) {
        return a.reshape(a.getShape().get(0), -1).sum(new int[] {1});
    }
}
