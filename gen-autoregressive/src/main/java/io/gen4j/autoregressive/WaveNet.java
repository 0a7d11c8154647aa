package io.gen4j.autoregressive;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.gen4j.autoregressive.AutoregressiveMasks.MaskType;
import io.gen4j.core.math.Scalars;
import io.gen4j.core.nn.Conv1d;
import java.util.ArrayList;
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
 * al. 2016, Fast WaveNet) keeps, for every layer, a ring buffer of its last d(k − 1) inputs, so each
 * new sample costs a few small matrix products per layer, independent of R (see {@code Cache}).
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
        return trunk(ps, input.apply(ps, oneHot, training), training);
    }

    /** The network after its input convolution: h_0 (N, R, L) to the logits (N, classes, L). */
    private NDArray trunk(ParameterStore ps, NDArray h, boolean training) {
        int layers = dilated.size();
        NDList zs = new NDList(layers);
        for (int l = 0; l < layers; l++) {
            NDArray z = gate(dilated.get(l).apply(ps, h, training));
            zs.add(z);
            if (l < layers - 1) { // the last layer's residual output feeds nothing
                h = h.add(residualOut.get(l).apply(ps, z, training));
            }
        }
        NDArray skip = skipSum(ps, zs, training);
        NDArray y = head1.apply(ps, skip.getNDArrayInternal().relu(), training).getNDArrayInternal().relu();
        return head2.apply(ps, y, training);
    }

    /**
     * s = Σ_l (W_skip,l ∗ z_l + b_skip,l) as one 1×1 convolution of the z_l concatenated along the channels with
     * the kernels concatenated along their input channels, and the biases summed: the same sums (in another
     * order) as L convolutions and L − 1 additions, in one matrix product. Forward and backward at the
     * bench's sizes (16 × 32 × 512, 8 layers, 64 skip channels; best of 15 × 5 calls): 9.8–10.0 ms against
     * 13.4–13.5 ms.
     *
     * @param zs the gated outputs z_l, each (N, R, L)
     * @return (N, skip, L), in the manager of the first z
     */
    private NDArray skipSum(ParameterStore ps, NDList zs, boolean training) {
        NDArray first = zs.head();
        if (zs.size() == 1) {
            // NDArrays.concat of one array is DJL's duplicate(), which cuts the autograd graph
            return skipOut.get(0).apply(ps, first, training);
        }
        NDManager manager = first.getManager();
        NDList kernels = new NDList(zs.size());
        NDList biases = new NDList(zs.size());
        for (int l = 0; l < zs.size(); l++) {
            kernels.add(skipOut.get(l).kernelAsApplied(ps, first, training));
            biases.add(skipOut.get(l).bias(ps, first, training));
        }
        // operations whose first operand is a parameter land in the model's manager: move them to the data's
        NDArray kernel = NDArrays.concat(kernels, 1);
        kernel.attach(manager);
        // the biases summed by additions, not a stack and a sum: the stack's backward hands every bias a view of
        // one broadcast gradient, which libtorch then keeps as each bias's gradient, so that all of them share
        // one buffer and every later accumulation lands L times (docs/known-issues.md)
        NDArray bias = biases.get(0);
        for (int l = 1; l < biases.size(); l++) {
            bias = bias.add(biases.get(l));
            if (l == 1) {
                bias.attach(manager);
            }
        }
        // concatenated along the channels of their (N, L, R) views: the z_l are stored channels-last (see
        // Conv1d.conv1d), and so is the result (a concatenation along axis 1 of (N, R, L) would store it
        // (N, C, L)-contiguous, a gathering copy)
        NDList rows = new NDList(zs.size());
        for (NDArray z : zs) {
            rows.add(z.transpose(0, 2, 1));
        }
        return Conv1d.conv1d(NDArrays.concat(rows, 2).transpose(0, 2, 1), kernel, bias, 1, 0, 1);
    }

    /**
     * @param ps the parameter store
     * @param classes (N, L) integer classes
     * @param training whether in training
     * @return log p(x_t | x_&lt;t), (N, L) nats
     */
    public NDArray logProbs(ParameterStore ps, NDArray classes, boolean training) {
        NDArray index = classes.toType(DataType.INT64, false);
        NDArray logits = trunk(ps, inputOf(ps, index, training), training);
        // pick the class's entry of the log-softmax (a product with the one-hot and a sum over the 256
        // classes gives the same number with two more arrays of the logits' size, forward and backward)
        long n = index.getShape().get(0);
        long l = index.getShape().get(1);
        // over the last axis of the (N, L, classes) view, which is how the logits are stored (channels-last):
        // log_softmax along axis 1 of (N, classes, L) would copy them to (N, C, L)-contiguous first, and its
        // gradient would reach the output convolution (N, C, L)-contiguous (another copy there)
        return logits.transpose(0, 2, 1).logSoftmax(2).gather(index.reshape(n, l, 1), 2).reshape(n, l);
    }

    /**
     * The input convolution of the one-hot classes, h_0 = W_in ∗_A onehot(x) + b, as a table lookup: its only
     * tap sees x_{t−1}, so h_0(t) = W[:, x_{t−1}, 0] + b, and b at t = 0. The table (classes + 1, R) holds
     * W[:, c, 0] + b in row c and b in the last row, the same sums the convolution makes (one nonzero product
     * each); gathering its rows replaces a one-hot array of N·L·classes numbers and a convolution over it
     * (forward and weight gradient), and the gradient reaches W through the rows used.
     *
     * @param index (N, L) int64 classes
     * @return h_0, (N, R, L) stored channels-last, (N, L, R) in memory, in the manager of {@code index}
     */
    private NDArray inputOf(ParameterStore ps, NDArray index, boolean training) {
        long n = index.getShape().get(0);
        long l = index.getShape().get(1);
        int r = config.residual();
        NDArray b = input.bias(ps, index, training);
        // an operation on the bias lands in the model's manager: move its result to the index's at once
        NDArray bRow = b.reshape(1, r);
        bRow.attach(index.getManager());
        // the masked weight lands in the index's manager, and so does everything made from it
        NDArray table = input.maskedWeight(ps, index, training).get(new NDIndex(":, :, 0")).transpose().add(b)
                .concat(bRow, 0);
        NDArray nothing = index.getManager().full(new Shape(n, 1), config.classes(), DataType.INT64);
        NDArray shifted = l == 1 ? nothing : nothing.concat(index.get(new NDIndex(":, 0:{}", l - 1)), 1);
        NDArray rows = table.get(new NDIndex("{}", shifted.reshape(n * l))); // (N·L, R)
        // (N, L, R) seen as (N, R, L): stored channels-last, as the convolutions take it (Conv1d.conv1d)
        return rows.reshape(n, l, r).transpose(0, 2, 1);
    }

    /**
     * tanh(a) ⊙ σ(b) of the two halves of axis 1, for (N, 2R, L) and (N, 2R) alike: one split, whose
     * gradient is one concatenation (two slices would each zero-fill an array of the whole input).
     */
    private static NDArray gate(NDArray pre) {
        if (pre.getShape().dimension() == 3) {
            // split along the last axis of the (N, L, 2R) view: pre is stored channels-last (Conv1d.conv1d),
            // so the halves' gradients are concatenated into a channels-last array again, as the convolution's
            // backward takes it (concatenated along axis 1 of (N, 2R, L) they would be (N, C, L)-contiguous)
            NDList halves = pre.transpose(0, 2, 1).split(2, 2);
            return halves.get(0).tanh().mul(halves.get(1).getNDArrayInternal().sigmoid()).transpose(0, 2, 1);
        }
        NDList halves = pre.split(2, 1);
        return halves.get(0).tanh().mul(halves.get(1).getNDArrayInternal().sigmoid());
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
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("temperature must be > 0, got " + temperature);
        }
        return cached ? generateCached(ps, manager, n, length, temperature, dataType)
                : generateNaive(ps, manager, n, length, temperature, dataType);
    }

    /** The draw of both generators: the same random numbers for the same logits. */
    private static NDArray draw(NDArray logits, double temperature) {
        // dividing by 1 is exact, so skipping it draws the same classes
        return ArOps.sampleCategorical(temperature == 1.0 ? logits : Scalars.dividedBy(logits, temperature), 1);
    }

    private NDArray generateNaive(ParameterStore ps, NDManager manager, int n, int length, double temperature,
            DataType dataType) {
        int[] x = new int[n * length];
        int field = config.receptiveField();
        try (NDManager gen = manager.newSubManager()) {
            for (int t = 0; t < length; t++) {
                try (NDManager scope = gen.newSubManager()) {
                    int from = Math.max(0, t - field);
                    int len = t - from + 1;
                    float[] hot = new float[n * config.classes() * len];
                    for (int i = 0; i < n; i++) {
                        for (int p = from; p < t; p++) {
                            hot[(i * config.classes() + x[i * length + p]) * len + (p - from)] = 1f;
                        }
                    }
                    NDArray in = scope.create(hot, new Shape(n, config.classes(), len)).toType(dataType, false);
                    NDArray logits = logits(ps, in, false).get(new NDIndex(":, :, {}", len - 1));
                    long[] drawn = draw(logits, temperature).toLongArray();
                    for (int i = 0; i < n; i++) {
                        x[i * length + t] = (int) drawn[i];
                    }
                }
            }
        }
        return manager.create(x, new Shape(n, length));
    }

    private NDArray generateCached(ParameterStore ps, NDManager manager, int n, int length, double temperature,
            DataType dataType) {
        try (NDManager gen = manager.newSubManager(); Cache cache = new Cache(ps, gen, n, dataType)) {
            NDList drawn = new NDList(length);
            NDArray previous = null;
            for (int t = 0; t < length; t++) {
                try (NDManager scope = gen.newSubManager()) {
                    NDArray d = draw(cache.step(scope, previous, t), temperature);
                    d.attach(gen);
                    drawn.add(d);
                    previous = d;
                }
            }
            NDArray out = NDArrays.stack(drawn, 1).toType(DataType.INT32, false);
            out.attach(manager);
            return out;
        }
    }

    /**
     * The state of the fast generator (Paine et al. 2016): for every dilated layer one ring buffer
     * tensor (d(k − 1), n, R) of its last d(k − 1) inputs, and the weights rearranged once into
     * matrices, so one step of all layers is a short chain of small matrix products: per layer one
     * read of the ring per past tap, one concatenation, the filter and gate products, tanh, σ,
     * their product, the write into the ring and the residual product; the skip products of all
     * layers are one product of the concatenated gate outputs. The input convolution of a one-hot
     * vector is a row lookup.
     */
    private final class Cache implements AutoCloseable {
        private final NDManager memory;
        private final int k;
        private final NDArray embed;
        private final NDArray start;
        private final NDArray[] queues;
        private final NDArray[] filterW;
        private final NDArray[] filterB;
        private final NDArray[] gateW;
        private final NDArray[] gateB;
        private final NDArray[] resW;
        private final NDArray[] resB;
        private final NDArray skipW;
        private final NDArray skipB;
        private final NDArray[] head;

        Cache(ParameterStore ps, NDManager parent, int n, DataType dataType) {
            memory = parent.newSubManager();
            k = config.kernel();
            int r = config.residual();
            int layers = dilated.size();
            NDArray probe = memory.zeros(new Shape(1), dataType);
            // input conv, kernel 2 mask A: tap 0 sees x_{t−1}; one-hot c selects column c of tap 0
            NDArray inBias = own(input.bias(ps, probe, false));
            embed = input.maskedWeight(ps, probe, false).get(new NDIndex(":, :, 0")).transpose().add(inBias);
            start = inBias.reshape(1, r).repeat(0, n);
            queues = new NDArray[layers];
            filterW = new NDArray[layers];
            filterB = new NDArray[layers];
            gateW = new NDArray[layers];
            gateB = new NDArray[layers];
            resW = new NDArray[layers];
            resB = new NDArray[layers];
            NDList skips = new NDList(layers);
            NDArray skipBias = null;
            for (int l = 0; l < layers; l++) {
                queues[l] = memory.zeros(new Shape((long) config.dilation(l) * (k - 1), n, r), dataType);
                NDArray w = flat(dilated.get(l).maskedWeight(ps, probe, false));
                NDArray b = own(dilated.get(l).bias(ps, probe, false));
                filterW[l] = w.get(new NDIndex("0:{}, :", r));
                gateW[l] = w.get(new NDIndex("{}:, :", r));
                filterB[l] = b.get(new NDIndex("0:{}", r));
                gateB[l] = b.get(new NDIndex("{}:", r));
                resW[l] = flat(residualOut.get(l).maskedWeight(ps, probe, false));
                resB[l] = own(residualOut.get(l).bias(ps, probe, false));
                skips.add(flat(skipOut.get(l).maskedWeight(ps, probe, false)));
                NDArray sb = own(skipOut.get(l).bias(ps, probe, false));
                skipBias = skipBias == null ? sb : skipBias.add(sb);
            }
            skipW = NDArrays.concat(skips, 1);
            skipB = skipBias;
            head = new NDArray[] {flat(head1.maskedWeight(ps, probe, false)), own(head1.bias(ps, probe, false)),
                flat(head2.maskedWeight(ps, probe, false)), own(head2.bias(ps, probe, false))};
        }

        /**
         * A copy of a parameter in this cache's manager; everything derived from it (and from the
         * masked weights, which land there already) stays there.
         */
        private NDArray own(NDArray parameter) {
            NDArray c = parameter.duplicate();
            c.attach(memory);
            return c;
        }

        /** Moves a per-step array read from the cache's arrays into the step's scope. */
        private static NDArray into(NDManager scope, NDArray x) {
            x.attach(scope);
            return x;
        }

        /** (C_out, C_in, k) -> (C_out, k·C_in), column j·C_in + i = tap j of input channel i. */
        private NDArray flat(NDArray w) {
            Shape s = w.getShape();
            return w.transpose(0, 2, 1).reshape(s.get(0), s.get(1) * s.get(2));
        }

        /** The logits (n, classes) of step t given the classes x_{t−1} (n) (null at t = 0). */
        NDArray step(NDManager scope, NDArray previous, int t) {
            NDArray a = into(scope, previous == null ? start.duplicate() : embed.get(new NDIndex("{}", previous)));
            NDList zs = new NDList(queues.length);
            for (int l = 0; l < queues.length; l++) {
                int d = config.dilation(l);
                int size = d * (k - 1);
                NDList taps = new NDList(k);
                for (int j = 0; j < k - 1; j++) { // tap j sees time t − d(k − 1 − j); before 0 the ring holds zeros
                    taps.add(into(scope, queues[l].get(Math.floorMod(t - d * (k - 1 - j), size))));
                }
                taps.add(a);
                NDArray in = NDArrays.concat(taps, 1);
                NDArray f = Linear.linear(in, filterW[l], filterB[l]).head().tanh();
                NDArray g = Linear.linear(in, gateW[l], gateB[l]).head().getNDArrayInternal().sigmoid();
                NDArray z = f.mul(g);
                queues[l].set(new NDIndex("{}", t % size), a); // after the read: `in` is a copy
                zs.add(z);
                if (l < queues.length - 1) { // the last residual feeds nothing
                    a = a.add(Linear.linear(z, resW[l], resB[l]).head());
                }
            }
            NDArray s = Linear.linear(NDArrays.concat(zs, 1), skipW, skipB).head();
            NDArray y = Linear.linear(s.getNDArrayInternal().relu(), head[0], head[1]).head()
                    .getNDArrayInternal().relu();
            return Linear.linear(y, head[2], head[3]).head();
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
