package io.gen4j.autoregressive;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.gen4j.autoregressive.AutoregressiveMasks.MaskType;
import io.gen4j.core.math.Scalars;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * WaveNet (van den Oord et al. 2016): p(x) = Π_t p(x_t | x_&lt;t) over μ-law classes, from a stack of
 * dilated causal convolutions ({@link MaskedConv1d}).
 *
 * <pre>
 *   h_0 = W_in ∗_A onehot(x)                          (kernel 2, mask A: sees x_{t−1})
 *   z_l = tanh(W_f,l ∗_{d_l} h_l) ⊙ σ(W_g,l ∗_{d_l} h_l)   (gated activation, dilation d_l = 2^(l mod n))
 *   h_{l+1} = h_l + W_res,l z_l                       (residual)
 *   s = Σ_l W_skip,l z_l                              (skip connections)
 *   logits = W_2 ReLU(W_1 ReLU(s))                    (256-way softmax)
 * </pre>
 *
 * <p>The receptive field is {@link WaveNetConfig#receptiveField()}. Generation comes in two forms
 * with the same arithmetic order of random draws ({@link #generate}): the <b>naive</b> one runs the
 * whole network over the last R + 1 samples for every new sample; the <b>cached</b> one (Paine et
 * al. 2016, Fast WaveNet) keeps, for every layer, a queue of its last d(k − 1) inputs, so each new
 * sample costs one matrix product per tap and layer, independent of R.
 */
public final class WaveNet extends AbstractBlock {

    private static final byte VERSION = 1;

    private final WaveNetConfig config;
    private final MaskedConv1d input;
    private final List<MaskedConv1d> dilated = new ArrayList<>();
    private final List<MaskedConv1d> residualOut = new ArrayList<>();
    private final List<MaskedConv1d> skipOut = new ArrayList<>();
    private final MaskedConv1d head1;
    private final MaskedConv1d head2;

    /**
     * @param config the hyperparameters
     */
    public WaveNet(WaveNetConfig config) {
        super(VERSION);
        this.config = config;
        int r = config.residual();
        input = addChildBlock("input", new MaskedConv1d(config.classes(), r, 2, 1,
                AutoregressiveMasks.causal1d(2, MaskType.A)));
        for (int l = 0; l < config.layers(); l++) {
            dilated.add(addChildBlock("dilated" + l, new MaskedConv1d(r, 2 * r, config.kernel(), config.dilation(l),
                    null)));
            residualOut.add(addChildBlock("residual" + l, new MaskedConv1d(r, r, 1, 1, null)));
            skipOut.add(addChildBlock("skip" + l, new MaskedConv1d(r, config.skip(), 1, 1, null)));
        }
        head1 = addChildBlock("head1", new MaskedConv1d(config.skip(), config.skip(), 1, 1, null));
        head2 = addChildBlock("head2", new MaskedConv1d(config.skip(), config.classes(), 1, 1, null));
    }

    /** @return the hyperparameters */
    public WaveNetConfig config() {
        return config;
    }

    /**
     * The logits of every p(x_t | x_&lt;t).
     *
     * @param ps the parameter store
     * @param oneHot the input as one-hot vectors (N, classes, L); a zero vector means "nothing" (before
     *     the start)
     * @param training whether in training
     * @return (N, classes, L)
     */
    public NDArray logits(ParameterStore ps, NDArray oneHot, boolean training) {
        NDArray h = input.apply(ps, oneHot, training);
        NDArray skip = null;
        for (int l = 0; l < dilated.size(); l++) {
            NDArray z = gate(dilated.get(l).apply(ps, h, training));
            NDArray s = skipOut.get(l).apply(ps, z, training);
            skip = skip == null ? s : skip.add(s);
            h = h.add(residualOut.get(l).apply(ps, z, training));
        }
        NDArray y = head1.apply(ps, skip.getNDArrayInternal().relu(), training).getNDArrayInternal().relu();
        return head2.apply(ps, y, training);
    }

    /**
     * @param ps the parameter store
     * @param classes (N, L) integer classes
     * @param training whether in training
     * @return log p(x_t | x_&lt;t), (N, L) nats
     */
    public NDArray logProbs(ParameterStore ps, NDArray classes, boolean training) {
        NDArray oneHot = oneHot(classes);
        return logits(ps, oneHot, training).logSoftmax(1).mul(oneHot).sum(new int[] {1});
    }

    private NDArray oneHot(NDArray classes) {
        // (N, L) -> (N, L, C) -> (N, C, L)
        return classes.toType(DataType.INT64, false).oneHot(config.classes()).toType(DataType.FLOAT32, false)
                .transpose(0, 2, 1);
    }

    /** tanh(a) ⊙ σ(b) of the two halves of axis 1, for (N, 2R, L) and (N, 2R) alike. */
    private NDArray gate(NDArray pre) {
        int r = config.residual();
        NDArray a = pre.get(new NDIndex(":, 0:{}", r));
        NDArray b = pre.get(new NDIndex(":, {}:", r));
        return a.tanh().mul(b.getNDArrayInternal().sigmoid());
    }

    /**
     * Generates sequences of classes.
     *
     * @param ps the parameter store
     * @param manager scratch and result manager
     * @param n sequences
     * @param length samples per sequence
     * @param temperature divides the logits
     * @param cached the queue-based generator (true) or the naive one (false)
     * @param dataType FLOAT32, or FLOAT64 for a model initialised in double
     * @return (n, length) int32 classes in the given manager
     */
    public NDArray generate(ParameterStore ps, NDManager manager, int n, int length, double temperature,
            boolean cached, DataType dataType) {
        if (n < 1 || length < 1) {
            throw new IllegalArgumentException("n and length must be >= 1, got " + n + " and " + length);
        }
        int[] x = new int[n * length];
        try (NDManager gen = manager.newSubManager()) {
            Cache cache = cached ? new Cache(ps, gen, n, dataType) : null;
            int field = config.receptiveField();
            for (int t = 0; t < length; t++) {
                try (NDManager scope = gen.newSubManager()) {
                    NDArray logits;
                    if (cached) {
                        logits = cache.step(scope, t == 0 ? null : column(x, n, length, t - 1));
                    } else {
                        int from = Math.max(0, t - field);
                        int len = t - from + 1;
                        float[] hot = new float[n * config.classes() * len];
                        for (int i = 0; i < n; i++) {
                            for (int p = from; p < t; p++) {
                                hot[(i * config.classes() + x[i * length + p]) * len + (p - from)] = 1f;
                            }
                        }
                        NDArray in = scope.create(hot, new Shape(n, config.classes(), len)).toType(dataType, false);
                        logits = logits(ps, in, false).get(new NDIndex(":, :, {}", len - 1));
                    }
                    long[] drawn = ArOps.sampleCategorical(Scalars.dividedBy(logits, temperature), 1).toLongArray();
                    for (int i = 0; i < n; i++) {
                        x[i * length + t] = (int) drawn[i];
                    }
                }
            }
            if (cache != null) {
                cache.close();
            }
        }
        return manager.create(x, new Shape(n, length));
    }

    private static int[] column(int[] x, int n, int length, int t) {
        int[] c = new int[n];
        for (int i = 0; i < n; i++) {
            c[i] = x[i * length + t];
        }
        return c;
    }

    /** The per-layer queues of the fast generator. */
    private final class Cache implements AutoCloseable {
        private final NDManager memory;
        private final int n;
        private final DataType dataType;
        private final List<NDArray[]> taps = new ArrayList<>();
        private final List<NDArray> biases = new ArrayList<>();
        private final List<Deque<NDArray>> queues = new ArrayList<>();
        private final NDArray[] inTaps;
        private final NDArray inBias;
        private final NDArray[] res;
        private final NDArray[] skip;
        private final NDArray[] head;

        Cache(ParameterStore ps, NDManager memory, int n, DataType dataType) {
            this.memory = memory.newSubManager();
            this.n = n;
            this.dataType = dataType;
            NDArray probe = this.memory.zeros(new Shape(1), dataType);
            inTaps = taps(input, ps, probe);
            inBias = input.bias(ps, probe, false);
            res = new NDArray[dilated.size() * 2];
            skip = new NDArray[dilated.size() * 2];
            for (int l = 0; l < dilated.size(); l++) {
                taps.add(taps(dilated.get(l), ps, probe));
                biases.add(dilated.get(l).bias(ps, probe, false));
                res[2 * l] = taps(residualOut.get(l), ps, probe)[0];
                res[2 * l + 1] = residualOut.get(l).bias(ps, probe, false);
                skip[2 * l] = taps(skipOut.get(l), ps, probe)[0];
                skip[2 * l + 1] = skipOut.get(l).bias(ps, probe, false);
                Deque<NDArray> q = new ArrayDeque<>();
                int size = config.dilation(l) * (config.kernel() - 1);
                for (int i = 0; i < size; i++) {
                    q.addLast(this.memory.zeros(new Shape(n, config.residual()), dataType));
                }
                queues.add(q);
            }
            head = new NDArray[] {taps(head1, ps, probe)[0], head1.bias(ps, probe, false), taps(head2, ps, probe)[0],
                head2.bias(ps, probe, false)};
        }

        /** (C_out, C_in, k) -> k transposed taps (C_in, C_out), in this cache's manager. */
        private NDArray[] taps(MaskedConv1d conv, ParameterStore ps, NDArray probe) {
            NDArray w = conv.maskedWeight(ps, probe, false);
            NDArray[] t = new NDArray[conv.kernel()];
            for (int j = 0; j < t.length; j++) {
                t[j] = w.get(new NDIndex(":, :, {}", j)).transpose();
            }
            return t;
        }

        /** The logits of step t, given x_{t−1} (null at t = 0). */
        NDArray step(NDManager scope, int[] previous) {
            NDArray prev = scope.zeros(new Shape(n, config.classes()), dataType);
            if (previous != null) {
                prev = scope.create(previous).toType(DataType.INT64, false).oneHot(config.classes())
                        .toType(dataType, false);
            }
            // input conv, kernel 2 mask A: tap 0 sees t − 1, tap 1 (t) is masked to zero
            NDArray a = prev.matMul(inTaps[0]).add(inBias);
            NDArray s = null;
            int k = config.kernel();
            for (int l = 0; l < dilated.size(); l++) {
                Deque<NDArray> q = queues.get(l);
                NDArray[] w = taps.get(l);
                int d = config.dilation(l);
                NDArray[] history = q.toArray(new NDArray[0]); // oldest first: times t − d(k−1), …, t − 1
                NDArray pre = a.matMul(w[k - 1]);
                for (int j = 0; j < k - 1; j++) {
                    pre = pre.add(history[j * d].matMul(w[j])); // tap j sees time t − d(k − 1 − j)
                }
                pre = pre.add(biases.get(l));
                NDArray keep = a.duplicate();
                keep.attach(memory);
                q.addLast(keep);
                q.removeFirst().close();
                NDArray z = gate(pre);
                NDArray sl = z.matMul(skip[2 * l]).add(skip[2 * l + 1]);
                s = s == null ? sl : s.add(sl);
                a = a.add(z.matMul(res[2 * l]).add(res[2 * l + 1]));
            }
            NDArray y = s.getNDArrayInternal().relu().matMul(head[0]).add(head[1]).getNDArrayInternal().relu();
            return y.matMul(head[2]).add(head[3]);
        }

        @Override
        public void close() {
            memory.close();
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return new NDList(logits(ps, inputs.head(), training));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (Block child : getChildren().values()) {
            child.initialize(manager, dataType, new Shape(1, 1, 1));
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), config.classes(), in.get(2))};
    }
}
