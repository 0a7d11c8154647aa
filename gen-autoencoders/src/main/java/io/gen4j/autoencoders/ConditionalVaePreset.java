package io.gen4j.autoencoders;

import io.gen4j.core.data.PixelRange;
import io.gen4j.core.model.DataSpec;
import io.gen4j.core.train.TrainingRecipe;
import java.util.Objects;

/**
 * A class-conditional VAE and how to train it: the cVAEs of the course's topics 11-04 and 11-02, so that
 * code outside the CLI gets what the topics measured (docs/topics/11-04-conditional.md,
 * docs/topics/11-02-vae.md).
 *
 * @param spec encoder, decoder, latent size and KL schedule, classes, prior and data shape
 * @param training steps, batch, learning rate (constant: the peak and the final rate are equal)
 */
public record ConditionalVaePreset(ConditionalVaeSpec spec, TrainingRecipe training) {

    /** Validates the parts. */
    public ConditionalVaePreset {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(training, "training");
    }

    /**
     * Topic 11-04's cVAE at the CPU profile, for labelled 28×28 grey images in [0, 1] with 10 classes: MLP
     * encoder and decoder with one hidden layer of 256 units, 16 latent dimensions, the decoder of {@link
     * VaeConfig#defaults(int)}, a learned prior p(z | y), the KL weight warmed up from 0 to 1 over the first
     * 300 updates; 3000 Adam updates of 64 images at a constant 1e-3.
     *
     * @return the preset
     */
    public static ConditionalVaePreset classes28() {
        return of(256, 16, 3000);
    }

    /**
     * The same at the topic's GPU profile: 512 hidden units, 32 latent dimensions, 20,000 updates.
     *
     * @return the preset
     */
    public static ConditionalVaePreset classes28Long() {
        return of(512, 32, 20_000);
    }

    /**
     * Topic 11-02's conditional VAE, trained like its other VAEs on dynamically binarised 28×28 images
     * ({@link VaePreset}): MLP encoder and decoder with one hidden layer of 256 units, 8 latent dimensions
     * (half the main VAE's: the label carries the class), a learned prior p(z | y), 10 classes, the KL warmed
     * up over the first 250 updates; 2500 Adam updates of 128 at a constant 1e-3. The topic measured a test
     * −ELBO(x, y) of 243.1 nats per image on binarised Fashion-MNIST.
     *
     * @return the preset
     */
    public static ConditionalVaePreset binarized28() {
        return of(256, 8, 2500, 128);
    }

    /**
     * {@link #binarized28()} at topic 11-02's GPU profile: 512 hidden units (still 8 latent dimensions),
     * 8000 updates of 256.
     *
     * @return the preset
     */
    public static ConditionalVaePreset binarized28Long() {
        return of(512, 8, 8000, 256);
    }

    private static ConditionalVaePreset of(int hidden, int latent, int steps) {
        return of(hidden, latent, steps, 64);
    }

    private static ConditionalVaePreset of(int hidden, int latent, int steps, int batch) {
        return new ConditionalVaePreset(new ConditionalVaeSpec(NetworkSpec.mlp(hidden), NetworkSpec.mlp(hidden),
                VaeConfig.defaults(latent).withKl(new KlSchedule(1, steps / 10, 0)), 10, ConditionalPrior.LEARNED,
                DataSpec.image(1, 28, 28, PixelRange.ZERO_ONE)), TrainingRecipe.of(steps, batch, 1e-3, 1e-3, 0, 0));
    }

    /**
     * @param classes the number of classes of your data, at least 2
     * @return a copy for that many classes, everything else equal
     */
    public ConditionalVaePreset withClasses(int classes) {
        ConditionalVaeSpec s = spec;
        return new ConditionalVaePreset(new ConditionalVaeSpec(s.encoder(), s.decoder(), s.config(), classes,
                s.prior(), s.data()), training);
    }

    /**
     * @param recipe another training recipe (the KL warm-up of {@link #spec()} keeps its length)
     * @return a copy with that recipe
     */
    public ConditionalVaePreset withTraining(TrainingRecipe recipe) {
        return new ConditionalVaePreset(spec, recipe);
    }
}
