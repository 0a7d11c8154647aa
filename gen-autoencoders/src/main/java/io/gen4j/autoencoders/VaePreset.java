package io.gen4j.autoencoders;

import io.gen4j.core.data.PixelRange;
import io.gen4j.core.model.DataSpec;
import io.gen4j.core.train.TrainingRecipe;
import java.util.Objects;

/**
 * A VAE and how to train it: the settings of the VAEs of the course's topic 11-02 (the main VAE, the 2-D
 * VAE, the three posterior-collapse VAEs and the σ-VAE) and of the VAE that topic 11-08 compares with its
 * flow and that {@code gen4j compare} puts next to the other families, so that code outside the CLI
 * gets what the topics measured (docs/topics/11-02-vae.md has the
 * figures and a complete snippet). {@link VaeConfig#defaults(int)} is a starting point for your own
 * sizes; these are tuned.
 *
 * <p>Topic 11-02 trains its Bernoulli VAEs on dynamically binarised images: every training batch of
 * intensities in [0, 1] is replaced by a fresh Bernoulli draw {@code x ~ Bernoulli(intensity)} before the
 * loss, so that the Bernoulli decoder's likelihood is a proper NLL in nats; the snippet of the doc shows
 * the one line. Its σ-VAE trains on the grey levels themselves, and 11-08's VAE on dequantized pixels.
 *
 * @param spec encoder, decoder, latent size, decoder likelihood, KL schedule and data shape
 * @param training steps, batch, learning rate (constant, except the cosine decays of {@link
 *     #dequantized28()} and {@link #comparison28()})
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

    /**
     * Topic 11-02's 2-D VAE, whose latent space is drawn directly (posterior means and the decoder on a grid
     * of z): {@link #binarized28()} with 2 latent dimensions, the KL warmed up over the first 250 updates;
     * 2500 Adam updates of 128 at a constant 1e-3 on binarised images. The topic measured −ELBO 272.0 and
     * IWAE NLL 270.7 nats per image on binarised Fashion-MNIST.
     *
     * @return the preset
     */
    public static VaePreset latent2d28() {
        return study(256, 2, 2500, 128, new KlSchedule(1, 250, 0), DecoderLikelihood.BERNOULLI, 1.0);
    }

    /**
     * The same at the topic's GPU profile: 512 hidden units, 8000 updates of 256, warm-up 800.
     *
     * @return the preset
     */
    public static VaePreset latent2d28Long() {
        return study(512, 2, 8000, 256, new KlSchedule(1, 800, 0), DecoderLikelihood.BERNOULLI, 1.0);
    }

    /**
     * Topic 11-02's posterior-collapse example: {@link #binarized28()}'s networks and 16 latent dimensions
     * with the KL weighted by β = 8 from the first update; 2500 updates of 128 at 1e-3. The topic measured
     * 5 of 16 active units, KL 4.02 and reconstruction 264.4 nats: most dimensions are the prior.
     *
     * @return the preset
     */
    public static VaePreset beta8Collapse28() {
        return study(256, 16, 2500, 128, new KlSchedule(8, 0, 0), DecoderLikelihood.BERNOULLI, 1.0);
    }

    /**
     * {@link #beta8Collapse28()} at the topic's GPU profile: 512 hidden units, 32 latent dimensions, 8000
     * updates of 256.
     *
     * @return the preset
     */
    public static VaePreset beta8Collapse28Long() {
        return study(512, 32, 8000, 256, new KlSchedule(8, 0, 0), DecoderLikelihood.BERNOULLI, 1.0);
    }

    /**
     * The first fix of {@link #beta8Collapse28()}: the same with free bits λ = 0.5 nats per dimension. The
     * topic measured 16 of 16 active units, KL 7.55 and reconstruction 258.9 nats.
     *
     * @return the preset
     */
    public static VaePreset beta8FreeBits28() {
        return study(256, 16, 2500, 128, new KlSchedule(8, 0, 0.5), DecoderLikelihood.BERNOULLI, 1.0);
    }

    /**
     * {@link #beta8FreeBits28()} at the topic's GPU profile: 512 hidden units, 32 latent dimensions, 8000
     * updates of 256.
     *
     * @return the preset
     */
    public static VaePreset beta8FreeBits28Long() {
        return study(512, 32, 8000, 256, new KlSchedule(8, 0, 0.5), DecoderLikelihood.BERNOULLI, 1.0);
    }

    /**
     * The second fix of {@link #beta8Collapse28()}: β = 1 with the KL weight warmed up over the first third
     * of the training (833 of 2500 updates). The topic measured 16 of 16 active units, KL 18.7 and
     * reconstruction 228.2 nats.
     *
     * @return the preset
     */
    public static VaePreset beta1WarmUp28() {
        return study(256, 16, 2500, 128, new KlSchedule(1, 833, 0), DecoderLikelihood.BERNOULLI, 1.0);
    }

    /**
     * {@link #beta1WarmUp28()} at the topic's GPU profile: 512 hidden units, 32 latent dimensions, 8000
     * updates of 256, warm-up 2666.
     *
     * @return the preset
     */
    public static VaePreset beta1WarmUp28Long() {
        return study(512, 32, 8000, 256, new KlSchedule(1, 2666, 0), DecoderLikelihood.BERNOULLI, 1.0);
    }

    /**
     * Topic 11-02's σ-VAE, for grey-level (not binarised) 28×28 images in [0, 1]: {@link #binarized28()}'s
     * networks and 16 latent dimensions with a Gaussian decoder p(x | z) = N(μ(z), σ²I) whose one log σ is
     * learned from σ = 1 ({@link DecoderLikelihood#GAUSSIAN_LEARNED}), the KL warmed up over the first 250
     * updates; 2500 updates of 128 at 1e-3. The topic measured σ falling to 0.135 and a test −ELBO of −494.4
     * nats per image (a density on [0, 1]^784).
     *
     * @return the preset
     */
    public static VaePreset gaussianLearned28() {
        return study(256, 16, 2500, 128, new KlSchedule(1, 250, 0), DecoderLikelihood.GAUSSIAN_LEARNED, 1.0);
    }

    /**
     * {@link #gaussianLearned28()} at the topic's GPU profile: 512 hidden units, 32 latent dimensions, 8000
     * updates of 256, warm-up 800.
     *
     * @return the preset
     */
    public static VaePreset gaussianLearned28Long() {
        return study(512, 32, 8000, 256, new KlSchedule(1, 800, 0), DecoderLikelihood.GAUSSIAN_LEARNED, 1.0);
    }

    private static VaePreset study(int hidden, int latent, int steps, int batch, KlSchedule kl,
            DecoderLikelihood likelihood, double sigma) {
        VaeConfig config = VaeConfig.defaults(latent).withLikelihood(likelihood, sigma).withKl(kl);
        return new VaePreset(new VaeSpec(NetworkSpec.mlp(hidden), NetworkSpec.mlp(hidden), config,
                DataSpec.image(1, 28, 28, PixelRange.ZERO_ONE)), TrainingRecipe.of(steps, batch, 1e-3, 1e-3, 0, 0));
    }

    /**
     * Topic 11-08's VAE, the flow's comparison on the same uniformly dequantized pixels y = (k + u)/256 of
     * 28×28 grey images: MLP encoder and decoder with one hidden layer of 512 units, 32 latent dimensions, a
     * Gaussian decoder with one learned σ starting at 0.1, β = 1 from the first update (no warm-up); 2000
     * Adam updates of 64 at 1e-3 with a cosine decay to 5 % (5e-5). Its ELBO and IWAE bound are bounds on
     * the same discrete log-likelihood the flow computes exactly; docs/topics/11-08-normalizing-flows.md has
     * both in bits/dim.
     *
     * @return the preset
     */
    public static VaePreset dequantized28() {
        return dequantized(2000, 64);
    }

    /**
     * {@link #dequantized28()} at the topic's GPU profile: 30,000 updates of 128.
     *
     * @return the preset
     */
    public static VaePreset dequantized28Long() {
        return dequantized(30_000, 128);
    }

    /**
     * The VAE of {@code gen4j compare} (the model comparison of topic 11-10), on binary 28×28 images (the
     * comparison binarises FashionMNIST once, pixel values at 128 and above to 1): MLP encoder and decoder with one hidden layer of 512
     * units, 32 latent dimensions, a Bernoulli decoder, β = 1 from the first update; 1500 Adam updates of 64
     * at 1e-3 with a cosine decay to 5 % (5e-5). The comparison measured an IWAE NLL (K = 64) of 142.7 nats
     * per image and FID 102.36 (blurred samples, recall 0); docs/topics/11-10-autoregressive.md.
     *
     * @return the preset
     */
    public static VaePreset comparison28() {
        return comparison(512, 32, 1500);
    }

    /**
     * {@link #comparison28()} at the comparison's GPU profile: 1024 hidden units, 64 latent dimensions,
     * 30,000 updates of 64.
     *
     * @return the preset
     */
    public static VaePreset comparison28Long() {
        return comparison(1024, 64, 30_000);
    }

    private static VaePreset comparison(int hidden, int latent, int steps) {
        double lr = 1e-3;
        return new VaePreset(new VaeSpec(NetworkSpec.mlp(hidden), NetworkSpec.mlp(hidden), VaeConfig.defaults(latent),
                DataSpec.image(1, 28, 28, PixelRange.ZERO_ONE)), TrainingRecipe.of(steps, 64, lr, lr * 0.05, 0, 0));
    }

    private static VaePreset dequantized(int steps, int batch) {
        double lr = 1e-3;
        VaeConfig config = VaeConfig.defaults(32).withLikelihood(DecoderLikelihood.GAUSSIAN_LEARNED, 0.1);
        return new VaePreset(new VaeSpec(NetworkSpec.mlp(512), NetworkSpec.mlp(512), config,
                DataSpec.image(1, 28, 28, PixelRange.ZERO_ONE)), TrainingRecipe.of(steps, batch, lr, lr * 0.05, 0, 0));
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
