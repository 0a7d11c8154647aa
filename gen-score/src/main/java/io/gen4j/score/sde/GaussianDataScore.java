package io.gen4j.score.sde;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.math.Gaussians;
import io.gen4j.score.ScoreFunction;

/**
 * The exact score of Gaussian data N(μ, diag(σ_d²)) pushed through an {@link Sde}: p_t is
 * N(m(t)μ, diag(m(t)²σ_d² + s(t)²)), so
 * <pre>
 *   ∇ log p_t(x) = −(x − m(t)μ) / (m(t)²σ² + s(t)²)
 * </pre>
 * The oracle of the sampler and likelihood tests (like gen-diffusion's {@code GaussianDataDenoiser}),
 * and a score a user can check their own samplers with.
 */
public final class GaussianDataScore implements ScoreFunction {

    private final Sde sde;
    private final double[] mean;
    private final double[] variance;

    /**
     * @param sde the SDE
     * @param mean μ, length D
     * @param std σ, length D, every entry &gt; 0
     */
    public GaussianDataScore(Sde sde, double[] mean, double[] std) {
        if (mean.length != std.length || mean.length == 0) {
            throw new IllegalArgumentException("mean and std need the same positive length, got "
                    + mean.length + " and " + std.length);
        }
        this.sde = sde;
        this.mean = mean.clone();
        this.variance = new double[std.length];
        for (int d = 0; d < std.length; d++) {
            if (!(std[d] > 0)) {
                throw new IllegalArgumentException("std must be > 0, got " + std[d] + " at " + d);
            }
            variance[d] = std[d] * std[d];
        }
    }

    /**
     * @param t time
     * @return the mean of p_t per dimension
     */
    public double[] meanAt(double t) {
        double m = sde.meanScale(t);
        double[] out = new double[mean.length];
        for (int d = 0; d < mean.length; d++) {
            out[d] = m * mean[d];
        }
        return out;
    }

    /**
     * @param t time
     * @return the variance of p_t per dimension
     */
    public double[] varianceAt(double t) {
        double m = sde.meanScale(t);
        double s = sde.marginalStd(t);
        double[] out = new double[mean.length];
        for (int d = 0; d < mean.length; d++) {
            out[d] = m * m * variance[d] + s * s;
        }
        return out;
    }

    @Override
    public NDArray score(NDArray x, double t) {
        checkShape(x);
        Shape row = new Shape(1, mean.length);
        double[] mu = meanAt(t);
        double[] v = varianceAt(t);
        double[] inv = new double[v.length];
        for (int d = 0; d < v.length; d++) {
            inv[d] = -1.0 / v[d];
        }
        NDArray muA = x.getManager().create(mu, row).toType(x.getDataType(), false);
        NDArray invA = x.getManager().create(inv, row).toType(x.getDataType(), false);
        return x.sub(muA).mul(invA);
    }

    /**
     * @param x points, shape (N, D)
     * @param t time
     * @return log p_t(x) per point, nats
     */
    public double[] logDensity(double[][] x, double t) {
        double[] mu = meanAt(t);
        double[] v = varianceAt(t);
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double sum = 0;
            for (int d = 0; d < mu.length; d++) {
                double r = x[i][d] - mu[d];
                sum += -0.5 * (r * r / v[d] + Math.log(v[d]) + Gaussians.LOG_2PI);
            }
            out[i] = sum;
        }
        return out;
    }

    private void checkShape(NDArray x) {
        if (x.getShape().dimension() != 2 || x.getShape().get(1) != mean.length) {
            throw new IllegalArgumentException("x must have shape (N, " + mean.length + "), got " + x.getShape());
        }
    }
}
