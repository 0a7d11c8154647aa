package io.gen4j.score.ode;

import ai.djl.ndarray.NDArray;
import io.gen4j.core.math.Scalars;
import io.gen4j.score.SamplingResult;
import io.gen4j.score.StepLoop;
import io.gen4j.score.VectorField;

/**
 * Euler's method, x ← x + h v(x, t), in N equal steps: first order, one evaluation per step. With
 * N = 1 on a straight (rectified) flow it is one-step generation.
 *
 * @param steps N ≥ 1
 */
public record EulerSolver(int steps) implements OdeSolver {

    /** Validates. */
    public EulerSolver {
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        }
    }

    @Override
    public SamplingResult solve(VectorField field, NDArray x0, double t0, double t1, boolean keepTrajectory) {
        double h = (t1 - t0) / steps;
        return StepLoop.run(x0, steps, 1, keepTrajectory, (x, i) -> x.add(Scalars.times(field.velocity(x, t0 + i * h), h)));
    }
}
