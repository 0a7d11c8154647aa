package io.gen4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Maps data to a latent space and back: the contract a VAE or VQ-VAE offers and latent diffusion
 * consumes.
 *
 * <p>{@code decode(encode(x))} is a reconstruction, not necessarily {@code x}. {@link #encode} is
 * deterministic (the posterior mean, or the nearest code); stochastic encoders expose sampling
 * separately.
 */
public interface LatentCodec {

    /**
     * @param x data, shape (N, ...)
     * @return latents, shape (N, latentShape...)
     */
    NDArray encode(NDArray x);

    /**
     * @param z latents, shape (N, latentShape...)
     * @return data-space reconstructions
     */
    NDArray decode(NDArray z);

    /** @return the shape of one latent, without the batch axis */
    Shape latentShape();
}
