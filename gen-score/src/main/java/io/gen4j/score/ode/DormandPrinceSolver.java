package io.gen4j.score.ode;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.gen4j.core.math.Scalars;
import io.gen4j.core.runtime.StopSignal;
import io.gen4j.score.SamplingResult;
import io.gen4j.score.VectorField;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The adaptive Dormand–Prince 5(4) method (DOPRI5, Dormand &amp; Prince 1980; {@code dopri5} of
 * torchdiffeq, {@code RK45} of scipy): a fifth-order step with an embedded fourth-order estimate of
 * its error, first-same-as-last (six new evaluations per accepted step). A step is accepted when
 * <pre>
 *   err = RMS( (x5 − x4) / (atol + rtol·max(|x|, |x5|)) ) ≤ 1
 * </pre>
 * over every element of the batch, and the next step is h·min(10, max(0.2, 0.9·err^(−1/5))).
 *
 * @param rtol relative tolerance &gt; 0 (1e-5 in score_sde's likelihood)
 * @param atol absolute tolerance &gt; 0
 * @param maxSteps the most steps (accepted or not) before failing
 */
public record DormandPrinceSolver(double rtol, double atol, int maxSteps) implements OdeSolver {

    private static final double[][] A = {
        {},
        {1.0 / 5},
        {3.0 / 40, 9.0 / 40},
        {44.0 / 45, -56.0 / 15, 32.0 / 9},
        {19372.0 / 6561, -25360.0 / 2187, 64448.0 / 6561, -212.0 / 729},
        {9017.0 / 3168, -355.0 / 33, 46732.0 / 5247, 49.0 / 176, -5103.0 / 18656},
        {35.0 / 384, 0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84},
    };
    private static final double[] C = {0, 1.0 / 5, 3.0 / 10, 4.0 / 5, 8.0 / 9, 1, 1};
    /** Fifth-order weights minus the embedded fourth-order ones. */
    private static final double[] E = {
        71.0 / 57600, 0, -71.0 / 16695, 71.0 / 1920, -17253.0 / 339200, 22.0 / 525, -1.0 / 40};

    /** Validates. */
    public DormandPrinceSolver {
        if (!(rtol > 0) || !(atol > 0) || maxSteps < 1) {
            throw new IllegalArgumentException("need rtol > 0, atol > 0, maxSteps >= 1, got " + rtol + ", " + atol
                    + ", " + maxSteps);
        }
    }

    /**
     * @param tolerance rtol = atol
     * @return a solver with at most 10 000 steps
     */
    public static DormandPrinceSolver of(double tolerance) {
        return new DormandPrinceSolver(tolerance, tolerance, 10_000);
    }

    @Override
    public SamplingResult solve(VectorField field, NDArray x0, double t0, double t1, boolean keepTrajectory) {
        long start = System.nanoTime();
        NDManager out = x0.getManager();
        List<NDArray> trajectory = new ArrayList<>();
        if (keepTrajectory) {
            trajectory.add(x0.duplicate());
        }
        double direction = Math.signum(t1 - t0);
        double span = Math.abs(t1 - t0);
        int evaluations = 0;
        if (span == 0) {
            return new SamplingResult(x0.duplicate(), trajectory, 0, Duration.ZERO);
        }
        try (NDManager loop = out.newSubManager()) {
            NDArray x = x0.duplicate();
            x.attach(loop);
            NDArray k1;
            try (NDManager scope = loop.newSubManager()) {
                x.tempAttach(scope);
                k1 = field.velocity(x, t0);
                k1.attach(loop);
            }
            evaluations++;
            double t = t0;
            double h = 0.01 * span;
            int tries = 0;
            while (direction * (t1 - t) > 1e-12 * span) {
                StopSignal.throwIfRequested(); // a safe point: Ctrl-C under the CLI stops here
                if (++tries > maxSteps) {
                    throw new IllegalStateException("Dormand-Prince needed more than " + maxSteps + " steps (t = " + t
                            + " of [" + t0 + ", " + t1 + "]); loosen the tolerances or raise maxSteps");
                }
                h = Math.min(h, Math.abs(t1 - t));
                double dt = direction * h;
                NDArray next;
                NDArray nextK1;
                double err;
                try (NDManager scope = loop.newSubManager()) {
                    x.tempAttach(scope);
                    k1.tempAttach(scope);
                    NDArray[] k = new NDArray[7];
                    k[0] = k1;
                    for (int s = 1; s < 7; s++) {
                        NDArray stage = x;
                        for (int j = 0; j < s; j++) {
                            if (A[s][j] != 0) {
                                stage = stage.add(Scalars.times(k[j], dt * A[s][j]));
                            }
                        }
                        k[s] = field.velocity(stage, t + C[s] * dt);
                    }
                    NDArray x5 = x;
                    for (int j = 0; j < 6; j++) {
                        if (A[6][j] != 0) {
                            x5 = x5.add(Scalars.times(k[j], dt * A[6][j]));
                        }
                    }
                    NDArray error = Scalars.times(k[0], dt * E[0]);
                    for (int j = 2; j < 7; j++) {
                        error = error.add(Scalars.times(k[j], dt * E[j]));
                    }
                    NDArray scale = Scalars.times(x.abs().maximum(x5.abs()), rtol).add(atol);
                    err = error.div(scale).square().mean().sqrt().toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble();
                    next = x5;
                    nextK1 = k[6];
                    if (err <= 1 || !Double.isFinite(err)) {
                        next.attach(loop);
                        nextK1.attach(loop);
                    }
                }
                evaluations += 6;
                if (!Double.isFinite(err)) {
                    throw new IllegalStateException("the vector field gave a non-finite value at t = " + t);
                }
                if (err <= 1) {
                    t += dt;
                    x.close();
                    k1.close();
                    x = next;
                    k1 = nextK1;
                    if (keepTrajectory) {
                        NDArray copy = x.duplicate();
                        copy.attach(out);
                        trajectory.add(copy);
                    }
                }
                h *= Math.min(10, Math.max(0.2, 0.9 * Math.pow(Math.max(err, 1e-10), -0.2)));
            }
            x.attach(out);
            return new SamplingResult(x, trajectory, evaluations, Duration.ofNanos(System.nanoTime() - start));
        }
    }
}
