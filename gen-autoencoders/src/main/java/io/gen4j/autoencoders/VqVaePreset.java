package io.gen4j.autoencoders;

import io.gen4j.core.data.PixelRange;
import io.gen4j.core.model.DataSpec;
import io.gen4j.core.train.TrainingRecipe;
import java.util.Objects;

/**
 * A VQ-VAE and how to train it: the VQ-VAE of the course's topic 11-02 (section on discrete latents), so
 * that code outside the CLI gets what the topic measured (docs/topics/11-02-vae.md). The topic trains it,
 * like the VAE, on dynamically binarised images.
 *
 * @param spec encoder, decoder, quantizer, loss and data shape
 * @param training steps, batch, learning rate (constant: the peak and the final rate are equal)
 */
public record VqVaePreset(VqVaeSpec spec, TrainingRecipe training) {

    /** Validates the parts. */
    public VqVaePreset {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(training, "training");
    }

    /**
     * Topic 11-02's VQ-VAE at the CPU profile, for 28×28 grey images in [0, 1]: convolutional encoder and
     * decoder of 16 feature channels, a codebook of 64 codes of 16 numbers with {@link
     * VectorQuantizerConfig#defaults(int, int)} (EMA updates, dead-code restarts), a Bernoulli
     * (BCE-with-logits) reconstruction; 800 Adam updates of 128 images at a constant 2e-3.
     *
     * @return the preset
     */
    public static VqVaePreset binarized28() {
        return of(800, 128);
    }

    /**
     * The same at the topic's GPU profile: 4000 updates of 256.
     *
     * @return the preset
     */
    public static VqVaePreset binarized28Long() {
        return of(4000, 256);
    }

    private static VqVaePreset of(int steps, int batch) {
        return new VqVaePreset(new VqVaeSpec(NetworkSpec.convFeature(16), NetworkSpec.convFeature(16),
                VectorQuantizerConfig.defaults(64, 16), ReconstructionLoss.BCE_WITH_LOGITS,
                DataSpec.image(1, 28, 28, PixelRange.ZERO_ONE)), TrainingRecipe.of(steps, batch, 2e-3, 2e-3, 0, 0));
    }

    /**
     * @param recipe another training recipe
     * @return a copy with that recipe
     */
    public VqVaePreset withTraining(TrainingRecipe recipe) {
        return new VqVaePreset(spec, recipe);
    }
}
