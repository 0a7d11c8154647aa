package io.gen4j.gans;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;
import io.gen4j.core.math.Scalars;

/**
 * The R1 penalty (Mescheder et al. 2018, "Which Training Methods for GANs do actually Converge?"):
 * the squared gradient norm of D on real data,
 *
 * <pre>
 *   R1 = γ/2 E_x~p_data[||∇_x D(x)||²]
 * </pre>
 *
 * used with the {@link NonSaturatingLoss} (StyleGAN). It makes the game locally convergent at the
 * equilibrium where D is flat on the data. The gradient is {@link Critic#inputGradient}.
 *
 * @param gamma γ &gt; 0
 */
public record R1Penalty(double gamma) implements CriticPenalty {

    /** Validates. */
    public R1Penalty {
        if (!(gamma > 0) || Double.isInfinite(gamma)) {
            throw new IllegalArgumentException("gamma must be finite and > 0, got " + gamma);
        }
    }

    @Override
    public NDArray penalty(Critic critic, ParameterStore ps, NDArray real, NDArray fake, NDArray labels,
            boolean training) {
        NDArray g = critic.inputGradient(ps, real, labels, training);
        return Scalars.times(CriticPenalty.squaredNorms(g).mean(), gamma / 2);
    }

    @Override
    public String name() {
        return "r1";
    }
}
