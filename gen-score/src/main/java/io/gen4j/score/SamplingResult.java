package io.gen4j.score;

import ai.djl.ndarray.NDArray;
import java.time.Duration;
import java.util.List;

/**
 * What an iterative sampler or ODE solver returns.
 *
 * @param samples the final points, in the manager of the start points
 * @param trajectory the start and every intermediate state when asked for (each a copy in the
 *     start's manager; the caller closes them), otherwise empty
 * @param evaluations network (score, velocity or energy-gradient) evaluations spent
 * @param wallTime wall-clock time of the run
 */
public record SamplingResult(NDArray samples, List<NDArray> trajectory, int evaluations, Duration wallTime) {

    /** Copies the trajectory list. */
    public SamplingResult {
        trajectory = List.copyOf(trajectory);
    }
}
