package io.gen4j.diffusion.discrete;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import io.gen4j.core.model.GenerativeModel;
import io.gen4j.core.model.LikelihoodModel;
import io.gen4j.core.model.SampleOptions;
import java.util.Objects;

/**
 * A score entropy discrete diffusion model (SEDD, Lou, Meng &amp; Ermon 2024, "Discrete Diffusion
 * Modeling by Estimating the Ratios of the Data Distribution") as a gen-core model: a {@link
 * TokenTransformer} whose output is read as concrete scores by a {@link DiscreteProcess}, saved and
 * loaded through {@code ModelStore} (family {@code sedd}, spec {@link SeddSpec}).
 *
 * <p><b>Sampling</b> starts from the process's limit (all masks, or uniform tokens) and runs the
 * spec's sampler with {@link SampleOptions#steps()} network evaluations (0: the spec's). Samples are
 * token ids, shape (n, L), as float32 numbers (the data space of {@code DataSpec.vector(L)}); {@link
 * #decode} turns them into text. Temperature, η and labels are not used. {@link #sample(NDManager,
 * int, int, DiscreteSampler, TokenCondition, boolean)} adds prompts, infilling and the trajectory.
 *
 * <p><b>Likelihood</b>: {@link #logLikelihood} is minus the bound of {@link ScoreEntropyBound} with
 * the spec's number of times, a stochastic lower bound on log p(x) in nats ({@link #isExact()} is
 * false).
 *
 * @param spec the description
 * @param network the initialised transformer
 */
public record SeddModel(SeddSpec spec, TokenTransformer network) implements GenerativeModel, LikelihoodModel {

    /** Validates. */
    public SeddModel {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(network, "network");
        if (!network.isInitialized()) {
            throw new IllegalArgumentException("the transformer must be initialized");
        }
    }

    /**
     * @param spec the description
     * @param manager the manager of the parameters
     * @return a model with freshly initialised parameters (engine RNG)
     */
    public static SeddModel create(SeddSpec spec, NDManager manager) {
        TokenTransformer net = new TokenTransformer(spec.network());
        net.initialize(manager, DataType.FLOAT32, net.initShapes());
        return new SeddModel(spec, net);
    }

    /**
     * @param tMin the smallest training time
     * @return the training objective of this model
     */
    public ScoreEntropyObjective objective(double tMin) {
        return new ScoreEntropyObjective(network, spec.process(), spec.noise(), tMin);
    }

    /**
     * @param parameters the parameter store of the calls
     * @return the network in inference mode, with the spec's process and schedule
     */
    public DiscreteDiffusion diffusion(ParameterStore parameters) {
        return new DiscreteDiffusion((xt, t) -> network.forward(parameters, new NDList(xt, t), false).head(),
                spec.process(), spec.noise());
    }

    @Override
    public NDArray sample(NDManager manager, int n, SampleOptions options) {
        DiscreteSamplerResult r = sample(manager, n, options.stepsOr(spec.sampling().steps()),
                spec.sampling().sampler().sampler(), TokenCondition.none(), false);
        NDArray out = r.samples().toType(DataType.FLOAT32, false);
        if (out != r.samples()) {
            r.samples().close();
        }
        return out;
    }

    /**
     * Draws sequences with a given sampler, optionally with fixed tokens.
     *
     * @param manager the manager of the result
     * @param n sequences, at least 1
     * @param steps network evaluations, at least 1
     * @param sampler the sampler
     * @param condition tokens held fixed, (1, L) or (n, L)
     * @param keepTrajectory whether to keep every step
     * @return INT64 tokens (n, L) and the trajectory
     */
    public DiscreteSamplerResult sample(NDManager manager, int n, int steps, DiscreteSampler sampler,
            TokenCondition condition, boolean keepTrajectory) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1, got " + n);
        }
        NDArray start = spec.process().limit(manager, n, spec.network().length());
        try (NDManager scope = manager.newSubManager()) {
            DiscreteSamplerResult r = sampler.sample(diffusion(new ParameterStore(scope, false)), start, condition,
                    steps, keepTrajectory);
            start.close();
            return r;
        }
    }

    @Override
    public NDArray logLikelihood(NDArray x) {
        double[] nats;
        try (NDManager scope = x.getManager().newSubManager()) {
            nats = ScoreEntropyBound.nats(diffusion(new ParameterStore(scope, false)), x, spec.likelihoodTimes());
        }
        double[] logP = new double[nats.length];
        for (int i = 0; i < nats.length; i++) {
            logP[i] = -nats[i];
        }
        return x.getManager().create(logP);
    }

    @Override
    public boolean isExact() {
        return false;
    }

    /**
     * @param tokens ids (N, L) or (L)
     * @return one string per sequence, masks shown as '_'
     */
    public String[] decode(NDArray tokens) {
        return Alphabet.of(spec.alphabet()).decode(tokens, '_');
    }
}
