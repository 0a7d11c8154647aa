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

    /**
     * A sampler for many chunks with these options and the parameters as they are now ({@link
     * PreparedSampler}, a snapshot). The default precomputes nothing: each chunk is {@code sample(m, k,
     * options)}; a family overrides it where something can be done once per run (RealNVP on vectors folds
     * its affine layers and masks). The CLI's {@code sample} and gen-spark's sampling draw their chunks
     * through it.
     *
     * @param manager parent of whatever the sampler precomputes (closing the sampler frees it)
     * @param options sampler settings, as for {@link #sample(NDManager, int, SampleOptions)}
     * @return the sampler, to be closed
     */
    default PreparedSampler prepareSampler(NDManager manager, SampleOptions options) {
        return new PreparedSampler() {
            @Override
            public NDArray sample(NDManager m, int n) {
                return GenerativeModel.this.sample(m, n, options);
            }

            @Override
            public void close() {
                // nothing precomputed
            }
        };
    }
}
