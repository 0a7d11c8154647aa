package io.gen4j.score.matching;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.gen4j.core.math.Scalars;
import io.gen4j.core.model.DenoisingNetwork;
import io.gen4j.core.model.GenerativeModel;
import io.gen4j.core.model.LikelihoodModel;
import io.gen4j.core.model.SampleOptions;
import io.gen4j.core.train.Gradients;
import io.gen4j.score.SamplingResult;
import io.gen4j.score.ScoreFunction;
import io.gen4j.score.langevin.AnnealedLangevinDynamics;
import io.gen4j.score.ode.OdeLikelihood;
import io.gen4j.score.ode.OdeSolver;
import io.gen4j.score.ode.Rk4Solver;
import io.gen4j.score.ode.TraceEstimator;
import io.gen4j.score.sde.PredictorCorrectorSampler;
import io.gen4j.score.sde.VeSde;
import java.util.List;
import java.util.Objects;

/**
 * A noise-conditional score network (NCSN, Song &amp; Ermon 2019) of vectors (an MLP) or images
 * (gen-core's U-Net), trained by {@link DenoisingScoreMatching}: s_θ(x, σ) = n_θ(x, σ)/σ.
 *
 * <p>{@link #sample} offers two samplers, chosen by {@link SampleOptions#sampler()}:
 * <ul>
 *   <li>{@value #ANNEALED_LANGEVIN} (the default): annealed Langevin dynamics from uniform noise on
 *       [−σ_max, σ_max]^D with a final denoising step; {@code options.steps()} overrides the steps
 *       per level T, so it costs L·T + 1 network evaluations;</li>
 *   <li>{@value #PREDICTOR_CORRECTOR}: the VE reverse SDE from N(0, σ_max² I) by predictor–corrector
 *       (Euler–Maruyama and one Langevin corrector step with signal-to-noise ratio {@value #SNR}, the
 *       VE setting of score_sde); {@code options.steps()} is the number of predictor steps N, by
 *       default L·T/2, the same L·T network evaluations as annealed Langevin.</li>
 * </ul>
 *
 * <p>{@link #logLikelihood} reads the network as the score of the VE SDE of its levels ({@link
 * NoiseConditionalScore#onVeSde}) and integrates the probability-flow ODE with RK4 in {@link
 * NcsnSpec#likelihoodSteps()} steps: exact trace for vectors of up to 16 dimensions, Hutchinson's
 * estimator (one Gaussian probe, unbiased) above. It is the likelihood at t = ε of a model whose
 * marginals are only as good as the network is at every σ, hence train with {@code continuous =
 * true} for it. For bits/dim of 8-bit images use {@link #likelihood} with {@link
 * OdeLikelihood#dequantizedBitsPerDim}.
 *
 * @param spec the description
 * @param network n_θ(x, log σ) (MLP) or n_θ(x, 1000·t(σ)) (U-Net), initialized
 */
public record NcsnModel(NcsnSpec spec, Block network) implements GenerativeModel, LikelihoodModel {

    /** Sampler name of annealed Langevin dynamics. */
    public static final String ANNEALED_LANGEVIN = "annealed-langevin";

    /** Sampler name of the VE reverse SDE by predictor–corrector. */
    public static final String PREDICTOR_CORRECTOR = "pc";

    /** The sampler names, default first. */
    public static final List<String> SAMPLERS = List.of(ANNEALED_LANGEVIN, PREDICTOR_CORRECTOR);

    /** The corrector's signal-to-noise ratio r of the predictor–corrector sampler (score_sde, VE). */
    public static final double SNR = 0.16;

    /** Validates. */
    public NcsnModel {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(network, "network");
        if (!(network instanceof DenoisingNetwork)) {
            throw new IllegalArgumentException("the network must be a DenoisingNetwork, got " + network.getClass());
        }
    }

    /**
     * @param spec the description
     * @param manager owner of the parameters
     * @return a fresh model
     */
    public static NcsnModel create(NcsnSpec spec, NDManager manager) {
        Block network = spec.buildNetwork();
        network.initialize(manager, DataType.FLOAT32, new Shape(batchShape(spec, 1)), new Shape(1));
        return new NcsnModel(spec, network);
    }

    private static long[] batchShape(NcsnSpec spec, long n) {
        long[] one = spec.data().shape();
        long[] shape = new long[one.length + 1];
        shape[0] = n;
        System.arraycopy(one, 0, shape, 1, one.length);
        return shape;
    }

    /**
     * The network as a denoiser whose time input is ln σ (what {@link DenoisingScoreMatching} and
     * {@link NoiseConditionalScore} call it with).
     *
     * @return the view
     */
    public DenoisingNetwork logSigmaView() {
        DenoisingNetwork net = (DenoisingNetwork) network;
        if (spec.unet() == null) {
            return net;
        }
        double[] ab = spec.unetTimeOfLogSigma();
        return (parameters, training) -> {
            io.gen4j.core.model.Denoiser d = net.denoiser(parameters, training);
            return (x, logSigma, condition) -> d.predict(x, Scalars.times(logSigma, ab[1]).add(ab[0]), condition);
        };
    }

    /**
     * @param continuous draw σ log-uniformly (VE SDE training) instead of from the L levels
     * @return the training objective
     */
    public DenoisingScoreMatching objective(boolean continuous) {
        return new DenoisingScoreMatching(network, logSigmaView(), spec.levels(), continuous);
    }

    /**
     * @param parameters parameter store of the calls
     * @return the score, time = σ
     */
    public ScoreFunction score(ParameterStore parameters) {
        return NoiseConditionalScore.of(logSigmaView().denoiser(parameters, false));
    }

    /**
     * @param manager owner of the result
     * @param n how many
     * @param stepsPerLevel T
     * @param keepTrajectory whether to keep every state
     * @return annealed Langevin's result
     */
    public SamplingResult annealedLangevin(NDManager manager, int n, int stepsPerLevel, boolean keepTrajectory) {
        double s = spec.levels().sigmaMax();
        NDArray x0 = manager.randomUniform((float) -s, (float) s, new Shape(batchShape(spec, n)), DataType.FLOAT32);
        return new AnnealedLangevinDynamics(spec.levels().sigmas(), stepsPerLevel, spec.epsilon(), true)
                .run(score(new ParameterStore(manager, false)), x0, keepTrajectory);
    }

    /**
     * The VE reverse SDE by predictor–corrector with one corrector step ({@link #SNR}).
     *
     * @param manager owner of the result
     * @param n how many
     * @param steps predictor steps N (2N network evaluations)
     * @param keepTrajectory whether to keep every state
     * @return the sampler's result
     */
    public SamplingResult predictorCorrector(NDManager manager, int n, int steps, boolean keepTrajectory) {
        VeSde sde = spec.sde();
        NDArray xT = sde.samplePrior(manager, new Shape(batchShape(spec, n)));
        return new PredictorCorrectorSampler(steps, 1, SNR).sample(sde, veScore(new ParameterStore(manager, false)),
                xT, keepTrajectory);
    }

    /**
     * @param parameters parameter store of the calls
     * @return the score of the VE SDE's marginals, time = the SDE's t
     */
    public ScoreFunction veScore(ParameterStore parameters) {
        return NoiseConditionalScore.onVeSde(score(parameters), spec.sde());
    }

    /** @return the default predictor steps of {@value #PREDICTOR_CORRECTOR}: L·T/2 (at least 1) */
    public int defaultPredictorSteps() {
        return Math.max(1, spec.levels().count() * spec.stepsPerLevel() / 2);
    }

    @Override
    public NDArray sample(NDManager manager, int n, SampleOptions options) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1, got " + n);
        }
        String sampler = options.sampler() == null ? ANNEALED_LANGEVIN : options.sampler();
        if (!SAMPLERS.contains(sampler)) {
            throw new IllegalArgumentException("an ncsn model samples with one of " + SAMPLERS + ", got '" + sampler
                    + "'");
        }
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = sampler.equals(ANNEALED_LANGEVIN)
                    ? annealedLangevin(scope, n, options.stepsOr(spec.stepsPerLevel()), false).samples()
                    : predictorCorrector(scope, n, options.stepsOr(defaultPredictorSteps()), false).samples();
            x.attach(manager);
            return x;
        }
    }

    /**
     * The PF-ODE likelihood of the VE SDE with a chosen solver and trace (the parameters receive
     * gradients; zero them before training on, as {@link #logLikelihood(NDArray)} does).
     *
     * @param parameters parameter store of the calls
     * @param solver the solver of the augmented ODE
     * @param trace the divergence estimator
     * @return the likelihood, data at t = ε, prior N(0, σ_max² I) at t = 1
     */
    public OdeLikelihood likelihood(ParameterStore parameters, OdeSolver solver, TraceEstimator trace) {
        VeSde sde = spec.sde();
        return new OdeLikelihood(sde.probabilityFlow(veScore(parameters)), solver, sde.minTime(), sde.endTime(), trace,
                sde::priorLogDensity);
    }

    @Override
    public NDArray logLikelihood(NDArray x) {
        TraceEstimator trace = spec.data().size() <= 16 ? TraceEstimator.EXACT : TraceEstimator.HUTCHINSON_GAUSSIAN;
        try {
            return likelihood(new ParameterStore(x.getManager(), false), new Rk4Solver(spec.likelihoodSteps()), trace)
                    .logLikelihood(x);
        } finally {
            Gradients.zero(network);
        }
    }
}
