package io.gen4j.score.flow;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.gen4j.core.data.BatchOrder;
import io.gen4j.core.data.TensorBatches;
import io.gen4j.score.SamplingResult;
import io.gen4j.score.VectorField;
import io.gen4j.score.ode.OdeSolver;

/**
 * Rectified flow and reflow (Liu, Gong &amp; Liu 2023, "Flow straight and fast"). A flow trained on
 * the independent coupling (1-rectified flow) defines a deterministic coupling (x_0, ODE(x_0)); a
 * new flow trained on that coupling with the straight path (2-rectified flow) has straighter
 * trajectories — the transport cost does not increase and the straightness
 * <pre>
 *   S = ∫₀¹ E ‖(x_1 − x_0) − v(x_t, t)‖² dt
 * </pre>
 * goes to 0 with repeated reflow — so few Euler steps suffice (one step when S = 0).
 */
public final class Reflow {

    private Reflow() {}

    /**
     * Generates the coupling of a flow: its endpoints for the given noise.
     *
     * @param field the flow's velocity
     * @param x0 noise, shape (N, ...)
     * @param solver an accurate solver
     * @return x_1 = ODE(x_0), in the manager of {@code x0}
     */
    public static NDArray couple(VectorField field, NDArray x0, OdeSolver solver) {
        return solver.solve(field, x0, 0, 1, false).samples();
    }

    /**
     * Batches of pairs for {@link FlowMatchingObjective} with {@code paired = true}: each example is
     * (2, ...) with x_0 in slot 0 and x_1 in slot 1.
     *
     * @param x0 noise, shape (N, ...)
     * @param x1 its endpoints, same shape
     * @param batchSize batch size
     * @param seed the order's seed
     * @return a seekable batch source
     */
    public static TensorBatches pairedBatches(NDArray x0, NDArray x1, int batchSize, long seed) {
        long n = x0.getShape().get(0);
        long per = x0.getShape().size() / n;
        float[] a = x0.toType(DataType.FLOAT32, false).toFloatArray();
        float[] b = x1.toType(DataType.FLOAT32, false).toFloatArray();
        float[] data = new float[a.length * 2];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a, (int) (i * per), data, (int) (2 * i * per), (int) per);
            System.arraycopy(b, (int) (i * per), data, (int) ((2 * i + 1) * per), (int) per);
        }
        long[] one = x0.getShape().slice(1).getShape();
        long[] shape = new long[one.length + 1];
        shape[0] = 2;
        System.arraycopy(one, 0, shape, 1, one.length);
        return new TensorBatches(data, shape, null, new BatchOrder((int) n, batchSize, seed, true));
    }

    /**
     * The straightness S of the flow's trajectories from x_0, on an Euler grid of {@code steps}
     * (x_1 the end of that trajectory): the mean over examples of (1/K) Σ_k ‖(x_1 − x_0) − v(x_{t_k},
     * t_k)‖², summed over dimensions. 0 exactly when every trajectory is a straight line travelled at
     * constant speed.
     *
     * @param field the velocity
     * @param x0 noise, shape (N, ...)
     * @param steps K ≥ 1
     * @return S
     */
    public static double straightness(VectorField field, NDArray x0, int steps) {
        try (NDManager scope = x0.getManager().newSubManager()) {
            NDArray start = x0.duplicate();
            start.attach(scope);
            SamplingResult r = new io.gen4j.score.ode.EulerSolver(steps).solve(field, start, 0, 1, true);
            NDArray chord = r.samples().sub(start);
            long n = x0.getShape().get(0);
            double sum = 0;
            for (int k = 0; k < steps; k++) {
                try (NDManager step = scope.newSubManager()) {
                    NDArray xk = r.trajectory().get(k);
                    xk.tempAttach(step);
                    NDArray v = field.velocity(xk, (double) k / steps);
                    sum += chord.sub(v).reshape(n, -1).square().sum(new int[] {1}).mean()
                            .toType(DataType.FLOAT64, false).getDouble();
                }
            }
            return sum / steps;
        }
    }
}
