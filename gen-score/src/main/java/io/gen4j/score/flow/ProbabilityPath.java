package io.gen4j.score.flow;

import ai.djl.ndarray.NDArray;

/**
 * A conditional probability path of flow matching (Lipman et al. 2023): given a noise draw x_0 and a
 * data point x_1, the point x_t on the path at time t ∈ [0, 1] and the conditional velocity u_t =
 * d x_t / dt that regression targets. Time runs from noise (t = 0) to data (t = 1).
 *
 * <p>Why regressing u_t suffices: the marginal velocity u_t(x) = E[u_t | x_t = x] generates the
 * marginal path p_t, and the conditional loss E‖v(x_t, t) − u_t‖² differs from the marginal one
 * E‖v(x_t, t) − u_t(x_t)‖² by a constant independent of v (Lipman et al. 2023, Thm. 2).
 */
public interface ProbabilityPath {

    /** A point on the path and its target. */
    record Sample(NDArray xt, NDArray target) {}

    /**
     * @param x0 noise, shape (N, ...)
     * @param x1 data, same shape
     * @param t times, shape (N), in [0, {@link #maxTime()}]
     * @return x_t and u_t, in the manager of {@code x0}
     */
    Sample sample(NDArray x0, NDArray x1, NDArray t);

    /** @return the largest time at which the path is regular (1 for the straight path) */
    default double maxTime() {
        return 1.0;
    }

    /**
     * @param t times, shape (N)
     * @param like an array of shape (N, ...)
     * @return t reshaped to (N, 1, …, 1) to broadcast over {@code like}
     */
    static NDArray broadcast(NDArray t, NDArray like) {
        long[] shape = new long[like.getShape().dimension()];
        java.util.Arrays.fill(shape, 1);
        shape[0] = like.getShape().get(0);
        return t.toType(like.getDataType(), false).reshape(new ai.djl.ndarray.types.Shape(shape));
    }
}
