package io.gen4j.gans;

import ai.djl.ndarray.NDArray;

/**
 * The original minimax game of Goodfellow et al. 2014, "Generative Adversarial Nets":
 * {@code min_G max_D E[log D(x)] + E[log(1 − D(G(z)))]} with {@code D = σ(s)}.
 *
 * <pre>
 *   L_D = E[−log σ(s_r)] + E[−log(1 − σ(s_f))] = E[softplus(−s_r)] + E[softplus(s_f)]
 *   L_G = E[log(1 − σ(s_f))]                    = −E[softplus(s_f)]
 * </pre>
 *
 * L_G saturates: when D confidently rejects the samples ({@code s_f → −∞}) its gradient {@code
 * −σ(s_f)} vanishes. Use {@link NonSaturatingLoss} in practice; this one is here to show why.
 */
public record MinimaxLoss() implements GanLoss {

    @Override
    public NDArray discriminatorLoss(NDArray realScores, NDArray fakeScores) {
        return GanLoss.softplus(realScores.neg()).mean().add(GanLoss.softplus(fakeScores).mean());
    }

    @Override
    public NDArray generatorLoss(NDArray fakeScores) {
        return GanLoss.softplus(fakeScores).mean().neg();
    }

    @Override
    public String name() {
        return "minimax";
    }
}
