package io.gen4j.flows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import io.gen4j.core.model.Invertible.Transformed;
import io.gen4j.flows.testing.FlowTransformChecks;
import java.util.Random;

/**
 * Helpers shared by the flow tests: toy data and a plain training loop. Parameter randomisation and
 * brute-force Jacobians are in the public kit {@link FlowTransformChecks}.
 */
final class FlowTestKit {

    private FlowTestKit() {}

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
            g.muli(0f); // DJL does not zero gradients when a collector opens (docs/known-issues.md §2)
        }
        return scalar(loss);
    }

    /** Float64 standard-normal input of the given shape (the flow kit's {@code Inputs.normal(1)}). */
    static NDArray normal(NDManager manager, Shape shape, long seed) {
        return FlowTransformChecks.Inputs.normal(1).draw(manager, shape, seed);
    }

    /** Float64 uniform input in [lo, hi) (the flow kit's {@code Inputs.uniform(lo, hi)}). */
    static NDArray uniform(NDManager manager, Shape shape, double lo, double hi, long seed) {
        return FlowTransformChecks.Inputs.uniform(lo, hi).draw(manager, shape, seed);
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
