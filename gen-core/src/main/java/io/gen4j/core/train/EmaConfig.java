package io.gen4j.core.train;

/**
 * Hyperparameters of an {@link Ema}.
 *
 * @param decay the decay {@code beta} of {@code shadow = beta * shadow + (1 - beta) * w}, in
 *     [0, 1)
 * @param warmup when true the decay of the n-th update (0-based) is {@code min(decay, (1 + n) /
 *     (10 + n))}, so that early shadows follow the fast-moving weights (as in diffusers and timm)
 */
public record EmaConfig(double decay, boolean warmup) {

    /** Validates the decay. */
    public EmaConfig {
        if (!(decay >= 0 && decay < 1)) {
            throw new IllegalArgumentException("decay must be in [0,1), got " + decay);
        }
    }

    /** @return decay 0.999 with warm-up */
    public static EmaConfig defaults() {
        return new EmaConfig(0.999, true);
    }
}
