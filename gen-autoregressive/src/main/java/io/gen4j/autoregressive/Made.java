package io.gen4j.autoregressive;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.gen4j.autoregressive.AutoregressiveMasks.MaskType;
import io.gen4j.core.math.Gaussians;
import io.gen4j.core.math.Scalars;
import io.gen4j.core.nn.FanInUniform;
import io.gen4j.core.runtime.StopSignal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * MADE, the masked autoencoder for distribution estimation (Germain et al. 2015): an MLP whose
 * weights are multiplied by masks ({@link AutoregressiveMasks#dense}) so that the outputs of
 * dimension d see only the dimensions before d in an ordering; one forward pass gives every
 * conditional and the exact log-likelihood
 *
 * <pre>
 *   log p(x) = Σ_d log p(x_d | x_{o &lt; o(d)})
 * </pre>
 *
 * <p>With R &gt; 1 mask sets ({@link MadeConfig#maskSets()}), training draws one set per step
 * (connectivity-agnostic training; with {@link MadeOrdering#ORDER_AGNOSTIC} each set also has its
 * own ordering), and the model's density is the ensemble p(x) = (1/R) Σ_r p_r(x), still an exact
 * likelihood ({@link #logLikelihood(ParameterStore, NDArray, boolean)}); sampling draws a set per
 * example, then that set's chain, which is an exact sample of the same mixture.
 *
 * <p>The masks are not parameters: they are a function of the config (its seed), rebuilt
 * identically by a loaded model.
 */
public final class Made extends AbstractBlock {

    private static final byte VERSION = 1;

    private final MadeConfig config;
    private final List<Parameter> weights = new ArrayList<>();
    private final List<Parameter> biases = new ArrayList<>();
    private final int[] widths;
    private final MaskSet[] sets;

    /** One connectivity pattern: the ordering and one mask per layer (row-major (out, in)). */
    private record MaskSet(int[] order, int[] dimAt, List<float[]> masks) {}

    /**
     * @param config the hyperparameters
     */
    public Made(MadeConfig config) {
        super(VERSION);
        this.config = config;
        int d = config.dims();
        widths = new int[config.layers() + 2];
        widths[0] = d;
        for (int l = 1; l <= config.layers(); l++) {
            widths[l] = config.hidden();
        }
        widths[widths.length - 1] = d * config.paramsPerDim();
        for (int l = 0; l + 1 < widths.length; l++) {
            int in = widths[l];
            weights.add(addParameter(Parameter.builder().setName("weight" + l).setType(Parameter.Type.WEIGHT)
                    .optShape(new Shape(widths[l + 1], in)).optInitializer(FanInUniform.forWeight()).build()));
            biases.add(addParameter(Parameter.builder().setName("bias" + l).setType(Parameter.Type.BIAS)
                    .optShape(new Shape(widths[l + 1])).optInitializer(FanInUniform.forBias(() -> in)).build()));
        }
        sets = new MaskSet[config.maskSets()];
        Random shared = new Random(config.seed());
        int[] sharedOrder = config.ordering() == MadeOrdering.RANDOM
                ? AutoregressiveMasks.randomOrder(d, shared) : AutoregressiveMasks.naturalOrder(d);
        for (int r = 0; r < sets.length; r++) {
            Random rng = new Random(config.seed() * 1_000_003L + r + 1);
            int[] order = config.ordering() == MadeOrdering.ORDER_AGNOSTIC && r > 0
                    ? AutoregressiveMasks.randomOrder(d, rng) : sharedOrder;
            if (config.ordering() == MadeOrdering.ORDER_AGNOSTIC && r == 0) {
                order = AutoregressiveMasks.randomOrder(d, rng);
            }
            sets[r] = masks(order, rng);
        }
    }

    private MaskSet masks(int[] order, Random rng) {
        int d = config.dims();
        List<float[]> masks = new ArrayList<>();
        int[] previous = order;
        for (int l = 1; l <= config.layers(); l++) {
            int[] degrees = AutoregressiveMasks.hiddenDegrees(config.hidden(), previous, d, rng);
            masks.add(AutoregressiveMasks.dense(previous, degrees, MaskType.B));
            previous = degrees;
        }
        int[] outDegrees = new int[d * config.paramsPerDim()];
        for (int u = 0; u < outDegrees.length; u++) {
            outDegrees[u] = order[u % d];
        }
        masks.add(AutoregressiveMasks.dense(previous, outDegrees, MaskType.A));
        int[] dimAt = new int[d];
        for (int i = 0; i < d; i++) {
            dimAt[order[i]] = i;
        }
        return new MaskSet(order, dimAt, masks);
    }

    /** @return the hyperparameters */
    public MadeConfig config() {
        return config;
    }

    /**
     * @param set a mask set in [0, R)
     * @return {@code order[d]}, the position of dimension d in that set's ordering
     */
    public int[] order(int set) {
        return sets[set].order().clone();
    }

    /**
     * @param set a mask set
     * @param layer a layer, 0 = input to first hidden
     * @return that layer's mask, row-major (out, in)
     */
    public float[] mask(int set, int layer) {
        return sets[set].masks().get(layer).clone();
    }

    /**
     * The conditionals' parameters of one mask set.
     *
     * @param ps the parameter store
     * @param x data (N, D)
     * @param set the mask set, in [0, R)
     * @param training whether in training
     * @return (N, P, D): P = 1 logit, or K logits, K means and K log-σ per dimension
     */
    public NDArray conditionals(ParameterStore ps, NDArray x, int set, boolean training) {
        if (set < 0 || set >= sets.length) {
            throw new IllegalArgumentException("set must be in [0, " + sets.length + "), got " + set);
        }
        if (x.getShape().dimension() != 2 || x.getShape().get(1) != config.dims()) {
            throw new IllegalArgumentException("x must have shape (N, " + config.dims() + "), got " + x.getShape());
        }
        NDManager scope = x.getManager();
        NDArray h = x;
        for (int l = 0; l < weights.size(); l++) {
            NDArray w = ps.getValue(weights.get(l), x.getDevice(), training);
            NDArray b = ps.getValue(biases.get(l), x.getDevice(), training);
            NDArray wm = AutoregressiveMasks.apply(w, sets[set].masks().get(l), w.getShape(), scope);
            h = h.matMul(wm.transpose()).add(b);
            if (l + 1 < weights.size()) {
                h = h.getNDArrayInternal().relu();
            }
        }
        return h.reshape(x.getShape().get(0), config.paramsPerDim(), config.dims());
    }

    /**
     * log p_r(x) of one mask set, per dimension.
     *
     * @param params the output of {@link #conditionals}
     * @param x data (N, D)
     * @return (N, D) log p(x_d | x_&lt;d), nats
     */
    public NDArray conditionalLogProbs(NDArray params, NDArray x) {
        if (config.output() == MadeOutput.BERNOULLI) {
            NDArray logit = params.squeeze(1);
            // log Bern(x; σ(l)) = x·l − softplus(l)
            return x.mul(logit).sub(ArOps.softplus(logit));
        }
        int k = config.components();
        // one split, whose backward is one concatenation (three slices would each fill a zero array of the
        // parameters' size and copy into it)
        NDList parts = params.split(new long[] {k, 2L * k}, 1);
        NDArray logits = parts.get(0);
        NDArray mu = parts.get(1);
        NDArray logSigma = Scalars.clip(parts.get(2), -7, 5);
        NDArray z = x.expandDims(1).sub(mu).mul(logSigma.neg().exp());
        // log N(x; μ, σ²) = −z²/2 − log σ − log(2π)/2
        NDArray logN = Scalars.times(z.square(), -0.5).sub(logSigma).sub(0.5 * Gaussians.LOG_2PI);
        return ArOps.logSumExp(logN.add(logits.logSoftmax(1)), 1);
    }

    /**
     * The exact log-likelihood of the model: of its single mask set, or of the ensemble (1/R) Σ_r
     * p_r(x) of all R sets.
     *
     * @param ps the parameter store
     * @param x data (N, D)
     * @param training whether in training
     * @return (N) nats
     */
    public NDArray logLikelihood(ParameterStore ps, NDArray x, boolean training) {
        if (sets.length == 1) {
            return logLikelihood(ps, x, 0, training);
        }
        NDList per = new NDList();
        for (int r = 0; r < sets.length; r++) {
            per.add(logLikelihood(ps, x, r, training));
        }
        return ArOps.logSumExp(NDArrays.stack(per, 1), 1).sub(Math.log(sets.length));
    }

    /**
     * log p_r(x) of one mask set.
     *
     * @param ps the parameter store
     * @param x data (N, D)
     * @param set the set
     * @param training whether in training
     * @return (N) nats
     */
    public NDArray logLikelihood(ParameterStore ps, NDArray x, int set, boolean training) {
        return conditionalLogProbs(conditionals(ps, x, set, training), x).sum(new int[] {1});
    }

    /**
     * Draws samples, one dimension at a time in each example's ordering (D network passes per set
     * used). Each example draws its mask set uniformly (engine RNG), so samples follow the ensemble.
     *
     * @param ps the parameter store
     * @param manager owns the result
     * @param n how many
     * @param temperature divides the logits; multiplies the Gaussians' σ
     * @return (n, D)
     */
    public NDArray sample(ParameterStore ps, NDManager manager, int n, double temperature) {
        int[] setOf = new int[n];
        if (sets.length > 1) {
            try (NDManager draw = manager.newSubManager()) {
                long[] draws = draw.randomInteger(0, sets.length, new Shape(n), DataType.INT64).toLongArray();
                for (int i = 0; i < n; i++) {
                    setOf[i] = (int) draws[i];
                }
            }
        }
        if (sets.length == 1) {
            return sampleSet(ps, manager, n, 0, temperature);
        }
        // the examples of each mask set are sampled together, then put back in their order by one gather
        NDList parts = new NDList(sets.length);
        int[] order = new int[n];
        int filled = 0;
        try {
            for (int r = 0; r < sets.length; r++) {
                int first = filled;
                for (int i = 0; i < n; i++) {
                    if (setOf[i] == r) {
                        order[i] = filled++;
                    }
                }
                if (filled > first) {
                    parts.add(sampleSet(ps, manager, filled - first, r, temperature));
                }
            }
        } catch (RuntimeException | Error e) {
            parts.forEach(NDArray::close); // a stop or a failure: the sets drawn so far
            throw e;
        }
        try (NDManager scope = manager.newSubManager()) {
            NDArray grouped = parts.size() == 1 ? parts.head() : NDArrays.concat(parts);
            grouped.attach(scope);
            parts.forEach(p -> p.attach(scope));
            NDArray out = grouped.get(scope.create(order));
            out.attach(manager);
            return out;
        }
    }

    /** Samples n examples with mask set {@code set}; the (n, D) array stays on the device, nothing is read back. */
    private NDArray sampleSet(ParameterStore ps, NDManager manager, int n, int set, double temperature) {
        int d = config.dims();
        NDArray x = manager.zeros(new Shape(n, d), DataType.FLOAT32);
        try {
            try (NDManager sampling = manager.newSubManager()) {
                for (int position = 0; position < d; position++) {
                    StopSignal.throwIfRequested(); // a safe point: Ctrl-C under the CLI stops here
                    int dim = sets[set].dimAt()[position];
                    try (NDManager scope = sampling.newSubManager()) {
                        NDArray in = x.duplicate();
                        in.attach(scope);
                        NDArray params = conditionals(ps, in, set, false).get(new NDIndex(":, :, {}", dim));
                        x.set(new NDIndex(":, {}", dim), drawOne(params, temperature).toType(DataType.FLOAT32, false));
                    }
                }
            }
        } catch (RuntimeException | Error e) {
            x.close(); // a stop or a failure: no half-drawn examples left in the caller's manager
            throw e;
        }
        return x;
    }

    private NDArray drawOne(NDArray params, double temperature) {
        NDManager m = params.getManager();
        if (config.output() == MadeOutput.BERNOULLI) {
            NDArray p = Scalars.dividedBy(params.squeeze(1), temperature).getNDArrayInternal().sigmoid();
            return m.randomUniform(0f, 1f, p.getShape()).lt(p).toType(DataType.FLOAT32, false);
        }
        int k = config.components();
        NDArray logits = Scalars.dividedBy(params.get(new NDIndex(":, 0:{}", k)), temperature);
        NDArray pick = ArOps.sampleCategorical(logits, 1).oneHot(k).toType(params.getDataType(), false);
        NDArray mu = params.get(new NDIndex(":, {}:{}", k, 2 * k)).mul(pick).sum(new int[] {1});
        NDArray sigma = Scalars.times(Scalars.clip(params.get(new NDIndex(":, {}:{}", 2 * k, 3 * k)), -7, 5).exp().mul(pick)
                .sum(new int[] {1}), temperature);
        return mu.add(m.randomNormal(mu.getShape()).mul(sigma));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return new NDList(conditionals(ps, inputs.head(), 0, training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), config.paramsPerDim(), config.dims())};
    }
}
