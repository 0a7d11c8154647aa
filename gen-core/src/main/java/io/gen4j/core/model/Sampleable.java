package io.gen4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * A model that can draw samples from the distribution it learned.
 *
 * <p>Randomness comes from the engine's generator ({@code Engine.getInstance().setRandomSeed}); see
 * {@code io.gen4j.core.runtime.Seeds} for making runs repeatable.
 */
@FunctionalInterface
public interface Sampleable {

    /**
     * Draws {@code n} samples.
     *
     * @param manager the manager that will own the result
     * @param n how many samples, at least 1
     * @return samples, shape (n, ...) in the model's data space
     */
    NDArray sample(NDManager manager, int n);
}
