package io.gen4j.diffusion.discrete;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.gen4j.core.math.Scalars;
import io.gen4j.core.model.GenerativeModel;
import io.gen4j.core.model.LikelihoodModel;
import io.gen4j.core.model.Likelihoods;
import io.gen4j.core.model.SampleOptions;
import io.gen4j.core.train.LossTerms;
import io.gen4j.core.train.Objective;
import java.util.Map;
import java.util.Objects;

/**
 * The autoregressive baseline of the discrete diffusion models: a causal {@link TokenTransformer}
 * (a small GPT, Radford et al. 2019) with the factorisation
 *
 * <pre>
 *   log p(x) = Σ_i log p_θ(x_i | x_{&lt;i}),   p_θ(· | x_{&lt;i}) = softmax(f_θ(start, x_0, …, x_{i−1})_i)
 * </pre>
 *
 * trained by maximum likelihood ({@link #objective()}), with an exact likelihood ({@link
 * #isExact()} true) and ancestral sampling, L network evaluations per sequence, at the {@link
 * SampleOptions#temperature()} given. Saved and loaded through {@code ModelStore} (family {@code
 * autoregressive-transformer}). Samples are token ids (n, L) as float32.
 *
 * @param spec the description
 * @param network the initialised causal transformer
 */
public record AutoregressiveTransformerModel(AutoregressiveTransformerSpec spec, TokenTransformer network)
        implements GenerativeModel, LikelihoodModel {

    /** Validates. */
    public AutoregressiveTransformerModel {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(network, "network");
        if (!network.isInitialized()) {
            throw new IllegalArgumentException("the transformer must be initialized");
        }
    }

    /**
     * @param spec the description
     * @param manager the manager of the parameters
     * @return a model with freshly initialised parameters
     */
    public static AutoregressiveTransformerModel create(AutoregressiveTransformerSpec spec, NDManager manager) {
        TokenTransformer net = new TokenTransformer(spec.network());
        net.initialize(manager, DataType.FLOAT32, net.initShapes());
        return new AutoregressiveTransformerModel(spec, net);
    }

    /**
     * log p_θ(x_i | x_{&lt;i}) for every position.
     *
     * @param parameters the parameter store
     * @param x tokens (N, L)
     * @param training whether this is a training pass
     * @return (N, L) log-probabilities in nats, in x's manager
     */
    public NDArray tokenLogProbabilities(ParameterStore parameters, NDArray x, boolean training) {
        NDArray ids = Tokens.ids(x);
        long n = ids.getShape().get(0);
        long length = ids.getShape().get(1);
        NDArray start = Scalars.times(ids.getManager().ones(new Shape(n, 1), DataType.INT64), spec.tokens());
        NDArray input = start.concat(ids.get(new NDIndex(":, 0:" + (length - 1))), 1);
        NDArray logits = network.forward(parameters, new NDList(input), training).head();
        return Tokens.dotLast(logits.logSoftmax(-1), Tokens.oneHot(ids, spec.tokens()));
    }

    /** @return the maximum-likelihood objective: mean negative log-likelihood per token (nats) */
    public Objective objective() {
        return Objective.of(network, (context, batch) -> {
            NDArray nll = tokenLogProbabilities(context.parameters(), batch.head(), context.training()).mean().neg();
            return new LossTerms(nll, Map.of("bitsPerToken", Likelihoods.bitsPerDim(nll.neg(), 1, 1.0)));
        });
    }

    @Override
    public NDArray logLikelihood(NDArray x) {
        try (NDManager scope = x.getManager().newSubManager()) {
            NDArray xs = x.duplicate();
            xs.attach(scope);
            double[] out = tokenLogProbabilities(new ParameterStore(scope, false), xs, false).sum(new int[] {1})
                    .toType(DataType.FLOAT64, false).toDoubleArray();
            return x.getManager().create(out);
        }
    }

    @Override
    public NDArray sample(NDManager manager, int n, SampleOptions options) {
        NDArray ids = sample(manager, n, options.temperature(), TokenCondition.none());
        NDArray out = ids.toType(DataType.FLOAT32, false);
        ids.close();
        return out;
    }

    /**
     * Ancestral sampling, one position at a time (positions given by the condition are copied, not
     * drawn: a prompt; an autoregressive model cannot use tokens to the right of the one it draws).
     *
     * @param manager the manager of the result
     * @param n sequences
     * @param temperature divides the logits, &gt; 0
     * @param condition tokens held fixed
     * @return INT64 tokens (n, L)
     */
    public NDArray sample(NDManager manager, int n, double temperature, TokenCondition condition) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1, got " + n);
        }
        int length = spec.network().length();
        long[] drawn = new long[n * length];
        try (NDManager scope = manager.newSubManager()) {
            ParameterStore ps = new ParameterStore(scope, false);
            NDArray given = condition.isNone() ? null
                    : condition.apply(scope.zeros(new Shape(n, length), DataType.INT64));
            long[] givenIds = given == null ? null : given.toLongArray();
            long[] fixed = condition.isNone() ? null
                    : condition.fixed().toType(DataType.INT64, false).broadcast(new Shape(n, length)).toLongArray();
            for (int i = 0; i < length; i++) {
                try (NDManager step = scope.newSubManager()) {
                    NDArray x = step.create(drawn, new Shape(n, length));
                    NDArray start = Scalars.times(step.ones(new Shape(n, 1), DataType.INT64), spec.tokens());
                    NDArray input = i == 0 ? start : start.concat(x.get(new NDIndex(":, 0:" + i)), 1);
                    NDArray logits = Scalars.dividedBy(network.forward(ps, new NDList(input), false).head()
                            .get(new NDIndex(":, " + i)), temperature);
                    long[] next = Tokens.sampleCategorical(logits.softmax(-1)).toLongArray();
                    for (int b = 0; b < n; b++) {
                        int at = b * length + i;
                        drawn[at] = fixed != null && fixed[at] == 1 ? givenIds[at] : next[b];
                    }
                }
            }
        }
        return manager.create(drawn, new Shape(n, length));
    }

    /**
     * @param tokens ids (N, L) or (L)
     * @return one string per sequence
     */
    public String[] decode(NDArray tokens) {
        return Alphabet.of(spec.alphabet()).decode(tokens, '_');
    }
}
