package io.gen4j.diffusion.discrete;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * What a discrete sampler returns.
 *
 * @param samples the tokens at t = 0, INT64 (N, L), in the manager of the start
 * @param trajectory the start and the tokens after every step (steps + 1 arrays, the last equal to
 *     the samples) when asked for, else empty
 * @param evaluations network evaluations made
 */
public record DiscreteSamplerResult(NDArray samples, List<NDArray> trajectory, int evaluations) {

    /** Copies the list. */
    public DiscreteSamplerResult {
        trajectory = List.copyOf(trajectory);
    }
}
