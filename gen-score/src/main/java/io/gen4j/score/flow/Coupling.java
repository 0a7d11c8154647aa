package io.gen4j.score.flow;

import ai.djl.ndarray.NDArray;

/**
 * How a batch of noise draws x_0 is paired with a batch of data x_1 before the path is sampled:
 * independently (the product coupling of conditional flow matching) or by a minibatch optimal
 * transport plan (Tong et al. 2024; Pooladian et al. 2023), which straightens the learned flow.
 */
@FunctionalInterface
public interface Coupling {

    /** The product coupling: the pairs as drawn. */
    Coupling INDEPENDENT = (x0, x1) -> x0;

    /**
     * @param x0 noise, shape (N, ...)
     * @param x1 data, shape (N, ...)
     * @return x_0 reordered so that row i is paired with x_1's row i, in the manager of {@code x0}
     */
    NDArray pair(NDArray x0, NDArray x1);
}
