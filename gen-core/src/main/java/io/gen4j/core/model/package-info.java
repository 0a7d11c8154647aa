/**
 * The small contracts every gen4j family implements or consumes.
 *
 * <p>A family module depends on these and on nothing from another family: a VAE is a {@link
 * io.gen4j.core.model.LatentCodec} that latent diffusion consumes, a U-Net is a {@link
 * io.gen4j.core.model.Denoiser} that DDPM, score models and flow matching all sample from.
 */
package io.gen4j.core.model;
