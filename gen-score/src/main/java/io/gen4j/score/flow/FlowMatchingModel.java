package io.gen4j.score.flow;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.gen4j.core.math.Gaussians;
import io.gen4j.core.math.Scalars;
import io.gen4j.core.model.Condition;
import io.gen4j.core.model.DenoisingNetwork;
import io.gen4j.core.model.GenerativeModel;
import io.gen4j.core.model.LikelihoodModel;
import io.gen4j.core.model.SampleOptions;
import io.gen4j.core.train.Gradients;
import io.gen4j.score.SamplingResult;
import io.gen4j.score.VectorField;
import io.gen4j.score.ode.EulerSolver;
import io.gen4j.score.ode.OdeLikelihood;
import io.gen4j.score.ode.OdeSolver;
import io.gen4j.score.ode.Rk4Solver;
import io.gen4j.score.ode.TraceEstimator;
import io.gen4j.score.sde.DenoiserScores;
import java.util.Objects;

/**
 * A flow-matching model (also a rectified flow): a velocity field v_θ(x, t) that carries N(0, I) at
 * t = 0 to the data at t = 1 along dx/dt = v_θ.
 *
 * <p>{@link #sample} integrates the ODE with Euler's method in {@code options.steps()} steps (default
 * {@link FlowMatchingSpec#sampleSteps()}; reads the temperature as the prior's scale); {@link
 * #sample(NDManager, NDArray, OdeSolver, boolean)} takes any solver. {@link #logLikelihood} runs the
 * instantaneous change of variables backwards from t = 1 to 0 with RK4 ({@link OdeLikelihood}):
 * exact trace for vectors of up to 16 dimensions, Hutchinson (Gaussian probe) above; it is exact up to
 * the ODE discretisation (and unbiased for Hutchinson), so {@link #isExact()} is true.
 *
 * @param spec the description
 * @param network the velocity network, initialized
 */
public record FlowMatchingModel(FlowMatchingSpec spec, Block network) implements GenerativeModel, LikelihoodModel {

    /** Validates. */
    public FlowMatchingModel {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(network, "network");
        if (!(network instanceof DenoisingNetwork)) {
            throw new IllegalArgumentException("the network must be a DenoisingNetwork, got " + network.getClass());
        }
    }

    /**
     * @param spec the description
     * @param manager owner of the parameters
     * @return a model with fresh parameters
     */
    public static FlowMatchingModel create(FlowMatchingSpec spec, NDManager manager) {
        Block network = spec.buildNetwork();
        long[] one = spec.data().shape();
        long[] batch = new long[one.length + 1];
        batch[0] = 1;
        System.arraycopy(one, 0, batch, 1, one.length);
        network.initialize(manager, DataType.FLOAT32, new Shape(batch), new Shape(1));
        return new FlowMatchingModel(spec, network);
    }

    /**
     * @param parameters the parameter store of the calls
     * @return v_θ as a vector field in flow time
     */
    public VectorField velocity(ParameterStore parameters) {
        return (x, t) -> ((DenoisingNetwork) network).denoiser(parameters, false)
                .predict(x, DenoiserScores.times(x, t * spec.networkTimeScale()), Condition.none());
    }

    /**
     * @param coupling independent or minibatch OT (ignored for paired batches)
     * @param paired whether batches hold (x_0, x_1) pairs (reflow)
     * @return the training objective of this model
     */
    public FlowMatchingObjective objective(Coupling coupling, boolean paired) {
        return new FlowMatchingObjective(network, (DenoisingNetwork) network, spec.path().create(), coupling,
                spec.networkTimeScale(), paired);
    }

    @Override
    public NDArray sample(NDManager manager, int n, SampleOptions options) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1, got " + n);
        }
        try (NDManager scope = manager.newSubManager()) {
            NDArray x0 = Scalars.times(prior(scope, n), options.temperature());
            NDArray x = sample(scope, x0, new EulerSolver(options.stepsOr(spec.sampleSteps())), false).samples();
            x.attach(manager);
            return x;
        }
    }

    /**
     * @param manager owner of the draw
     * @param n how many
     * @return x_0 ~ N(0, I), shape (n, data shape...)
     */
    public NDArray prior(NDManager manager, int n) {
        long[] one = spec.data().shape();
        long[] shape = new long[one.length + 1];
        shape[0] = n;
        System.arraycopy(one, 0, shape, 1, one.length);
        return manager.randomNormal(0f, 1f, new Shape(shape), DataType.FLOAT32);
    }

    /**
     * Integrates the flow from given noise.
     *
     * @param manager the scope of the parameter store
     * @param x0 noise at t = 0
     * @param solver the solver
     * @param keepTrajectory whether to keep every state
     * @return the points at t = 1 (in the manager of {@code x0})
     */
    public SamplingResult sample(NDManager manager, NDArray x0, OdeSolver solver, boolean keepTrajectory) {
        return solver.solve(velocity(new ParameterStore(manager, false)), x0, 0, 1, keepTrajectory);
    }

    /**
     * @param x data, shape (N, data shape...)
     * @param solver the solver of the augmented ODE
     * @param trace the divergence estimator
     * @return log p(x) in nats per example, in the manager of {@code x}
     */
    public NDArray logLikelihood(NDArray x, OdeSolver solver, TraceEstimator trace) {
        try {
            return new OdeLikelihood(velocity(new ParameterStore(x.getManager(), false)), solver, 1, 0, trace,
                    FlowMatchingModel::standardNormalLogDensity).logLikelihood(x);
        } finally {
            Gradients.zero(network);
        }
    }

    @Override
    public NDArray logLikelihood(NDArray x) {
        TraceEstimator trace = spec.data().size() <= 16 ? TraceEstimator.EXACT : TraceEstimator.HUTCHINSON_GAUSSIAN;
        return logLikelihood(x, new Rk4Solver(spec.likelihoodSteps()), trace);
    }

    /**
     * @param z points, shape (N, ...)
     * @return log N(z; 0, I) per example
     */
    public static NDArray standardNormalLogDensity(NDArray z) {
        long n = z.getShape().get(0);
        long dims = z.getShape().size() / n;
        return Scalars.times(z.reshape(n, -1).square().sum(new int[] {1}), -0.5).sub(0.5 * dims * Gaussians.LOG_2PI);
    }
}
