package io.gen4j.flows;

import ai.djl.ndarray.NDManager;

/**
 * A transform whose inverse on row vectors (N, D) is affine, {@code y ↦ y·M + c}: adjacent ones are folded
 * into one map by {@link CompositeTransform#prepareInverse}.
 */
interface AffineVectorInverse {

    /**
     * @param scratch the manager of the folding's temporaries (closed after the folding)
     * @return the inverse as an affine map in float64, or null when the transform is not one on vectors
     *     (an {@link ActNorm} of images)
     */
    AffineMap inverseMap(NDManager scratch);
}
