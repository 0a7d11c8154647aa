package io.gen4j.core.io;

import java.util.Objects;

/**
 * The scalar part of a checkpoint: where the run was and how it was configured.
 *
 * @param step completed steps; a resumed {@code Fit} starts at this step index
 * @param sourcePosition the {@code BatchSource} position after those steps, -1 when none
 * @param seed the run's seed (the engine is re-seeded at step {@code s} with {@code
 *     Fit.stepSeed(seed, s)}, so the seed and the step are the whole RNG state)
 * @param configJson the run's configuration as JSON ({@code "{}"} when none)
 */
public record CheckpointInfo(long step, long sourcePosition, long seed, String configJson) {

    /** Validates the fields. */
    public CheckpointInfo {
        if (step < 0) {
            throw new IllegalArgumentException("step must be >= 0, got " + step);
        }
        if (sourcePosition < -1) {
            throw new IllegalArgumentException(
                    "sourcePosition must be >= -1, got " + sourcePosition);
        }
        Objects.requireNonNull(configJson, "configJson");
    }
}
