package io.gen4j.score.ode;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.gen4j.core.math.Scalars;
import io.gen4j.core.model.Likelihoods;
import io.gen4j.score.VectorField;
import java.util.Objects;
import java.util.function.Function;

/**
 * Exact log-likelihood through an ODE, by the instantaneous change of variables (Chen et al. 2018,
 * "Neural ordinary differential equations"; Song et al. 2021, App. D.2): along dx/dt = v(x, t),
 * <pre>
 *   d log p_t(x(t)) / dt = −∇·v(x(t), t)
 *   log p_data(x) = log p_prior(x(t_prior)) + ∫_{t_data}^{t_prior} ∇·v(x(t), t) dt
 * </pre>
 * The state is augmented with the running integral, and the augmented ODE goes through any {@link
 * OdeSolver} (the same ones that sample). For a score model v is the probability-flow ODE of its
 * SDE (t_data = ε, t_prior = T), for flow matching the velocity (t_data = 1, t_prior = 0).
 *
 * <p>The divergence needs ∂v/∂x: each evaluation opens a {@code GradientCollector} (so no other may
 * be open; docs/known-issues.md §2) and runs one ordinary backward pass per dimension ({@link
 * TraceEstimator#EXACT}) or one in all (Hutchinson). A network's parameters receive gradients from
 * these passes; zero them ({@code Gradients.zero}) before training on.
 *
 * @param field v
 * @param solver the solver of the augmented ODE
 * @param dataTime where the data live
 * @param priorTime where the prior lives
 * @param trace how the divergence is computed
 * @param priorLogDensity log p_prior per example, shape (N) from a state of shape (N, ...)
 */
public record OdeLikelihood(VectorField field, OdeSolver solver, double dataTime, double priorTime,
        TraceEstimator trace, Function<NDArray, NDArray> priorLogDensity) {

    /** Validates. */
    public OdeLikelihood {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(solver, "solver");
        Objects.requireNonNull(trace, "trace");
        Objects.requireNonNull(priorLogDensity, "priorLogDensity");
    }

    /**
     * @param x data, shape (N, ...)
     * @return log p(x) per example in nats, shape (N), in the manager of {@code x}
     */
    public NDArray logLikelihood(NDArray x) {
        Shape shape = x.getShape();
        long n = shape.get(0);
        long dims = shape.size() / n;
        NDManager parent = x.getManager();
        try (NDManager scope = parent.newSubManager()) {
            x.tempAttach(scope);
            NDArray probe = probe(scope, new Shape(n, dims), x.getDataType());
            NDArray start = x.reshape(n, dims);
            NDArray augmented = start.concat(scope.zeros(new Shape(n, 1), x.getDataType()), 1);
            VectorField augmentedField = (state, t) -> {
                NDArray xs = state.get(new NDIndex(":, :" + dims));
                NDArray[] vd = velocityAndDivergence(xs.reshape(shape), t, probe);
                return vd[0].reshape(n, dims).concat(vd[1].reshape(n, 1), 1);
            };
            NDArray end = solver.solve(augmentedField, augmented, dataTime, priorTime, false).samples();
            NDArray xPrior = end.get(new NDIndex(":, :" + dims)).reshape(shape);
            NDArray integral = end.get(new NDIndex(":, " + dims));
            NDArray logP = priorLogDensity.apply(xPrior).toType(x.getDataType(), false).add(integral);
            logP.attach(parent);
            return logP;
        }
    }

    /**
     * Bits per dimension of discrete data with uniform dequantization (Theis et al. 2016): x + u·Δ with
     * u ~ U[0, 1)^D, then {@link Likelihoods#bitsPerDim} with the offset −D ln Δ.
     *
     * @param x discrete data on the grid of bin width Δ (bins start at the values), shape (N, ...)
     * @param binWidth Δ in model units (e.g. {@link Likelihoods#BIN_WIDTH_8BIT_SYMMETRIC})
     * @return bits/dim per example, shape (N), in the manager of {@code x}
     */
    public NDArray dequantizedBitsPerDim(NDArray x, double binWidth) {
        long dims = x.getShape().size() / x.getShape().get(0);
        NDManager parent = x.getManager();
        try (NDManager scope = parent.newSubManager()) {
            x.tempAttach(scope);
            NDArray u = scope.randomUniform(0f, 1f, x.getShape(), x.getDataType());
            NDArray logP = logLikelihood(x.add(Scalars.times(u, binWidth)));
            NDArray bits = Likelihoods.bitsPerDim(logP, dims, binWidth);
            bits.attach(parent);
            return bits;
        }
    }

    private NDArray probe(NDManager manager, Shape shape, DataType type) {
        switch (trace) {
            case HUTCHINSON_GAUSSIAN:
                return manager.randomNormal(0f, 1f, shape, type);
            case HUTCHINSON_RADEMACHER:
                return Scalars.times(manager.randomUniform(0f, 1f, shape, type).gte(0.5).toType(type, false), 2).sub(1);
            default:
                return null;
        }
    }

    /**
     * v(x, t) and its divergence (exact or the Hutchinson estimate with the given probe).
     *
     * @param x points, shape (N, ...)
     * @param t time
     * @param probe ε of shape (N, D) for Hutchinson, null for the exact trace
     * @return {v (shape of x), ∇·v (shape (N))}, in the manager of {@code x}
     */
    NDArray[] velocityAndDivergence(NDArray x, double t, NDArray probe) {
        return probe == null ? exact(field, x, t) : hutchinson(field, x, t, probe);
    }

    /**
     * The exact divergence, one backward pass per dimension.
     *
     * @param field v
     * @param x points, shape (N, ...)
     * @param t time
     * @return {v, ∇·v}
     */
    public static NDArray[] exact(VectorField field, NDArray x, double t) {
        long n = x.getShape().get(0);
        long dims = x.getShape().size() / n;
        NDArray velocity = null;
        NDArray[] diagonal = new NDArray[(int) dims];
        for (int i = 0; i < dims; i++) {
            NDArray xg = x.duplicate();
            xg.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray v = field.velocity(xg, t);
                if (i == 0) {
                    velocity = v.stopGradient();
                }
                gc.backward(v.reshape(n, dims).get(new NDIndex(":, " + i)).sum());
            }
            try (NDArray grad = xg.getGradient()) {
                diagonal[i] = grad.reshape(n, dims).get(new NDIndex(":, " + i)).duplicate();
            }
            xg.close();
        }
        NDArray divergence = NDArrays.stack(new ai.djl.ndarray.NDList(diagonal), 1).sum(new int[] {1});
        return new NDArray[] {velocity, divergence};
    }

    /**
     * Hutchinson's estimate εᵀ(∂v/∂x)ε, one backward pass.
     *
     * @param field v
     * @param x points, shape (N, ...)
     * @param t time
     * @param probe ε, shape (N, D)
     * @return {v, the estimate of ∇·v}
     */
    public static NDArray[] hutchinson(VectorField field, NDArray x, double t, NDArray probe) {
        long n = x.getShape().get(0);
        NDArray eps = probe.reshape(x.getShape());
        NDArray xg = x.duplicate();
        xg.setRequiresGradient(true);
        NDArray velocity;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray v = field.velocity(xg, t);
            velocity = v.stopGradient();
            gc.backward(v.mul(eps).sum());
        }
        NDArray divergence;
        try (NDArray grad = xg.getGradient()) {
            divergence = grad.mul(eps).reshape(n, -1).sum(new int[] {1});
        }
        xg.close();
        return new NDArray[] {velocity, divergence};
    }
}
