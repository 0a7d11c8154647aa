package io.gen4j.autoencoders;

import io.gen4j.core.data.PixelRange;
import io.gen4j.core.model.DataSpec;
import io.gen4j.core.train.TrainingRecipe;
import java.util.Objects;

/**
 * A VAE and how to train it: the settings of the main VAE of the course's topic 11-02, so that code
 * outside the CLI gets what the topic measured (docs/topics/11-02-vae.md has the figures and a complete
 * snippet). {@link VaeConfig#defaults(int)} is a starting point for your own sizes; these are tuned.
 *
 * <p>The topic trains on dynamically binarised images: every training batch of intensities in [0, 1] is
 * replaced by a fresh Bernoulli draw {@code x ~ Bernoulli(intensity)} before the loss, so that the
 * Bernoulli decoder's likelihood is a proper NLL in nats; the snippet of the doc shows the one line.
 *
 * @param spec encoder, decoder, latent size, decoder likelihood, KL schedule and data shape
 * @param training steps, batch, learning rate (constant: the peak and the final rate are equal)
 */
public record VaePreset(VaeSpec spec, TrainingRecipe training) {

    /** Validates the parts. */
    public VaePreset {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(training, "training");
    }

    /**
     * Topic 11-02's main VAE at the CPU profile, for 28×28 grey images (FashionMNIST, MNIST) in [0, 1]:
     * MLP encoder and decoder with one hidden layer of 256 units, 16 latent dimensions, a Bernoulli
     * decoder, the KL weight warmed up linearly from 0 to 1 over the first 600 updates, 64 importance
     * samples for {@code logLikelihood}; 6000 Adam updates of 128 images at a constant 1e-3.
     *
     * @return the preset
     */
    public static VaePreset binarized28() {
        return mlp(256, 16, 6000, 128);
    }

    /**
     * The same at the topic's GPU profile: 512 hidden units, 32 latent dimensions, 20,000 updates of 256.
     *
     * @return the preset
     */
    public static VaePreset binarized28Long() {
        return mlp(512, 32, 20_000, 256);
    }

    private static VaePreset mlp(int hidden, int latent, int steps, int batch) {
        DataSpec pixels = DataSpec.image(1, 28, 28, PixelRange.ZERO_ONE);
        VaeConfig config = VaeConfig.defaults(latent).withKl(new KlSchedule(1, steps / 10, 0));
        return new VaePreset(new VaeSpec(NetworkSpec.mlp(hidden), NetworkSpec.mlp(hidden), config, pixels),
                TrainingRecipe.of(steps, batch, 1e-3, 1e-3, 0, 0));
    }

    /**
     * @param recipe another training recipe (the KL warm-up of {@link #spec()} keeps its length)
     * @return a copy with that recipe
     */
    public VaePreset withTraining(TrainingRecipe recipe) {
        return new VaePreset(spec, recipe);
    }
}
