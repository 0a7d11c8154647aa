package io.gen4j.diffusion;

import ai.djl.ndarray.NDArray;
import java.time.Duration;
import java.util.List;

/**
 * What a sampler returns: the samples, optionally the states it passed through, the number of
 * network evaluations it used and its wall time.
 *
 * @param samples the final states, shape of x_T, in the manager of x_T
 * @param trajectory x_T, then the state after every step (last = samples); empty when not asked
 *     for. Arrays are in the manager of x_T.
 * @param steps network evaluations used
 * @param wallTime elapsed wall-clock time
 */
public record SamplerResult(
        NDArray samples, List<NDArray> trajectory, int steps, Duration wallTime) {

    /** Validates and freezes the trajectory list. */
    public SamplerResult {
        if (samples == null) {
            throw new IllegalArgumentException("samples must not be null");
        }
        trajectory = List.copyOf(trajectory);
        if (steps < 0) {
            throw new IllegalArgumentException("steps must be >= 0, got " + steps);
        }
    }

    /** @return milliseconds per network evaluation */
    public double millisPerStep() {
        return steps == 0 ? 0 : wallTime.toNanos() / 1e6 / steps;
    }
}
