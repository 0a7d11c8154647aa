package io.gen4j.examples.topics.latent;

import io.gen4j.core.nn.UNetConfig;
import io.gen4j.diffusion.latent.LatentDiffusionPreset;
import io.gen4j.examples.topics.Profile;

/**
 * The sizes of a topic 11-06 run (written into config.json): the models and their training are gen-diffusion's
 * public {@link LatentDiffusionPreset} ({@link LatentDiffusionPreset#textToImage32()} at the cpu profile,
 * {@link LatentDiffusionPreset#textToImage32Long()} at the gpu profile); the rest is what this topic's run
 * measures and draws. The accessors below read the preset.
 *
 * @param preset the autoencoder, the latent diffusion model, the text encoder and the CLIP, and their training
 * @param samplesPerPrompt columns of the prompted grid
 * @param fidSamples samples per FID
 * @param benchSteps timed steps of the cost table
 * @param clipSamples generated images whose CLIP score is measured
 * @param pixelSampleBatch images per sampler call of the pixel model of the comparison (its guided
 *     batch is twice that): its cost per image grows with the batch on a CPU, see {@code
 *     LatentDiffusionTopic}
 */
public record LatentTopicConfig(LatentDiffusionPreset preset, int samplesPerPrompt, int fidSamples, int benchSteps,
        int clipSamples, int pixelSampleBatch) {

    /**
     * @param profile the profile
     * @return its sizes
     */
    public static LatentTopicConfig forProfile(Profile profile) {
        return switch (profile) {
            case SMOKE -> new LatentTopicConfig(new LatentDiffusionPreset(new LatentDiffusionPreset.Autoencoder(4, 16,
                    1e-4, LatentDiffusionPreset.autoencoderRecipe(4, 8), 32, 32),
                    LatentDiffusionPreset.latentUnet(16, 4, 16), new LatentDiffusionPreset.Text(16, 1, 2), 100,
                    LatentDiffusionPreset.recipe(4, 4, 1e-3), 0.9, 0.1, 3.0, 3, LatentDiffusionPreset.Clip.of(3, 4)),
                    1, 4, 1, 8, 4);
            case GPU -> new LatentTopicConfig(LatentDiffusionPreset.textToImage32Long(), 8, 5000, 20, 1000, 64);
            // sized for 20 min on 2 cores (measured per phase, docs/topics/11-06-latent-diffusion.md): the
            // pixel model trains for the latent model's wall time and costs ~17x per image to sample, so
            // the FID and the grids use DDIM 20 steps and 100 samples; the pixel model samples 16 images per
            // call (at 64 its per-image cost was 6x that at 16: 2026-12-02 cpu run)
            default -> new LatentTopicConfig(LatentDiffusionPreset.textToImage32(), 4, 100, 5, 200, 16);
        };
    }

    /**
     * @param steps diffusion training steps
     * @return this configuration with that many (the pixel model of the comparison)
     */
    public LatentTopicConfig withSteps(long steps) {
        return new LatentTopicConfig(preset.withTrainingSteps(steps), samplesPerPrompt, fidSamples, benchSteps,
                clipSamples, pixelSampleBatch);
    }

    /** @return width c of the KL autoencoder */
    public int vaeWidth() {
        return preset.autoencoder().width();
    }

    /** @return c_z */
    public int latentChannels() {
        return preset.autoencoder().latentChannels();
    }

    /** @return β */
    public double klWeight() {
        return preset.autoencoder().klWeight();
    }

    /** @return autoencoder training steps */
    public int vaeSteps() {
        return Math.toIntExact(preset.autoencoder().training().steps());
    }

    /** @return the autoencoder's batch */
    public int vaeBatch() {
        return preset.autoencoder().training().batchSize();
    }

    /** @return training images the latent scale is estimated on */
    public int scaleImages() {
        return preset.autoencoder().scaleImages();
    }

    /** @return training images encoded once for latent diffusion */
    public int latentImages() {
        return preset.autoencoder().encodedImages();
    }

    /** @return the latent U-Net (image channels = c_z; contextDim = text width) */
    public UNetConfig unet() {
        return preset.unet();
    }

    /** @return T */
    public int diffusionSteps() {
        return preset.diffusionSteps();
    }

    /** @return latent diffusion training steps */
    public int ldmSteps() {
        return Math.toIntExact(preset.training().steps());
    }

    /** @return diffusion batch (latent and pixel) */
    public int batch() {
        return preset.training().batchSize();
    }

    /** @return w for the prompted grids and the FIDs */
    public double guidanceScale() {
        return preset.guidanceScale();
    }

    /** @return DDIM steps */
    public int samplerSteps() {
        return preset.samplerSteps();
    }

    /** @return training steps of the in-project CLIP */
    public int clipSteps() {
        return Math.toIntExact(preset.clip().training().steps());
    }
}
