package io.gen4j.score;

import ai.djl.ndarray.NDArray;

/**
 * A time-dependent vector field v(x, t): the right-hand side of an ODE dx/dt = v(x, t). The
 * probability-flow ODE of an SDE, a flow-matching velocity network and a rectified flow are all
 * vector fields, integrated by the same {@link io.gen4j.score.ode.OdeSolver}s.
 *
 * <p>Results must belong to the manager of {@code x}.
 */
@FunctionalInterface
public interface VectorField {
    /**
     * @param x points, shape (N, ...)
     * @param t the time of every point
     * @return dx/dt, same shape as {@code x}, in the manager of {@code x}
     */
    NDArray velocity(NDArray x, double t);
}
