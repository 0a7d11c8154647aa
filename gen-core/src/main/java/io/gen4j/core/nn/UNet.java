package io.gen4j.core.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import io.gen4j.core.model.Condition;
import io.gen4j.core.model.Denoiser;
import io.gen4j.core.model.DenoisingNetwork;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The time- and condition-aware U-Net of DDPM (Ho et al. 2020, §B, after PixelCNN++ and Wide
 * ResNet; Ronneberger et al. 2015 for the U shape), shared by diffusion, score models and flow
 * matching.
 *
 * <pre>
 *   emb = MLP(sinusoid(t)) [+ LabelEmbedding(y)]                 (N, 4·base)
 *   h   = Conv3x3(x)
 *   down:   per level i: blocksPerLevel × [ResBlock(emb) → SelfAttn? → CrossAttn?], then a
 *           stride-2 Conv3x3 (not after the last level); every output is kept as a skip
 *   middle: ResBlock → SelfAttn [→ CrossAttn] → ResBlock
 *   up:     per level i (reversed): (blocksPerLevel + 1) × [concat(skip) → ResBlock → attention],
 *           then nearest ×2 upsampling and a Conv3x3 (not after level 0; run as one transposed
 *           convolution of the un-upsampled input, {@link Conv2d#conv2dNearestUpsampled})
 *   out = Conv3x3(SiLU(GroupNorm(h)))                             (zero-initialised by default)
 * </pre>
 *
 * <p>Inference (not training) on the CPU runs channels-last unless the network is narrow ({@link
 * #runsChannelsLast}; {@link #setInferenceMemoryFormat} chooses): the input is stored in (N, H, W, C) memory order
 * (a view for one channel, else a copy of the few input channels), the first convolution writes its output in
 * that order, libtorch's operators keep it, and oneDNN's convolutions then run on it without reordering every
 * input and output to their blocked layout and back (DDPM's sampler step about 10 % faster, docs/performance.md,
 * session 26); the output is returned (N, C, H, W)-contiguous. The values are the
 * same sums in another order (float32 rounding apart). Training stays (N, C, H, W): libtorch's channels-last
 * GroupNorm backward is several times slower at 32 × 32, and a backward through an inference forward (guidance)
 * pays that too.
 *
 * <p>Residual blocks are {@link ResidualBlock} (GroupNorm, SiLU, dropout, embedding added between
 * the two convolutions); every convolution is the guarded {@link Conv2d}. {@code t} is fed to the
 * sinusoid as is: a DDPM step index in [0, T), or a continuous time scaled to a similar range.
 *
 * <p>Inputs of {@link #forward(ParameterStore, NDList, boolean)}: {@code (x, t)}, {@code (x, t,
 * labels)} with integer labels (N), or {@code (x, t, context[, mask])} with context (N, L,
 * contextDim) for the cross-attention seam. What sits at that seam is a {@link
 * ContextBlockFactory}: a residual {@link CrossAttention} by default, Stable Diffusion's {@link
 * SpatialTransformer} (self-attention + cross-attention + feed-forward, replacing the separate
 * self-attention) with {@code new UNet(config, SpatialTransformer.factory())}. {@link #denoiser} adapts the network to {@link
 * Denoiser}. The spatial size must be divisible by 2^(levels − 1). Results belong to the manager of
 * x; labels, t and context from other managers are copied into it.
 */
public final class UNet extends AbstractBlock implements DenoisingNetwork {

    private static final byte VERSION = 1;

    private final UNetConfig config;
    private final Mlp timeMlp;
    private final LabelEmbedding labelEmbedding;
    private final Conv2d inputConv;
    private final List<List<Unit>> down = new ArrayList<>();
    private final List<Conv2d> downsample = new ArrayList<>();
    private final Unit middle;
    private final ResidualBlock middleOut;
    private final List<List<Unit>> up = new ArrayList<>();
    private final List<Conv2d> upsample = new ArrayList<>();
    private final GroupNorm outNorm;
    private final Conv2d outConv;
    private final ContextBlockFactory contextBlocks;
    private final List<Block> contextBlockList = new ArrayList<>();
    private long macsPerExample;
    private volatile MemoryFormat inferenceMemoryFormat = MemoryFormat.AUTO;

    /**
     * The memory order an inference forward runs in ({@link #setInferenceMemoryFormat}); training always runs
     * (N, C, H, W), and the output is (N, C, H, W)-contiguous either way.
     */
    public enum MemoryFormat {
        /** Channels-last on the CPU for networks where that measured faster (see {@link #runsChannelsLast}). */
        AUTO,
        /** (N, C, H, W) throughout, as in training. */
        CONTIGUOUS,
        /** (N, H, W, C) on the CPU; on a GPU the same as {@link #CONTIGUOUS}. */
        CHANNELS_LAST
    }

    /**
     * The conditioning seam: builds the block that mixes the context (text embeddings) into the
     * feature map at every attention level and in the middle, when {@link UNetConfig#contextDim()}
     * is positive. The block takes {@code (h, context)} or {@code (h, context, mask)} and returns a
     * map of h's shape. The default is a residual {@link CrossAttention}; {@link
     * SpatialTransformer#factory()} gives Stable Diffusion's self-attention + cross-attention +
     * feed-forward block.
     */
    @FunctionalInterface
    public interface ContextBlockFactory {
        /**
         * @param channels the channels of the feature map at that place
         * @param config the U-Net's configuration (heads, groups)
         * @return a new, uninitialised block
         */
        Block create(int channels, UNetConfig config);

        /**
         * @return whether the blocks bring their own self-attention, so that the U-Net leaves out
         *     its separate self-attention block wherever a context block stands (Stable Diffusion's
         *     layout); false by default
         */
        default boolean includesSelfAttention() {
            return false;
        }
    }

    /** A residual block followed by optional self- and cross-attention. */
    private static final class Unit {
        final ResidualBlock res;
        final SelfAttention attention;
        final Block cross;

        Unit(ResidualBlock res, SelfAttention attention, Block cross) {
            this.res = res;
            this.attention = attention;
            this.cross = cross;
        }
    }

    /**
     * @param config the hyperparameters
     */
    public UNet(UNetConfig config) {
        this(config, (ch, c) -> CrossAttention.builder().setChannels(ch).optHeads(c.heads())
                .optNorm(GroupNorm.of(c.groups())).build());
    }

    /**
     * A U-Net whose context blocks come from a factory (the conditioning seam).
     *
     * @param config the hyperparameters
     * @param contextBlocks builds the block at each place that attends to the context
     */
    public UNet(UNetConfig config, ContextBlockFactory contextBlocks) {
        super(VERSION);
        this.config = config;
        this.contextBlocks = java.util.Objects.requireNonNull(contextBlocks, "contextBlocks");
        int e = config.embeddingDim();
        timeMlp = addChildBlock("time", Mlp.builder().setHidden(e).setOutput(e)
                .optActivation(Activation.SILU).build());
        labelEmbedding = config.numClasses() > 0
                ? addChildBlock("label", new LabelEmbedding(config.numClasses(), e, true))
                : null;
        inputConv = addChildBlock("in", conv3(config.baseChannels(), 1));
        for (int i = 0; i < config.levels(); i++) {
            List<Unit> units = new ArrayList<>();
            for (int j = 0; j < config.blocksPerLevel(); j++) {
                units.add(unit("down" + i + "_" + j, i));
            }
            down.add(units);
            if (i < config.levels() - 1) {
                downsample.add(addChildBlock("down" + i + "_pool", conv3(config.channelsAt(i), 2)));
            }
        }
        int last = config.levels() - 1;
        ResidualBlock mid = addChildBlock("mid_res1", residual(config.channelsAt(last)));
        boolean ownSelfAttention = config.contextDim() > 0 && contextBlocks.includesSelfAttention();
        middle = new Unit(mid, ownSelfAttention ? null
                : addChildBlock("mid_attn", selfAttention(config.channelsAt(last))),
                config.contextDim() > 0
                        ? addChildBlock("mid_cross", crossAttention(config.channelsAt(last)))
                        : null);
        middleOut = addChildBlock("mid_res2", residual(config.channelsAt(last)));
        for (int i = last; i >= 0; i--) {
            List<Unit> units = new ArrayList<>();
            for (int j = 0; j <= config.blocksPerLevel(); j++) {
                units.add(unit("up" + i + "_" + j, i));
            }
            up.add(units);
            if (i > 0) {
                upsample.add(addChildBlock("up" + i + "_conv", conv3(config.channelsAt(i), 1)));
            }
        }
        outNorm = addChildBlock("out_norm", new GroupNorm(config.groups(), 1e-5f, true));
        outConv = addChildBlock("out", conv3(config.outChannels(), 1));
        if (config.zeroInitOutput()) {
            outConv.setInitializer(Initializer.ZEROS, Parameter.Type.WEIGHT);
            outConv.setInitializer(Initializer.ZEROS, Parameter.Type.BIAS);
        }
    }

    private Unit unit(String name, int level) {
        int ch = config.channelsAt(level);
        ResidualBlock res = addChildBlock(name + "_res", residual(ch));
        boolean ownSelfAttention = config.contextDim() > 0 && contextBlocks.includesSelfAttention();
        SelfAttention attention = config.hasAttention(level) && !ownSelfAttention
                ? addChildBlock(name + "_attn", selfAttention(ch))
                : null;
        Block cross = config.hasAttention(level) && config.contextDim() > 0
                ? addChildBlock(name + "_cross", crossAttention(ch))
                : null;
        return new Unit(res, attention, cross);
    }

    private ResidualBlock residual(int channels) {
        return new ResidualBlock(channels, config.groups(), config.embeddingDim(), config.dropout());
    }

    private SelfAttention selfAttention(int channels) {
        return SelfAttention.builder().setChannels(channels).optHeads(config.heads())
                .optNorm(GroupNorm.of(config.groups())).build();
    }

    private Block crossAttention(int channels) {
        Block block = contextBlocks.create(channels, config);
        contextBlockList.add(block);
        return block;
    }

    /**
     * @return the context blocks (cross-attention or spatial transformers) from the input to the
     *     output side, the middle one included; empty without a context
     */
    public List<Block> contextBlocks() {
        return List.copyOf(contextBlockList);
    }

    private static Conv2d conv3(int filters, int stride) {
        return Conv2d.builder().setFilters(filters).setKernelSize(3).optStride(stride)
                .optPadding(1).build();
    }

    /** @return the hyperparameters */
    public UNetConfig config() {
        return config;
    }

    /**
     * @return multiply-accumulates of one forward pass per example (convolutions, linear layers
     *     and attention products), known after {@link #initialize}; 0 before
     */
    public long macsPerExample() {
        return macsPerExample;
    }

    /**
     * Chooses the memory order of inference forwards; training is not affected.
     *
     * @param format {@link MemoryFormat#AUTO} (the default), {@link MemoryFormat#CONTIGUOUS} or {@link
     *     MemoryFormat#CHANNELS_LAST}
     * @return this network
     */
    public UNet setInferenceMemoryFormat(MemoryFormat format) {
        this.inferenceMemoryFormat = Objects.requireNonNull(format, "format");
        return this;
    }

    /** @return the memory order chosen for inference forwards ({@link MemoryFormat#AUTO} by default) */
    public MemoryFormat inferenceMemoryFormat() {
        return inferenceMemoryFormat;
    }

    /**
     * Whether an inference forward on a device runs channels-last: never on a GPU; on the CPU always for {@link
     * MemoryFormat#CHANNELS_LAST}, never for {@link MemoryFormat#CONTIGUOUS}, and for {@link MemoryFormat#AUTO}
     * when level 0 has at least 24 channels or a multiple of 8 channels per GroupNorm group. Narrower networks
     * (the README quickstart's 16 channels in 8 groups, 8 channels) run (N, C, H, W): their channels-last
     * group norms over 2–4 channels per group cost more than the reorders the convolutions save (batch 64 on
     * one thread of a Zen 5 EPYC: 16 channels in 8 groups 1.06× the (N, C, H, W) time, 8 channels 1.14×;
     * 16 channels in 2 groups 0.95×, 24 channels 0.91×, 32 channels 0.87–0.96×; docs/performance.md, session 28).
     *
     * @param device where the forward runs
     * @return true for channels-last
     */
    public boolean runsChannelsLast(Device device) {
        if (device.isGpu()) {
            return false;
        }
        return switch (inferenceMemoryFormat) {
            case CONTIGUOUS -> false;
            case CHANNELS_LAST -> true;
            case AUTO -> config.baseChannels() >= 24 || (config.baseChannels() / config.groups()) % 8 == 0;
        };
    }

    /** @return the number of scalar parameters (after initialisation) */
    public long parameterCount() {
        long count = 0;
        for (Parameter p : getParameters().values()) {
            count += p.getArray().size();
        }
        return count;
    }

    /**
     * Runs the network with a typed condition.
     *
     * @param ps the parameter store
     * @param x noisy input (N, C, H, W)
     * @param t times (N)
     * @param condition none, labels (needs numClasses &gt; 0) or an embedding (needs contextDim
     *     &gt; 0); with labels configured, {@code none} uses the null class
     * @param training training mode (dropout)
     * @return (N, outChannels, H, W) in the manager of x
     */
    public NDArray forward(
            ParameterStore ps, NDArray x, NDArray t, Condition condition, boolean training) {
        NDList inputs = new NDList(x, t);
        if (condition instanceof Condition.Labels l) {
            inputs.add(l.labels());
        } else if (condition instanceof Condition.Embedding e) {
            inputs.add(e.context());
            if (e.mask() != null) {
                inputs.add(e.mask());
            }
        }
        return forward(ps, inputs, training).head();
    }

    /**
     * Adapts this network to the {@link Denoiser} contract.
     *
     * @param ps the parameter store used for every call
     * @param training whether to run in training mode
     * @return a denoiser backed by this network
     */
    @Override
    public Denoiser denoiser(ParameterStore ps, boolean training) {
        return (xt, t, condition) -> forward(ps, xt, t, condition, training);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        if (inputs.size() < 2) {
            throw new IllegalArgumentException("inputs must start with (x, t), got "
                    + inputs.size() + " arrays");
        }
        NDArray x = inputs.get(0);
        Shape xs = x.getShape();
        if (xs.dimension() != 4 || xs.get(1) != config.inChannels()) {
            throw new IllegalArgumentException(
                    "x must have shape (N, " + config.inChannels() + ", H, W), got " + xs);
        }
        NDManager manager = x.getManager();
        NDArray t = Local.in(manager, inputs.get(1));
        NDArray labels = null;
        NDArray context = null;
        NDArray mask = null;
        if (inputs.size() >= 3) {
            NDArray c = inputs.get(2);
            if (c.getShape().dimension() == 1) {
                if (labelEmbedding == null) {
                    throw new IllegalArgumentException("labels given but numClasses is 0");
                }
                labels = Local.in(manager, c);
            } else {
                if (config.contextDim() == 0) {
                    throw new IllegalArgumentException("a context given but contextDim is 0");
                }
                context = c;
                mask = inputs.size() >= 4 ? Local.in(manager, inputs.get(3)) : null;
            }
        }
        NDArray tEmb = SinusoidalTimeEmbedding.embed(t, config.baseChannels(), 10000)
                .toType(x.getDataType(), false);
        NDArray emb = timeMlp.forward(ps, new NDList(tEmb), training).head();
        if (labelEmbedding != null) {
            if (labels == null) {
                labels = manager.full(new Shape(xs.get(0)), labelEmbedding.nullLabel(),
                        DataType.INT32);
            }
            emb = emb.add(labelEmbedding.forward(ps, new NDList(labels), training).head());
        }
        // in inference (not training, x not marked for a gradient) every unit runs in its own sub-manager, freed
        // when it returns; only its output (a skip or the next input) is kept
        boolean free = !training && !x.hasGradient();
        boolean channelsLast = !training && runsChannelsLast(x.getDevice());
        NDArray e = emb;
        NDArray ctx = context;
        NDArray msk = mask;
        Deque<NDArray> skips = new ArrayDeque<>();
        NDArray h = scoped(manager, free, () -> inputConv.forward(ps,
                new NDList(channelsLast ? Conv2d.channelsLast(x) : x), training).head(), x);
        skips.push(h);
        for (int i = 0; i < down.size(); i++) {
            for (Unit u : down.get(i)) {
                NDArray in = h;
                h = scoped(manager, free, () -> apply(ps, u, in, e, ctx, msk, training), in, e, ctx, msk);
                skips.push(h);
            }
            if (i < downsample.size()) {
                NDArray in = h;
                Conv2d conv = downsample.get(i);
                h = scoped(manager, free, () -> conv.forward(ps, new NDList(in), training).head(), in);
                skips.push(h);
            }
        }
        NDArray mid = h;
        h = scoped(manager, free, () -> apply(ps, middle, mid, e, ctx, msk, training), mid, e, ctx, msk);
        NDArray midIn = h;
        h = scoped(manager, free, () -> middleOut.forward(ps, new NDList(midIn, e), training).head(), midIn, e);
        if (free) {
            midIn.close();
        }
        // channels-last, a level's up-sampling convolution runs in the next level's first concatenation, which
        // then writes its output (Conv2d.forwardNearestUpsampledConcat: one copy of it fewer)
        Conv2d pending = null;
        for (int k = 0; k < up.size(); k++) {
            for (Unit u : up.get(k)) {
                NDArray in = h;
                NDArray skip = skips.pop();
                Conv2d upConv = pending;
                pending = null;
                h = scoped(manager, free, () -> apply(ps, u, upConv == null ? in.concat(skip, 1)
                        : upConv.forwardNearestUpsampledConcat(ps, in, skip, training), e, ctx, msk, training),
                        in, skip, e, ctx, msk);
                if (free) { // neither is used again (the up path's inputs are never skips)
                    in.close();
                    skip.close();
                }
            }
            if (k < upsample.size()) {
                if (channelsLast) {
                    pending = upsample.get(k);
                    continue;
                }
                NDArray in = h;
                Conv2d conv = upsample.get(k);
                h = scoped(manager, free, () -> conv.forwardNearestUpsampled(ps, in, training, false), in);
                if (free) {
                    in.close();
                }
            }
        }
        NDArray last = h;
        NDArray out = scoped(manager, free, () -> {
            NDArray y = outConv.forward(ps, new NDList(
                    Activation.SILU.apply(outNorm.forward(ps, new NDList(last), training).head())), training).head();
            return channelsLast ? Conv2d.contiguous(y) : y;
        }, last);
        if (free) {
            last.close();
        }
        return new NDList(out);
    }

    /**
     * Runs one unit of the network: as is, or (free) in a sub-manager of {@code manager} into which its
     * inputs are attached for the call, so that everything the unit makes besides its output is closed when
     * it returns; the output is attached to {@code manager}. The same operations in the same order either
     * way, hence bit-identical results.
     */
    private static NDArray scoped(NDManager manager, boolean free, Supplier<NDArray> unit, NDArray... inputs) {
        if (!free) {
            return unit.get();
        }
        try (NDManager scope = manager.newSubManager()) {
            for (NDArray a : inputs) {
                if (a != null) {
                    scope.tempAttachAll(a);
                }
            }
            NDArray out = unit.get();
            out.attach(manager);
            return out;
        }
    }

    private static NDArray apply(ParameterStore ps, Unit u, NDArray h, NDArray emb,
            NDArray context, NDArray mask, boolean training) {
        h = u.res.forward(ps, new NDList(h, emb), training).head();
        if (u.attention != null) {
            h = u.attention.forward(ps, new NDList(h), training).head();
        }
        if (u.cross != null && context != null) {
            NDList in = mask == null ? new NDList(h, context) : new NDList(h, context, mask);
            h = u.cross.forward(ps, in, training).head();
        }
        return h;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape x = inputShapes[0];
        return new Shape[] {new Shape(x.get(0), config.outChannels(), x.get(2), x.get(3))};
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        long n = x.get(0);
        long factor = 1L << (config.levels() - 1);
        if (x.dimension() != 4 || x.get(2) % factor != 0 || x.get(3) % factor != 0) {
            throw new IllegalArgumentException("x must be (N, C, H, W) with H and W divisible by "
                    + factor + " for " + config.levels() + " levels, got " + x);
        }
        int e = config.embeddingDim();
        Shape emb = new Shape(n, e);
        Shape context = new Shape(n, 1, Math.max(config.contextDim(), 1));
        long macs = 2L * config.baseChannels() * e + (long) e * e;
        timeMlp.initialize(manager, dataType, new Shape(n, config.baseChannels()));
        if (labelEmbedding != null) {
            labelEmbedding.initialize(manager, dataType, new Shape(n));
        }
        Deque<Shape> skips = new ArrayDeque<>();
        Shape h = init(manager, dataType, inputConv, x);
        macs += convMacs(inputConv, x, h);
        skips.push(h);
        for (int i = 0; i < down.size(); i++) {
            for (Unit u : down.get(i)) {
                Shape in = h;
                h = initUnit(manager, dataType, u, h, emb, context);
                macs += unitMacs(u, in, h, e);
                skips.push(h);
            }
            if (i < downsample.size()) {
                Shape in = h;
                h = init(manager, dataType, downsample.get(i), h);
                macs += convMacs(downsample.get(i), in, h);
                skips.push(h);
            }
        }
        Shape in = h;
        h = initUnit(manager, dataType, middle, h, emb, context);
        macs += unitMacs(middle, in, h, e);
        middleOut.initialize(manager, dataType, h, emb);
        macs += residualMacs(h, h, e);
        for (int k = 0; k < up.size(); k++) {
            for (Unit u : up.get(k)) {
                Shape skip = skips.pop();
                Shape cat = new Shape(n, h.get(1) + skip.get(1), h.get(2), h.get(3));
                h = initUnit(manager, dataType, u, cat, emb, context);
                macs += unitMacs(u, cat, h, e);
            }
            if (k < upsample.size()) {
                Shape big = new Shape(n, h.get(1), h.get(2) * 2, h.get(3) * 2);
                h = init(manager, dataType, upsample.get(k), big);
                macs += convMacs(upsample.get(k), big, h);
            }
        }
        outNorm.initialize(manager, dataType, h);
        Shape out = init(manager, dataType, outConv, h);
        macs += convMacs(outConv, h, out);
        macsPerExample = macs;
    }

    private static Shape init(NDManager manager, DataType type, Block block, Shape in) {
        block.initialize(manager, type, in);
        return block.getOutputShapes(new Shape[] {in})[0];
    }

    private static Shape initUnit(NDManager manager, DataType type, Unit u, Shape in, Shape emb,
            Shape context) {
        u.res.initialize(manager, type, in, emb);
        Shape h = u.res.getOutputShapes(new Shape[] {in, emb})[0];
        if (u.attention != null) {
            u.attention.initialize(manager, type, h);
        }
        if (u.cross != null) {
            u.cross.initialize(manager, type, h, context);
        }
        return h;
    }

    private static long convMacs(Conv2d conv, Shape in, Shape out) {
        return 9L * in.get(1) * out.get(1) * out.get(2) * out.get(3);
    }

    private static long residualMacs(Shape in, Shape out, int e) {
        long hw = out.get(2) * out.get(3);
        long macs = 9L * hw * out.get(1) * (in.get(1) + out.get(1)) + (long) e * out.get(1);
        if (in.get(1) != out.get(1)) {
            macs += hw * in.get(1) * out.get(1);
        }
        return macs;
    }

    private static long unitMacs(Unit u, Shape in, Shape out, int e) {
        long macs = residualMacs(in, out, e);
        long hw = out.get(2) * out.get(3);
        long c = out.get(1);
        if (u.attention != null) {
            // qkv + output projection + Q·Kᵀ + A·V
            macs += 4L * hw * c * c + 2L * hw * hw * c;
        }
        if (u.cross instanceof SpatialTransformer st) {
            macs += st.macs(hw, 1, 1);
        } else if (u.cross != null) {
            macs += 2L * hw * c * c;
        }
        return macs;
    }
}
