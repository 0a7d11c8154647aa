/**
 * Latent diffusion (Rombach et al. 2022): DDPM/DDIM over the latents of a frozen {@link
 * io.gen4j.core.model.LatentCodec}, with a U-Net of spatial transformers conditioned on a text
 * encoder through cross-attention; the model ({@link io.gen4j.diffusion.latent.LatentDiffusionModel},
 * family {@code latent-diffusion}), its objective with conditioning dropout, and a mini Stable
 * Diffusion pipeline ({@link io.gen4j.diffusion.latent.TextToImagePipeline}).
 */
package io.gen4j.diffusion.latent;
