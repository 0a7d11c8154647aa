package io.gen4j.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.model.Condition;
import io.gen4j.core.model.Denoiser;

/**
 * The exact optimal denoiser for Gaussian data x_0 ~ N(μ, diag(σ²)) in D dimensions: a network
 * trained to convergence on such data would compute exactly this, so samplers and bounds can be
 * checked against closed-form answers (flow_matching's habit of testing solvers on known fields).
 *
 * <p>With x_t = a·x_0 + s·ε (a = √ᾱ_t, s = √(1 − ᾱ_t)), x_0 and x_t are jointly Gaussian and
 *
 * <pre>
 *   E[x_0 | x_t] = μ + a·σ² / (a²·σ² + s²) · (x_t − a·μ)      (per dimension)
 * </pre>
 *
 * which minimises the x_0-MSE; the optimal ε and v follow from {@link Prediction}'s conversions.
 * Used with wrong (μ, σ) it is a worse denoiser of the same data. A fractional time t (from the
 * σ-space samplers) means ᾱ = {@link NoiseSchedule#alphaBarAt(double)}; pass it as float64 for an
 * exact oracle.
 */
public final class GaussianDataDenoiser implements Denoiser {

    private final NoiseSchedule schedule;
    private final double[] mean;
    private final double[] variance;
    private final Prediction prediction;

    /**
     * @param schedule the schedule that maps the step index t to ᾱ_t
     * @param mean μ, length D
     * @param std σ, length D, positive
     * @param prediction what to output
     */
    public GaussianDataDenoiser(
            NoiseSchedule schedule, double[] mean, double[] std, Prediction prediction) {
        if (mean.length != std.length || mean.length == 0) {
            throw new IllegalArgumentException(
                    "mean and std must have the same positive length, got " + mean.length + " and "
                            + std.length);
        }
        this.schedule = schedule;
        this.mean = mean.clone();
        this.variance = new double[std.length];
        for (int d = 0; d < std.length; d++) {
            if (!(std[d] > 0)) {
                throw new IllegalArgumentException("std must be > 0, got " + std[d] + " at " + d);
            }
            variance[d] = std[d] * std[d];
        }
        this.prediction = prediction;
    }

    /**
     * @param xt shape (N, D)
     * @param t step indices as float, shape (N), possibly fractional
     * @param condition ignored
     * @return the optimal output in this denoiser's parameterisation, shape (N, D)
     */
    @Override
    public NDArray predict(NDArray xt, NDArray t, Condition condition) {
        int n = (int) xt.getShape().get(0);
        int dims = mean.length;
        if (xt.getShape().dimension() != 2 || xt.getShape().get(1) != dims) {
            throw new IllegalArgumentException(
                    "xt must have shape (N, " + dims + "), got " + xt.getShape());
        }
        double[] steps = t.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).toDoubleArray();
        double[] gain = new double[n * dims];
        double[] offset = new double[n * dims];
        double[] alphaBar = new double[n];
        for (int i = 0; i < n; i++) {
            double ab = schedule.alphaBarAt(steps[i]);
            alphaBar[i] = ab;
            double a = Math.sqrt(ab);
            for (int d = 0; d < dims; d++) {
                double g = a * variance[d] / (ab * variance[d] + 1.0 - ab);
                gain[i * dims + d] = g;
                offset[i * dims + d] = mean[d] - g * a * mean[d];
            }
        }
        NDManager manager = xt.getManager();
        Shape shape = xt.getShape();
        NDArray x0 = xt.mul(manager.create(gain, shape).toType(xt.getDataType(), false))
                .add(manager.create(offset, shape).toType(xt.getDataType(), false));
        NDArray ab = manager.create(alphaBar, new Shape(n, 1)).toType(xt.getDataType(), false);
        return Prediction.X0.convert(xt, x0, ab, prediction);
    }
}
