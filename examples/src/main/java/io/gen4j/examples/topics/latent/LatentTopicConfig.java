package io.gen4j.examples.topics.latent;

import io.gen4j.core.nn.UNetConfig;
import io.gen4j.examples.topics.Profile;

/**
 * The sizes of a topic 11-06 run (written into config.json).
 *
 * @param vaeWidth width c of the KL autoencoder
 * @param latentChannels c_z
 * @param klWeight β
 * @param vaeSteps autoencoder training steps
 * @param vaeBatch its batch
 * @param scaleImages training images the latent scale is estimated on
 * @param latentImages training images encoded once for latent diffusion
 * @param unet the latent U-Net (image channels = c_z; contextDim = text width)
 * @param textWidth text encoder width D
 * @param textDepth its layers
 * @param textHeads its heads
 * @param diffusionSteps T
 * @param ldmSteps latent diffusion training steps
 * @param batch diffusion batch (latent and pixel)
 * @param learningRate peak AdamW learning rate
 * @param emaDecay EMA decay
 * @param conditionDropout p_uncond
 * @param guidanceScale w for the prompted grids and the FIDs
 * @param samplerSteps DDIM steps
 * @param samplesPerPrompt columns of the prompted grid
 * @param fidSamples samples per FID
 * @param benchSteps timed steps of the cost table
 * @param clipSteps training steps of the in-project CLIP
 * @param clipSamples generated images whose CLIP score is measured
 * @param pixelSampleBatch images per sampler call of the pixel model of the comparison (its guided
 *     batch is twice that): its cost per image grows with the batch on a CPU, see {@code
 *     LatentDiffusionTopic}
 */
public record LatentTopicConfig(int vaeWidth, int latentChannels, double klWeight, int vaeSteps, int vaeBatch,
        int scaleImages, int latentImages, UNetConfig unet, int textWidth, int textDepth, int textHeads,
        int diffusionSteps, int ldmSteps, int batch, double learningRate, double emaDecay, double conditionDropout,
        double guidanceScale, int samplerSteps, int samplesPerPrompt, int fidSamples, int benchSteps, int clipSteps,
        int clipSamples, int pixelSampleBatch) {

    /**
     * @param profile the profile
     * @return its sizes
     */
    public static LatentTopicConfig forProfile(Profile profile) {
        return switch (profile) {
            case SMOKE -> new LatentTopicConfig(16, 4, 1e-4, 4, 8, 32, 32, unet(16, 4, 16), 16, 1, 2,
                    100, 4, 4, 1e-3, 0.9, 0.1, 3.0, 3, 1, 4, 1, 3, 8, 4);
            case GPU -> new LatentTopicConfig(64, 4, 1e-4, 20_000, 64, 10_000, 60_000, unet(128, 32, 256), 256, 4, 8,
                    1000, 100_000, 128, 2e-4, 0.9999, 0.1, 3.0, 50, 8, 5000, 20, 10_000, 1000, 64);
            // sized for 20 min on 2 cores (measured per phase, docs/topics/11-06-latent-diffusion.md): the
            // pixel model trains for the latent model's wall time and costs ~17x per image to sample, so
            // the FID and the grids use DDIM 20 steps and 100 samples; the pixel model samples 16 images per
            // call (at 64 its per-image cost was 6x that at 16: 2026-12-02 cpu run)
            default -> new LatentTopicConfig(32, 4, 1e-4, 800, 32, 2048, 20_000, unet(64, 8, 64), 64, 2, 4,
                    1000, 1200, 64, 1e-3, 0.995, 0.1, 3.0, 20, 4, 100, 5, 400, 200, 16);
        };
    }

    /**
     * @param steps diffusion training steps
     * @return this configuration with that many (the pixel model of the comparison)
     */
    public LatentTopicConfig withSteps(long steps) {
        return new LatentTopicConfig(vaeWidth, latentChannels, klWeight, vaeSteps, vaeBatch, scaleImages, latentImages,
                unet, textWidth, textDepth, textHeads, diffusionSteps, Math.toIntExact(steps), batch, learningRate,
                emaDecay, conditionDropout, guidanceScale, samplerSteps, samplesPerPrompt, fidSamples, benchSteps,
                clipSteps, clipSamples, pixelSampleBatch);
    }

    /**
     * A two-level latent U-Net with spatial transformers at the lower level and in the middle (the
     * pixel model of the comparison has the same configuration: its transformers then work at 16×16,
     * attention at 32×32 would need a 1024×1024 score matrix per head and image).
     */
    private static UNetConfig unet(int base, int groups, int context) {
        return UNetConfig.builder().setImageChannels(4).optBaseChannels(base).optChannelMultipliers(1, 2)
                .optAttentionLevels(1).optHeads(4).optGroups(groups).optContextDim(context).build();
    }
}
