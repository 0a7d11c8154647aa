package io.gen4j.autoencoders;

import io.gen4j.core.data.PixelRange;
import io.gen4j.core.model.DataSpec;
import io.gen4j.core.nn.Activation;
import io.gen4j.core.train.TrainingRecipe;
import java.util.Objects;

/**
 * A deterministic autoencoder and how to train it: the plain, denoising and sparse autoencoders of the
 * course's topic 11-01 at its CPU profile, so that code outside the CLI gets what the topic measured
 * (docs/topics/11-01-autoencoders.md has the figures and a complete snippet).
 *
 * <p>All are MLPs on 28×28 grey images in [0, 1] with a Bernoulli (BCE-with-logits) reconstruction loss,
 * trained with Adam at a constant 1e-3 (the recipe's peak and final rates are equal), batches of 128, no
 * clipping.
 *
 * @param spec encoder, decoder, code size, loss, corruption, sparsity and data shape
 * @param training steps, batch, learning rate
 */
public record AutoencoderPreset(AutoencoderSpec spec, TrainingRecipe training) {

    /** Validates the parts. */
    public AutoencoderPreset {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(training, "training");
    }

    /**
     * Topic 11-01's plain autoencoder: MLP encoder and decoder with one hidden layer of 256 units, a
     * 32-number code; 2000 updates.
     *
     * @return the preset
     */
    public static AutoencoderPreset plain28() {
        return of(32, 2000);
    }

    /**
     * Topic 11-01's denoising autoencoder: {@link #plain28()} trained to reconstruct the clean image from a
     * corrupted one; the topic trains one per corruption: {@code new Corruption.Gaussian(0.5)}, {@code new
     * Corruption.Masking(0.5)} and {@code Corruption.SaltAndPepper.unit(0.2)}.
     *
     * @param corruption what is done to the input during training
     * @return the preset
     */
    public static AutoencoderPreset denoising28(Corruption corruption) {
        AutoencoderPreset p = plain28();
        return new AutoencoderPreset(p.spec().withCorruption(corruption), p.training());
    }

    /**
     * Topic 11-01's sparse autoencoder: 64 sigmoid code units with the KL sparsity penalty towards a mean
     * activation ρ = 0.05 at weight 3; 1000 updates.
     *
     * @return the preset
     */
    public static AutoencoderPreset sparse28() {
        AutoencoderPreset p = of(64, 1000);
        return new AutoencoderPreset(p.spec().withSparsity(new SparsityPenalty.KlDivergence(0.05, 3.0),
                Activation.SIGMOID), p.training());
    }

    private static AutoencoderPreset of(int code, long steps) {
        NetworkSpec mlp = NetworkSpec.mlp(256);
        return new AutoencoderPreset(AutoencoderSpec.plain(mlp, mlp, code, ReconstructionLoss.BCE_WITH_LOGITS,
                DataSpec.image(1, 28, 28, PixelRange.ZERO_ONE)), TrainingRecipe.of(steps, 128, 1e-3, 1e-3, 0, 0));
    }

    /**
     * @param recipe another training recipe
     * @return a copy with that recipe
     */
    public AutoencoderPreset withTraining(TrainingRecipe recipe) {
        return new AutoencoderPreset(spec, recipe);
    }
}
