package io.gen4j.gans;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.gen4j.core.math.Scalars;

/**
 * The gradient penalty of WGAN-GP (Gulrajani et al. 2017, "Improved Training of Wasserstein GANs"):
 * a soft version of the 1-Lipschitz constraint, on points between real and generated examples,
 *
 * <pre>
 *   x̂ = ε x + (1 − ε) x̃,   ε ~ U(0, 1) per example
 *   P = λ E[(||∇_x̂ D(x̂)||_2 − 1)²]
 * </pre>
 *
 * The optimal critic has gradient norm 1 almost everywhere on lines between coupled points
 * (Proposition 1 of the paper). ε comes from the engine's generator (re-seeded each step by {@code
 * Fit}: resumable). The gradient is {@link Critic#inputGradient}: memory stays flat.
 *
 * @param lambda λ &gt; 0 (the paper's 10)
 */
public record GradientPenalty(double lambda) implements CriticPenalty {

    private static final float EPS = 1e-12f;

    /** Validates. */
    public GradientPenalty {
        if (!(lambda > 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("lambda must be finite and > 0, got " + lambda);
        }
    }

    /** @return λ = 10, the paper's value */
    public static GradientPenalty defaults() {
        return new GradientPenalty(10);
    }

    @Override
    public NDArray penalty(Critic critic, ParameterStore ps, NDArray real, NDArray fake, NDArray labels,
            boolean training) {
        long[] s = real.getShape().getShape();
        long[] one = new long[s.length];
        java.util.Arrays.fill(one, 1);
        one[0] = s[0];
        NDArray eps = real.getManager().randomUniform(0, 1, new Shape(one), real.getDataType());
        NDArray between = real.mul(eps).add(fake.mul(eps.neg().add(1)));
        return penaltyAt(critic, ps, between, labels, training);
    }

    /**
     * The penalty at given points.
     *
     * @param critic the discriminator
     * @param ps the parameter store
     * @param points x̂ (N, ...)
     * @param labels labels or null
     * @param training whether this is a training pass
     * @return {@code λ mean((||∇D(x̂)|| − 1)²)}
     */
    public NDArray penaltyAt(Critic critic, ParameterStore ps, NDArray points, NDArray labels, boolean training) {
        NDArray g = critic.inputGradient(ps, points, labels, training);
        NDArray norm = CriticPenalty.squaredNorms(g).add(EPS).sqrt();
        return Scalars.times(norm.sub(1).square().mean(), lambda);
    }

    @Override
    public String name() {
        return "gradientPenalty";
    }
}
