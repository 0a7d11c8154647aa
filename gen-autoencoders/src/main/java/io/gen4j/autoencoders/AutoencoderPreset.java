package io.gen4j.autoencoders;

import io.gen4j.core.data.PixelRange;
import io.gen4j.core.model.DataSpec;
import io.gen4j.core.nn.Activation;
import io.gen4j.core.train.TrainingRecipe;
import java.util.Objects;

/**
 * A deterministic autoencoder and how to train it: the plain, convolutional, 2-D-code, denoising and
 * sparse autoencoders of the course's topic 11-01 at its CPU profile (and, the {@code …Long()} ones, at
 * its GPU profile), so that code outside the CLI gets what the topic measured
 * (docs/topics/11-01-autoencoders.md has the figures and a complete snippet).
 *
 * <p>All but {@link #conv28()} are MLPs; all work on 28×28 grey images in [0, 1] with a Bernoulli
 * (BCE-with-logits) reconstruction loss and are trained with Adam at a constant 1e-3 (the recipe's peak and
 * final rates are equal), batches of 128 (256 for the GPU-profile ones), no clipping.
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

    /**
     * {@link #plain28()} at the topic's GPU profile: 512 hidden units, 8000 updates of 256.
     *
     * @return the preset
     */
    public static AutoencoderPreset plain28Long() {
        return mlp(512, 32, 8000, 256);
    }

    /**
     * {@link #denoising28(Corruption)} at the topic's GPU profile: {@link #plain28Long()} trained on
     * corrupted inputs.
     *
     * @param corruption what is done to the input during training
     * @return the preset
     */
    public static AutoencoderPreset denoising28Long(Corruption corruption) {
        AutoencoderPreset p = plain28Long();
        return new AutoencoderPreset(p.spec().withCorruption(corruption), p.training());
    }

    /**
     * {@link #sparse28()} at the topic's GPU profile: 512 hidden units, 4000 updates of 256.
     *
     * @return the preset
     */
    public static AutoencoderPreset sparse28Long() {
        AutoencoderPreset p = mlp(512, 64, 4000, 256);
        return new AutoencoderPreset(p.spec().withSparsity(new SparsityPenalty.KlDivergence(0.05, 3.0),
                Activation.SIGMOID), p.training());
    }

    /**
     * Topic 11-01's convolutional autoencoder at the CPU profile: {@link NetworkSpec#conv(int)} encoder and
     * decoder whose first layer has 16 channels, a 32-number code, the BCE loss; 500 updates of 128 at a
     * constant 1e-3. The topic puts its reconstructions next to the MLP's ({@link #plain28()}) with 4× fewer
     * updates and measured a test BCE of 228.3 nats per image (MSE per pixel 0.0158) on Fashion-MNIST,
     * against the MLP's 220.4 (0.0120); it is still improving at the end.
     *
     * @return the preset
     */
    public static AutoencoderPreset conv28() {
        return conv(16, 500, 128);
    }

    /**
     * The same at the topic's GPU profile: 32 first-layer channels, 4000 updates of 256.
     *
     * @return the preset
     */
    public static AutoencoderPreset conv28Long() {
        return conv(32, 4000, 256);
    }

    /**
     * Topic 11-01's autoencoder with a 2-D code, drawn directly as a scatter coloured by class: {@link
     * #plain28()} with a code of 2 numbers (MLP of 256 hidden units, BCE, 2000 updates of 128 at 1e-3). The
     * topic measured a test BCE of 259.9 nats per image on Fashion-MNIST and shows that the classes form
     * regions but the code space is neither dense nor Gaussian (the 2-D VAE, {@link VaePreset#latent2d28()},
     * is the contrast).
     *
     * @return the preset
     */
    public static AutoencoderPreset code2d28() {
        return of(2, 2000);
    }

    /**
     * The same at the topic's GPU profile: 512 hidden units, 8000 updates of 256.
     *
     * @return the preset
     */
    public static AutoencoderPreset code2d28Long() {
        return mlp(512, 2, 8000, 256);
    }

    private static AutoencoderPreset mlp(int hidden, int code, long steps, int batch) {
        NetworkSpec mlp = NetworkSpec.mlp(hidden);
        return new AutoencoderPreset(AutoencoderSpec.plain(mlp, mlp, code, ReconstructionLoss.BCE_WITH_LOGITS,
                DataSpec.image(1, 28, 28, PixelRange.ZERO_ONE)), TrainingRecipe.of(steps, batch, 1e-3, 1e-3, 0, 0));
    }

    private static AutoencoderPreset conv(int channels, long steps, int batch) {
        NetworkSpec conv = NetworkSpec.conv(channels);
        return new AutoencoderPreset(AutoencoderSpec.plain(conv, conv, 32, ReconstructionLoss.BCE_WITH_LOGITS,
                DataSpec.image(1, 28, 28, PixelRange.ZERO_ONE)), TrainingRecipe.of(steps, batch, 1e-3, 1e-3, 0, 0));
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
