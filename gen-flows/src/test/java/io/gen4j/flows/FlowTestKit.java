package io.gen4j.flows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import io.gen4j.core.model.Invertible.Transformed;
import java.util.Random;

/** Helpers shared by the flow tests: parameter randomisation, brute-force Jacobians, toy data, a plain training loop. */
final class FlowTestKit {

    private FlowTestKit() {}

    /** Overwrites every trainable parameter with N(mean, std²) draws (mean 1 for scale-like ones). */
    static void randomizeParameters(Block block, NDManager manager, double std, long seed) {
        Random rng = new Random(seed);
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (!p.getValue().requiresGradient()) {
                continue;
            }
            NDArray a = p.getValue().getArray();
            double[] v = new double[Math.toIntExact(a.getShape().size())];
            String name = p.getKey().toLowerCase(java.util.Locale.ROOT);
            double mean = name.endsWith("gamma") || name.endsWith("_scale") ? 1 : 0;
            for (int i = 0; i < v.length; i++) {
                v[i] = mean + std * rng.nextGaussian();
            }
            try (NDManager scope = manager.newSubManager()) {
                scope.create(v, a.getShape()).toType(a.getDataType(), false).copyTo(a);
            }
        }
    }

    /**
     * log|det J| of the forward map at one example, from a central-difference Jacobian (float64),
     * one batched call: 2D perturbed copies of x.
     */
    static double bruteForceLogDet(FlowTransform t, NDArray x, double h) {
        Shape shape = x.getShape();
        int d = Math.toIntExact(shape.size());
        double[] x0 = x.toDoubleArray();
        double[] batch = new double[2 * d * d];
        for (int j = 0; j < d; j++) {
            for (int i = 0; i < d; i++) {
                batch[(2 * j) * d + i] = x0[i] + (i == j ? h : 0);
                batch[(2 * j + 1) * d + i] = x0[i] - (i == j ? h : 0);
            }
        }
        long[] dims = shape.getShape().clone();
        dims[0] = 2L * d;
        try (NDManager scope = x.getManager().newSubManager()) {
            NDArray in = scope.create(batch, new Shape(dims));
            double[] out = t.forward(in).value().toDoubleArray();
            int dOut = out.length / (2 * d);
            if (dOut != d) {
                throw new IllegalStateException("not dimension-preserving: " + d + " -> " + dOut);
            }
            double[][] jac = new double[d][d];
            for (int j = 0; j < d; j++) {
                for (int i = 0; i < d; i++) {
                    jac[i][j] = (out[(2 * j) * d + i] - out[(2 * j + 1) * d + i]) / (2 * h);
                }
            }
            return logAbsDet(jac);
        }
    }

    /** log|det A| by LU decomposition with partial pivoting. */
    static double logAbsDet(double[][] a) {
        int n = a.length;
        double[][] m = new double[n][];
        for (int i = 0; i < n; i++) {
            m[i] = a[i].clone();
        }
        double logDet = 0;
        for (int k = 0; k < n; k++) {
            int p = k;
            for (int i = k + 1; i < n; i++) {
                if (Math.abs(m[i][k]) > Math.abs(m[p][k])) {
                    p = i;
                }
            }
            double[] tmp = m[k];
            m[k] = m[p];
            m[p] = tmp;
            double pivot = m[k][k];
            if (pivot == 0) {
                return Double.NEGATIVE_INFINITY;
            }
            logDet += Math.log(Math.abs(pivot));
            for (int i = k + 1; i < n; i++) {
                double f = m[i][k] / pivot;
                for (int j = k; j < n; j++) {
                    m[i][j] -= f * m[k][j];
                }
            }
        }
        return logDet;
    }

    /** Two interleaved half circles with noise (moons), float32 (n, 2). */
    static NDArray moons(NDManager manager, int n, Random rng) {
        float[] v = new float[2 * n];
        for (int i = 0; i < n; i++) {
            double a = Math.PI * rng.nextDouble();
            boolean upper = rng.nextBoolean();
            double x = upper ? Math.cos(a) : 1 - Math.cos(a);
            double y = upper ? Math.sin(a) : 0.5 - Math.sin(a);
            v[2 * i] = (float) (x - 0.5 + 0.08 * rng.nextGaussian());
            v[2 * i + 1] = (float) (y - 0.25 + 0.08 * rng.nextGaussian());
        }
        return manager.create(v, new Shape(n, 2));
    }

    /** A plain Adam loop on fresh moons batches; returns the mean NLL of the last 10 steps. */
    static double train(NormalizingFlow flow, NDManager manager, int steps, int batch, float lr, long seed) {
        Random rng = new Random(seed);
        Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(lr)).build();
        double last = 0;
        for (int s = 0; s < steps; s++) {
            try (NDManager scope = manager.newSubManager()) {
                NDArray x = moons(scope, batch, rng);
                double loss = step(flow, adam, x);
                if (s >= steps - 10) {
                    last += loss / 10;
                }
            }
        }
        return last;
    }

    /** One maximum-likelihood step in x's manager; returns the loss. */
    static double step(NormalizingFlow flow, Optimizer adam, NDArray x) {
        NDManager scope = x.getManager();
        NDArray loss;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            loss = flow.logLikelihood(new ai.djl.training.ParameterStore(scope, false), x, true).mean().neg();
            gc.backward(loss);
        }
        for (Pair<String, Parameter> p : flow.getParameters()) {
            if (!p.getValue().requiresGradient()) {
                continue;
            }
            NDArray w = p.getValue().getArray();
            NDArray g = w.getGradient();
            g.attach(scope);
            adam.update(p.getValue().getId(), w, g);
        }
        return scalar(loss);
    }

    /** Float64 standard-normal input of the given shape. */
    static NDArray normal(NDManager manager, Shape shape, long seed) {
        Random rng = new Random(seed);
        double[] v = new double[Math.toIntExact(shape.size())];
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.nextGaussian();
        }
        return manager.create(v, shape);
    }

    /** Float64 uniform input in [lo, hi). */
    static NDArray uniform(NDManager manager, Shape shape, double lo, double hi, long seed) {
        Random rng = new Random(seed);
        double[] v = new double[Math.toIntExact(shape.size())];
        for (int i = 0; i < v.length; i++) {
            v[i] = lo + (hi - lo) * rng.nextDouble();
        }
        return manager.create(v, shape);
    }

    /** The value of a one-element array of any float type. */
    static double scalar(NDArray a) {
        return a.toType(DataType.FLOAT64, false).getDouble();
    }

    static Transformed roundTrip(FlowTransform t, NDArray x) {
        Transformed f = t.forward(x);
        Transformed b = t.inverse(f.value());
        return new Transformed(b.value(), f.logDet().add(b.logDet()));
    }
}
