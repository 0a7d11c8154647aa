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
import io.gen4j.core.kernels.InPlaceOps;
import io.gen4j.core.kernels.Kernels;
import io.gen4j.core.math.Scalars;
import io.gen4j.core.nn.Conv1d;
import io.gen4j.core.runtime.StopSignal;
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
                StopSignal.throwIfRequested(); // a safe point: Ctrl-C under the CLI stops here
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
                StopSignal.throwIfRequested(); // a safe point: Ctrl-C under the CLI stops here
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
     * The cached generator's logits for a given sequence (teacher forcing: each step is fed the sequence's previous
     * class instead of a draw), for tests against {@link #logits}.
     *
     * @param ps the parameter store
     * @param manager the result's manager
     * @param classes (n, length) int64 classes
     * @param dataType the network's data type
     * @return (n, classes, length): at t the logits of x_t given x_{&lt;t}
     */
    NDArray cachedLogits(ParameterStore ps, NDManager manager, NDArray classes, DataType dataType) {
        int n = (int) classes.getShape().get(0);
        int length = (int) classes.getShape().get(1);
        try (NDManager gen = manager.newSubManager(); Cache cache = new Cache(ps, gen, n, dataType)) {
            NDList steps = new NDList(length);
            for (int t = 0; t < length; t++) {
                StopSignal.throwIfRequested(); // a safe point: Ctrl-C under the CLI stops here
                try (NDManager scope = gen.newSubManager()) {
                    NDArray previous = null;
                    if (t > 0) {
                        previous = classes.get(new NDIndex(":, {}", t - 1));
                        previous.attach(scope);
                    }
                    NDArray logits = cache.step(scope, previous, t);
                    logits.attach(gen);
                    steps.add(logits);
                }
            }
            NDArray out = NDArrays.stack(steps, 2);
            out.attach(manager);
            return out;
        }
    }

    /**
     * The state of the fast generator (Paine et al. 2016): every layer's past inputs kept, and the weights rearranged
     * once into matrices, so one step of all layers is a short chain of small matrix products written into arrays
     * made once per generation ({@link InPlaceOps}: one new array per step, the logits).
     * <ul>
     *   <li>Layer l's inputs are kept in a ring of d(k − 1) + 1 slots, each (n, k·R): slot u holds the k inputs the
     *       layer reads at time u (times u − d(k − 1), …, u − d, u side by side), so its dilated convolution at time
     *       t is one product of slot t's row block, and its input at time t is written where the slots of times t,
     *       t + d, …, t + d(k − 1) read it (the layer below writes it into slot t directly, k − 1 copies do the
     *       rest). Slots of times before 0 keep zeros: the convolution's padding.
     *   <li>The residual stream is kept without its biases: ã_l = a_l − Σ_{i&lt;l} b_res,i. What they contribute to a
     *       layer's pre-activation, W_j·Σ b over the taps j that read a time ≥ 0, depends on t only through how many
     *       taps do: k bias vectors per layer, chosen per step.
     *   <li>The gate as one σ: tanh(f)·σ(g) = 2·σ(2f)·σ(g) − σ(g), the filter rows of the kernel and its bias doubled
     *       once, σ(2f)·σ(g) written over σ(2f) in place, and the consumers' matrices (residual and skip) as
     *       [2·W, −W]. The layers' gates are written side by side into one (n, L·2R) array, so the skip outputs of
     *       all layers are one product of it.
     * </ul>
     */
    private final class Cache implements AutoCloseable {
        private final NDManager memory;
        private final InPlaceOps ops;
        private final int k;
        private final int layers;
        private final NDArray embed;
        private final NDArray start;
        /** [layer]: d(k − 1) + 1. */
        private final int[] ringSize;
        /** [layer][slot]: (n, k·R) views of the layer's ring. */
        private final NDArray[][] slots;
        /** [layer][slot][tap]: (n, R) views of one input in a slot. */
        private final NDArray[][][] taps;
        /** [layer]: the dilated kernel as (k·R, 2R), the filter half doubled. */
        private final NDArray[] gateT;
        /** [layer][valid taps − 1]: the pre-activation's constant part, (2R), the filter half doubled. */
        private final NDArray[][] gateBias;
        /** [layer]: [2·W_res, −W_res] transposed, (2R, R). */
        private final NDArray[] residualT;
        /** (n, L·2R): every layer's σ(2f)·σ(g) and σ(g). */
        private final NDArray gates;
        private final NDArray[] layerGates;
        private final NDArray[] gateF;
        private final NDArray[] gateG;
        /** [2·W_skip, −W_skip] of every layer side by side, transposed, (L·2R, S), and the summed skip biases. */
        private final NDArray skipT;
        private final NDArray skipB;
        private final NDArray skip;
        private final NDArray head1T;
        private final NDArray head1B;
        private final NDArray hidden;
        private final NDArray head2W;
        private final NDArray head2B;

        Cache(ParameterStore ps, NDManager parent, int n, DataType dataType) {
            memory = parent.newSubManager();
            k = config.kernel();
            int r = config.residual();
            layers = dilated.size();
            NDArray probe = memory.zeros(new Shape(1), dataType);
            ops = Kernels.forArray(probe).inPlace();
            // input conv, kernel 2 mask A: tap 0 sees x_{t−1}; one-hot c selects column c of tap 0
            NDArray inBias = own(input.bias(ps, probe, false));
            embed = input.maskedWeight(ps, probe, false).get(new NDIndex(":, :, 0")).transpose().add(inBias);
            start = inBias.reshape(1, r).repeat(0, n);
            ringSize = new int[layers];
            slots = new NDArray[layers][];
            taps = new NDArray[layers][][];
            gateT = new NDArray[layers];
            gateBias = new NDArray[layers][k];
            residualT = new NDArray[layers];
            float[] doubled = new float[2 * r];
            java.util.Arrays.fill(doubled, 0, r, 2f);
            java.util.Arrays.fill(doubled, r, 2 * r, 1f);
            NDArray scale = memory.create(doubled).toType(dataType, false);
            gates = memory.zeros(new Shape(n, (long) layers * 2 * r), dataType);
            layerGates = new NDArray[layers];
            gateF = new NDArray[layers];
            gateG = new NDArray[layers];
            NDList skips = new NDList(layers);
            NDArray skipBias = null;
            NDArray streamBias = memory.zeros(new Shape(r), dataType); // Σ_{i<l} b_res,i
            for (int l = 0; l < layers; l++) {
                int size = config.dilation(l) * (k - 1) + 1;
                ringSize[l] = size;
                NDArray ring = memory.zeros(new Shape(size, n, (long) k * r), dataType);
                slots[l] = new NDArray[size];
                taps[l] = new NDArray[size][k];
                for (int u = 0; u < size; u++) {
                    slots[l][u] = ring.get(new NDIndex().addIndices(u));
                    for (int j = 0; j < k; j++) {
                        taps[l][u][j] = slots[l][u].get(new NDIndex().addAllDim().addSliceDim((long) j * r,
                                (long) (j + 1) * r));
                    }
                }
                NDArray w = flat(dilated.get(l).maskedWeight(ps, probe, false)); // (2R, k·R)
                NDArray b = dilated.get(l).bias(ps, probe, false);
                gateT[l] = w.mul(scale.reshape(2 * r, 1)).transpose();
                // v valid taps are the last v: b + Σ_{j ≥ k − v} W_j·Σ b_res
                NDArray perTap = w.reshape(2 * r, k, r).matMul(streamBias.reshape(r, 1)).reshape(2 * r, k);
                for (int v = 1; v <= k; v++) {
                    NDArray sum = perTap.get(new NDIndex(":, {}:", k - v)).sum(new int[] {1});
                    gateBias[l][v - 1] = sum.add(b).mul(scale);
                }
                layerGates[l] = gates.get(new NDIndex().addAllDim().addSliceDim((long) l * 2 * r, (long) (l + 1) * 2 * r));
                gateF[l] = layerGates[l].get(new NDIndex().addAllDim().addSliceDim(0, r));
                gateG[l] = layerGates[l].get(new NDIndex().addAllDim().addSliceDim(r, 2L * r));
                NDArray res = flat(residualOut.get(l).maskedWeight(ps, probe, false));
                residualT[l] = NDArrays.concat(new NDList(Scalars.times(res, 2), res.neg()), 1).transpose();
                streamBias = streamBias.add(residualOut.get(l).bias(ps, probe, false));
                NDArray sw = flat(skipOut.get(l).maskedWeight(ps, probe, false));
                skips.add(NDArrays.concat(new NDList(Scalars.times(sw, 2), sw.neg()), 1));
                NDArray sb = own(skipOut.get(l).bias(ps, probe, false));
                skipBias = skipBias == null ? sb : skipBias.add(sb);
            }
            skipT = NDArrays.concat(skips, 1).transpose();
            skipB = skipBias;
            skip = memory.zeros(new Shape(n, config.skip()), dataType);
            head1T = flat(head1.maskedWeight(ps, probe, false)).transpose();
            head1B = own(head1.bias(ps, probe, false));
            hidden = memory.zeros(new Shape(n, config.skip()), dataType);
            head2W = flat(head2.maskedWeight(ps, probe, false));
            head2B = own(head2.bias(ps, probe, false));
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

        /** (C_out, C_in, k) -> (C_out, k·C_in), column j·C_in + i = tap j of input channel i. */
        private NDArray flat(NDArray w) {
            Shape s = w.getShape();
            return w.transpose(0, 2, 1).reshape(s.get(0), s.get(1) * s.get(2));
        }

        /** Writes layer l's input at time t (already in slot t's last tap when {@code written}) where it is read. */
        private void keep(int l, int t, NDArray value, boolean written) {
            int d = config.dilation(l);
            int size = ringSize[l];
            for (int j = written ? k - 2 : k - 1; j >= 0; j--) { // tap j of time t + d(k − 1 − j) reads time t
                ops.copy(taps[l][(t + d * (k - 1 - j)) % size][j], value);
            }
        }

        /** The logits (n, classes) of step t given the classes x_{t−1} (n) (null at t = 0). */
        NDArray step(NDManager scope, NDArray previous, int t) {
            NDArray a = previous == null ? start : embed.get(new NDIndex("{}", previous));
            if (previous != null) {
                a.attach(scope);
            }
            keep(0, t, a, false);
            for (int l = 0; l < layers; l++) {
                int d = config.dilation(l);
                NDArray in = slots[l][t % ringSize[l]];
                int valid = Math.min(k, t / d + 1);
                ops.addmm(layerGates[l], gateBias[l][valid - 1], in, gateT[l]);
                ops.sigmoid(layerGates[l]);
                ops.mul(gateF[l], gateG[l]);
                if (l < layers - 1) { // the last residual feeds nothing
                    NDArray next = taps[l + 1][t % ringSize[l + 1]][k - 1];
                    ops.addmm(next, taps[l][t % ringSize[l]][k - 1], layerGates[l], residualT[l]);
                    keep(l + 1, t, next, true);
                }
            }
            ops.addmm(skip, skipB, gates, skipT);
            ops.relu(skip);
            ops.addmm(hidden, head1B, skip, head1T);
            ops.relu(hidden);
            NDArray logits = Linear.linear(hidden, head2W, head2B).head();
            logits.attach(scope);
            return logits;
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
