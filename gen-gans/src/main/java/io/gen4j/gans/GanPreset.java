package io.gen4j.gans;

import io.gen4j.core.train.EmaConfig;
import java.util.Objects;

/**
 * A GAN and how to train it: the settings that the course's topics 11-03 and 11-04 measured at their
 * CPU profile, so that code outside the CLI gets what the topics report (docs/topics/11-03-gans.md has
 * the figures and a complete snippet). {@link GanSpec#dcgan} and {@link GanTraining#builder} are
 * starting points for your own sizes; these are tuned.
 *
 * <pre>{@code
 * GanPreset preset = GanPreset.dcganFashionMnist();
 * GanModel model = GanModel.create(preset.spec(), manager);
 * GanTraining.Step step = preset.training().step(model);
 * }</pre>
 *
 * @param spec both networks, the conditioning and the data shape
 * @param training steps, batch size, loss, penalty, n_critic, learning rates, betas, EMA
 */
public record GanPreset(GanSpec spec, GanRecipe training) {

    private static final int DCGAN_LATENT = 64;
    private static final int DCGAN_WIDTH = 16;
    private static final int DCGAN_STEPS = 1200;
    private static final int CONDITIONAL_STEPS = 1200;

    /** Validates the parts. */
    public GanPreset {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(training, "training");
    }

    /**
     * Topic 11-03's game on the 8-Gaussians ring (and its spectral-norm fix): MLP generator and
     * discriminator with 2 hidden layers of 128 units, latent 2, every discriminator layer spectrally
     * normalised; non-saturating loss, both learning rates 5e-4, β = (0.5, 0.999); 1500 steps of 256
     * points.
     *
     * @return the preset
     */
    public static GanPreset ring2d() {
        return new GanPreset(GanSpec.mlp(2, 128, 2, 2).withSpectralNorm(true),
                GanRecipe.dcgan(1500, 256, 5e-4));
    }

    /**
     * Topic 11-03's WGAN-GP fix on the ring: the same MLPs without spectral norm, the Wasserstein loss
     * with a gradient penalty of λ = 1, 5 critic updates per generator update, both learning rates 5e-4,
     * β = (0.5, 0.9); 3000 steps of 256 points (600 generator updates).
     *
     * @return the preset
     */
    public static GanPreset ring2dWganGp() {
        return new GanPreset(GanSpec.mlp(2, 128, 2, 2), GanRecipe.dcgan(3000, 256, 5e-4)
                .withLoss(GanLoss.wasserstein(), new GradientPenalty(1)).withCriticSteps(5).withBetas(0.5, 0.9));
    }

    /**
     * Topic 11-03's DCGAN on 28×28 grey images in [−1, 1] (FashionMNIST) with the non-saturating loss:
     * latent 64, generator z → dense → 32×7×7 → two transposed convolutions 4×4 stride 2 (32 → 16 → 1
     * channels) with BatchNorm and ReLU → tanh, discriminator two stride-2 convolutions (16, 32 filters)
     * with LeakyReLU(0.2) → dense; both learning rates 2e-4, β = (0.5, 0.999), an EMA of the generator
     * (decay 0.999 with warm-up); 1200 steps of 64 images, about 1.3 epochs of FashionMNIST (a study
     * of the budget found the number of steps, not BatchNorm's mode or the EMA, limits quality at this
     * size: docs/results.md has what it reaches); train longer with {@code
     * preset.withTraining(preset.training().withSteps(n))}.
     *
     * @return the preset
     */
    public static GanPreset dcganFashionMnist() {
        return new GanPreset(dcgan28(), dcganRecipe());
    }

    /**
     * {@link #dcganFashionMnist()} with the hinge loss and a spectrally normalised discriminator.
     *
     * @return the preset
     */
    public static GanPreset dcganFashionMnistHingeSpectralNorm() {
        return new GanPreset(dcgan28().withSpectralNorm(true), dcganRecipe().withLoss(GanLoss.hinge(), null));
    }

    /**
     * {@link #dcganFashionMnist()} with the Wasserstein loss and the gradient penalty (λ = 10), β =
     * (0, 0.9) as in Gulrajani et al., n_critic 1 (the budget's choice; the paper uses 5).
     *
     * @return the preset
     */
    public static GanPreset dcganFashionMnistWganGp() {
        return new GanPreset(dcgan28(), dcganRecipe().withLoss(GanLoss.wasserstein(), GradientPenalty.defaults())
                .withBetas(0, 0.9));
    }

    /**
     * Topic 11-04's class-conditional DCGAN on 28×28 grey images with 10 classes: {@link
     * #dcganFashionMnist()}'s networks and training, 1200 steps of 64, with the labels entering as {@code
     * how} says.
     *
     * @param how {@link Conditioning#CONCAT} (label embedding concatenated to G's and D's inputs) or
     *     {@link Conditioning#PROJECTION} (projection discriminator)
     * @return the preset
     */
    public static GanPreset conditionalFashionMnist(Conditioning how) {
        if (how == Conditioning.NONE) {
            throw new IllegalArgumentException("a conditional preset needs CONCAT or PROJECTION, got " + how);
        }
        return new GanPreset(dcgan28().withConditioning(how, 10), dcganRecipe().withSteps(CONDITIONAL_STEPS));
    }

    /**
     * Topic 11-10's comparison ({@code gen4j compare}, cpu profile) on 28×28 grey images in [−1, 1]: the
     * DCGAN with latent 64 and 32 base channels (twice {@link #dcganFashionMnist()}'s width), the
     * non-saturating loss, both learning rates 2e-4, β = (0.5, 0.999), a generator EMA (0.999 with
     * warm-up); 1500 steps of 64. One of the comparison's equal small budgets; a GAN has no likelihood,
     * so the comparison reports its sample metrics only.
     *
     * @return the preset
     */
    public static GanPreset comparison28() {
        return new GanPreset(GanSpec.dcgan(64, 32, 2, 1, 28, 28), comparisonRecipe(1500));
    }

    /**
     * {@link #comparison28()} at the comparison's gpu profile: latent 128, 64 base channels, 30,000 steps.
     *
     * @return the preset
     */
    public static GanPreset comparison28Long() {
        return new GanPreset(GanSpec.dcgan(128, 64, 2, 1, 28, 28), comparisonRecipe(30_000));
    }

    private static GanRecipe comparisonRecipe(long steps) {
        return GanRecipe.dcgan(steps, 64, 2e-4).withEma(new EmaConfig(0.999, true));
    }

    private static GanSpec dcgan28() {
        return GanSpec.dcgan(DCGAN_LATENT, DCGAN_WIDTH, 2, 1, 28, 28);
    }

    private static GanRecipe dcganRecipe() {
        return GanRecipe.dcgan(DCGAN_STEPS, 64, 2e-4).withEma(new EmaConfig(0.999, true));
    }

    /**
     * @param newSpec other networks (e.g. wider, or for 32×32 images)
     * @return a copy with that spec
     */
    public GanPreset withSpec(GanSpec newSpec) {
        return new GanPreset(newSpec, training);
    }

    /**
     * @param recipe another training
     * @return a copy with that training
     */
    public GanPreset withTraining(GanRecipe recipe) {
        return new GanPreset(spec, recipe);
    }
}
