package io.gen4j.flows;

import ai.djl.ndarray.NDArray;

/**
 * A transform's inverse (latent → data, without the log-determinant) made ready for repeated
 * evaluation with the parameters it was prepared from: what {@link FlowTransform#prepareInverse}
 * returns and {@link FlowSampler} runs for every chunk.
 *
 * <p>Preparing folds what does not depend on the data into fewer, larger operations once: adjacent
 * affine vector layers ({@link ActNorm} on vectors, {@link FixedOrthogonal}) into one matrix product
 * with a bias, and an {@link AffineCoupling}'s masks into the first and last layers of its {@link
 * io.gen4j.core.nn.Mlp} conditioner. A prepared inverse is a <b>snapshot</b>: parameters changed
 * afterwards (a training step, a load, an EMA copied in) are not seen by its folded parts; prepare
 * again after changing them.
 */
@FunctionalInterface
public interface PreparedInverse {

    /**
     * @param y an output of the transform's forward direction (N, ...)
     * @return the input, equal to {@code inverseValue(y)} of the transform at preparation time to within
     *     rounding, in the manager of {@code y}
     */
    NDArray apply(NDArray y);
}
