package io.gen4j.gans;

import ai.djl.ndarray.NDArray;

/**
 * The non-saturating GAN loss (Goodfellow et al. 2014, §3): the discriminator's loss of the minimax
 * game, and a generator that maximises {@code log D(G(z))} instead of minimising {@code log(1 −
 * D(G(z)))}.
 *
 * <pre>
 *   L_D = E[softplus(−s_r)] + E[softplus(s_f)]
 *   L_G = E[−log σ(s_f)] = E[softplus(−s_f)]
 * </pre>
 *
 * Same fixed point as {@link MinimaxLoss}, but {@code ∂L_G/∂s_f = −σ(−s_f) → −1} when D rejects
 * the samples, so the generator still learns early in training. The default of DCGAN and StyleGAN
 * (with {@link R1Penalty}).
 */
public record NonSaturatingLoss() implements GanLoss {

    @Override
    public NDArray discriminatorLoss(NDArray realScores, NDArray fakeScores) {
        return GanLoss.softplus(realScores.neg()).mean().add(GanLoss.softplus(fakeScores).mean());
    }

    @Override
    public NDArray generatorLoss(NDArray fakeScores) {
        return GanLoss.softplus(fakeScores.neg()).mean();
    }

    @Override
    public String name() {
        return "non-saturating";
    }
}
