package io.gen4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * A saveable model that draws samples of its data: a diffusion model, a VAE, a flow, a GAN. The
 * sampling settings a family understands (sampler steps, η, temperature, class label) come in a
 * {@link SampleOptions}; {@link #sample(NDManager, int)} uses the model's defaults.
 *
 * <p>Samples are in the model's data space, described by {@link ModelSpec#data()}: images in its
 * pixel range (e.g. [−1, 1]), vectors as they are. To draw many samples without holding them all
 * in memory, draw them in chunks (the CLI's {@code sample} does).
 */
public interface GenerativeModel extends SaveableModel, Sampleable {

    /**
     * Draws {@code n} samples.
     *
     * @param manager the manager that will own the result
     * @param n how many, at least 1
     * @param options sampler settings; a family reads the ones it has and documents which
     * @return samples, shape (n, data shape...)
     */
    NDArray sample(NDManager manager, int n, SampleOptions options);

    @Override
    default NDArray sample(NDManager manager, int n) {
        return sample(manager, n, SampleOptions.defaults());
    }
}
