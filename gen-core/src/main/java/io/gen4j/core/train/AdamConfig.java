package io.gen4j.core.train;

/**
 * Hyperparameters of {@link Adam} and {@link AdamW} (Kingma and Ba 2015; Loshchilov and Hutter
 * 2019).
 *
 * @param beta1 decay of the first-moment average, in [0, 1)
 * @param beta2 decay of the second-moment average, in [0, 1)
 * @param epsilon added to {@code sqrt(v_hat)} in the denominator, &gt; 0
 * @param weightDecay L2 coefficient: added to the gradient as {@code wd * w} by {@link Adam},
 *     applied as decoupled decay {@code w -= lr * wd * w} by {@link AdamW}; &gt;= 0
 */
public record AdamConfig(double beta1, double beta2, double epsilon, double weightDecay) {

    /** Validates the ranges. */
    public AdamConfig {
        if (!(beta1 >= 0 && beta1 < 1)) {
            throw new IllegalArgumentException("beta1 must be in [0,1), got " + beta1);
        }
        if (!(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("beta2 must be in [0,1), got " + beta2);
        }
        if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
            throw new IllegalArgumentException("epsilon must be finite and > 0, got " + epsilon);
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException(
                    "weightDecay must be finite and >= 0, got " + weightDecay);
        }
    }

    /** @return betas (0.9, 0.999), epsilon 1e-8, no weight decay (PyTorch's Adam defaults) */
    public static AdamConfig defaults() {
        return new AdamConfig(0.9, 0.999, 1e-8, 0.0);
    }

    /**
     * @param beta1 new beta1
     * @param beta2 new beta2
     * @return a copy with other betas (GANs commonly use (0.5, 0.999))
     */
    public AdamConfig withBetas(double beta1, double beta2) {
        return new AdamConfig(beta1, beta2, epsilon, weightDecay);
    }

    /**
     * @param weightDecay new weight decay
     * @return a copy with another weight decay
     */
    public AdamConfig withWeightDecay(double weightDecay) {
        return new AdamConfig(beta1, beta2, epsilon, weightDecay);
    }
}
