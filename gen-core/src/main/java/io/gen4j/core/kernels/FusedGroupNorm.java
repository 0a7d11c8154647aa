package io.gen4j.core.kernels;

import ai.djl.ndarray.NDArray;

/** An engine's one-kernel group normalisation with its per-channel affine (see {@code io.gen4j.core.nn.GroupNorm}). */
@FunctionalInterface
public interface FusedGroupNorm {

    /**
     * @param x (N, C, ...), C divisible by {@code groups}
     * @param groups number of groups G
     * @param gamma (C) or null (no scale)
     * @param beta (C) or null (no shift)
     * @param epsilon ε added to the biased variance
     * @return the normalised array in the manager of {@code x}, or null when this kernel does not take these
     *     arrays (for example γ of another data type or device than x); the caller then composes
     */
    NDArray apply(NDArray x, int groups, NDArray gamma, NDArray beta, double epsilon);
}
