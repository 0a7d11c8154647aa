package io.gen4j.score.ode;

import ai.djl.ndarray.NDArray;
import io.gen4j.core.math.Scalars;
import io.gen4j.score.SamplingResult;
import io.gen4j.score.StepLoop;
import io.gen4j.score.VectorField;

/**
 * Heun's method (explicit trapezoid), second order, two evaluations per step:
 * <pre>
 *   k1 = v(x, t),  k2 = v(x + h k1, t + h),  x ← x + h (k1 + k2)/2
 * </pre>
 *
 * @param steps N ≥ 1
 */
public record HeunSolver(int steps) implements OdeSolver {

    /** Validates. */
    public HeunSolver {
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        }
    }

    @Override
    public SamplingResult solve(VectorField field, NDArray x0, double t0, double t1, boolean keepTrajectory) {
        double h = (t1 - t0) / steps;
        return StepLoop.run(x0, steps, 2, keepTrajectory, (x, i) -> {
            double t = t0 + i * h;
            NDArray k1 = field.velocity(x, t);
            NDArray k2 = field.velocity(x.add(Scalars.times(k1, h)), t + h);
            return x.add(Scalars.times(k1.add(k2), 0.5 * h));
        });
    }
}
