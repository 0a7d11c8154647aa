package io.gen4j.gans;

import ai.djl.ndarray.NDArray;

/**
 * The Wasserstein GAN loss (Arjovsky et al. 2017): by the Kantorovich–Rubinstein duality, {@code
 * W_1(p, q) = sup over 1-Lipschitz f of E_p[f] − E_q[f]}, so the critic maximises {@code E[s_r] −
 * E[s_f]} and the generator minimises {@code −E[s_f]}:
 *
 * <pre>
 *   L_D = E[s_f] − E[s_r]
 *   L_G = −E[s_f]
 * </pre>
 *
 * Meaningless without a Lipschitz constraint on the critic: weight clipping ({@code
 * GanTraining.Builder#optWeightClip}), the {@link GradientPenalty} (WGAN-GP) or {@link
 * SpectralNorm}. {@code −L_D} then estimates W_1 (up to the constant), a loss curve that tracks
 * sample quality.
 */
public record WassersteinLoss() implements GanLoss {

    @Override
    public NDArray discriminatorLoss(NDArray realScores, NDArray fakeScores) {
        return fakeScores.mean().sub(realScores.mean());
    }

    @Override
    public NDArray generatorLoss(NDArray fakeScores) {
        return fakeScores.mean().neg();
    }

    @Override
    public String name() {
        return "wasserstein";
    }
}
