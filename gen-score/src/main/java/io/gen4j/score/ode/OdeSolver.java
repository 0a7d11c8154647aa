package io.gen4j.score.ode;

import ai.djl.ndarray.NDArray;
import io.gen4j.score.SamplingResult;
import io.gen4j.score.VectorField;

/**
 * An ODE solver for dx/dt = v(x, t) from t0 to t1 (either direction): stateless, the same for the
 * probability-flow ODE of a score model, a flow-matching velocity and the augmented ODE of the
 * likelihood ({@link OdeLikelihood}). Fixed-step methods ({@link EulerSolver}, {@link HeunSolver},
 * {@link Rk4Solver}) and the adaptive {@link DormandPrinceSolver}.
 */
@FunctionalInterface
public interface OdeSolver {
    /**
     * @param field v
     * @param x0 the state at t0, shape (N, ...); not modified
     * @param t0 start time
     * @param t1 end time
     * @param keepTrajectory whether to return the state after every (accepted) step
     * @return the state at t1, in the manager of {@code x0}
     */
    SamplingResult solve(VectorField field, NDArray x0, double t0, double t1, boolean keepTrajectory);
}
