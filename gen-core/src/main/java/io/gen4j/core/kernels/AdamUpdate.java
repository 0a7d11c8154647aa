package io.gen4j.core.kernels;

/**
 * The hyperparameters of one Adam or AdamW update of one parameter (the arithmetic of
 * {@code io.gen4j.core.train.Adam} and {@code AdamW}, i.e. PyTorch's {@code torch.optim.Adam} and
 * {@code AdamW}):
 *
 * <pre>
 * AdamW only:  w = w (1 − lr wd)
 * Adam only:   g = g + wd w
 * m = β1 m + (1 − β1) g
 * v = β2 v + (1 − β2) g²
 * w = w − lr / (1 − β1^t) · m / (√v / √(1 − β2^t) + ε)
 * </pre>
 *
 * @param learningRate lr of this update, finite and &gt;= 0
 * @param step t, the 1-based index of this update
 * @param beta1 β1 in [0, 1)
 * @param beta2 β2 in [0, 1)
 * @param epsilon ε &gt; 0
 * @param weightDecay wd &gt;= 0
 * @param decoupled true for AdamW's decoupled decay, false for Adam's coupled (L2) decay
 */
public record AdamUpdate(
        float learningRate, long step, double beta1, double beta2, double epsilon, double weightDecay,
        boolean decoupled) {

    /** Checks the ranges. */
    public AdamUpdate {
        if (!(learningRate >= 0) || Float.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be finite and >= 0, got " + learningRate);
        }
        if (step < 1) {
            throw new IllegalArgumentException("step must be >= 1, got " + step);
        }
        if (!(beta1 >= 0 && beta1 < 1)) {
            throw new IllegalArgumentException("beta1 must be in [0, 1), got " + beta1);
        }
        if (!(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("beta2 must be in [0, 1), got " + beta2);
        }
        if (!(epsilon > 0)) {
            throw new IllegalArgumentException("epsilon must be > 0, got " + epsilon);
        }
        if (!(weightDecay >= 0)) {
            throw new IllegalArgumentException("weightDecay must be >= 0, got " + weightDecay);
        }
    }

    /** @return 1 − β1^t */
    public double biasCorrection1() {
        return 1.0 - Math.pow(beta1, step);
    }

    /** @return √(1 − β2^t) */
    public double sqrtBiasCorrection2() {
        return Math.sqrt(1.0 - Math.pow(beta2, step));
    }
}
