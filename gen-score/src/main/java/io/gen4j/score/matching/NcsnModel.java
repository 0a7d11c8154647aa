package io.gen4j.score.matching;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.gen4j.core.model.GenerativeModel;
import io.gen4j.core.model.LikelihoodModel;
import io.gen4j.core.model.SampleOptions;
import io.gen4j.core.train.Gradients;
import io.gen4j.score.ScoreFunction;
import io.gen4j.score.langevin.AnnealedLangevinDynamics;
import io.gen4j.score.nn.MlpField;
import io.gen4j.score.ode.OdeLikelihood;
import io.gen4j.score.ode.Rk4Solver;
import io.gen4j.score.ode.TraceEstimator;
import io.gen4j.score.sde.VeSde;
import java.util.Objects;

/**
 * A noise-conditional score network (NCSN, Song &amp; Ermon 2019) of vector data, trained by {@link
 * DenoisingScoreMatching}.
 *
 * <p>{@link #sample} runs annealed Langevin dynamics from uniform noise on [−σ_max, σ_max]^D with a
 * final denoising step ({@code options.steps()} overrides the steps per level). {@link #logLikelihood}
 * reads the network as the score of the VE SDE of its levels ({@link NoiseConditionalScore#onVeSde})
 * and integrates the probability-flow ODE with the exact trace (RK4): the likelihood at t = ε of a
 * model whose marginals are only as good as the network is at every σ, hence train it with {@code
 * continuous = true} for this.
 *
 * @param spec the description
 * @param network n_θ(x, log σ)
 */
public record NcsnModel(NcsnSpec spec, MlpField network) implements GenerativeModel, LikelihoodModel {

    /** Validates. */
    public NcsnModel {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(network, "network");
    }

    /**
     * @param spec the description
     * @param manager owner of the parameters
     * @return a fresh model
     */
    public static NcsnModel create(NcsnSpec spec, NDManager manager) {
        return new NcsnModel(spec, MlpField.field(spec.mlp()).initialize(manager, DataType.FLOAT32));
    }

    /**
     * @param continuous draw σ log-uniformly (VE SDE training) instead of from the L levels
     * @return the training objective
     */
    public DenoisingScoreMatching objective(boolean continuous) {
        return new DenoisingScoreMatching(network, network, spec.levels(), continuous);
    }

    /**
     * @param parameters parameter store of the calls
     * @return the score, time = σ
     */
    public ScoreFunction score(ParameterStore parameters) {
        return NoiseConditionalScore.of(network.denoiser(parameters, false));
    }

    /**
     * @param manager owner of the result
     * @param n how many
     * @param stepsPerLevel T
     * @param keepTrajectory whether to keep every state
     * @return annealed Langevin's result
     */
    public io.gen4j.score.SamplingResult annealedLangevin(NDManager manager, int n, int stepsPerLevel,
            boolean keepTrajectory) {
        double s = spec.levels().sigmaMax();
        NDArray x0 = manager.randomUniform((float) -s, (float) s, new Shape(n, spec.mlp().dims()), DataType.FLOAT32);
        return new AnnealedLangevinDynamics(spec.levels().sigmas(), stepsPerLevel, spec.epsilon(), true)
                .run(score(new ParameterStore(manager, false)), x0, keepTrajectory);
    }

    @Override
    public NDArray sample(NDManager manager, int n, SampleOptions options) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1, got " + n);
        }
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = annealedLangevin(scope, n, options.stepsOr(spec.stepsPerLevel()), false).samples();
            x.attach(manager);
            return x;
        }
    }

    @Override
    public NDArray logLikelihood(NDArray x) {
        VeSde sde = spec.sde();
        ScoreFunction score = NoiseConditionalScore.onVeSde(score(new ParameterStore(x.getManager(), false)), sde);
        try {
            return new OdeLikelihood(sde.probabilityFlow(score), new Rk4Solver(spec.likelihoodSteps()),
                    sde.minTime(), sde.endTime(), TraceEstimator.EXACT, sde::priorLogDensity).logLikelihood(x);
        } finally {
            Gradients.zero(network);
        }
    }
}
