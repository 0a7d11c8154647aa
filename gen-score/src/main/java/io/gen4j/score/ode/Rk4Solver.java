package io.gen4j.score.ode;

import ai.djl.ndarray.NDArray;
import io.gen4j.core.math.Scalars;
import io.gen4j.score.SamplingResult;
import io.gen4j.score.StepLoop;
import io.gen4j.score.VectorField;

/**
 * The classical fourth-order Runge–Kutta method, four evaluations per step:
 * <pre>
 *   k1 = v(x, t), k2 = v(x + h/2 k1, t + h/2), k3 = v(x + h/2 k2, t + h/2), k4 = v(x + h k3, t + h)
 *   x ← x + h (k1 + 2k2 + 2k3 + k4)/6
 * </pre>
 *
 * @param steps N ≥ 1
 */
public record Rk4Solver(int steps) implements OdeSolver {

    /** Validates. */
    public Rk4Solver {
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        }
    }

    @Override
    public SamplingResult solve(VectorField field, NDArray x0, double t0, double t1, boolean keepTrajectory) {
        double h = (t1 - t0) / steps;
        return StepLoop.run(x0, steps, 4, keepTrajectory, (x, i) -> {
            double t = t0 + i * h;
            NDArray k1 = field.velocity(x, t);
            NDArray k2 = field.velocity(x.add(Scalars.times(k1, h / 2)), t + h / 2);
            NDArray k3 = field.velocity(x.add(Scalars.times(k2, h / 2)), t + h / 2);
            NDArray k4 = field.velocity(x.add(Scalars.times(k3, h)), t + h);
            return x.add(Scalars.times(k1.add(Scalars.times(k2, 2)).add(Scalars.times(k3, 2)).add(k4), h / 6));
        });
    }
}
