package io.gen4j.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;

/**
 * Cross-attention from the pixels of a feature map to a context sequence (text tokens), with a
 * residual connection: the conditioning path of latent diffusion (Rombach et al. 2022, "High-
 * Resolution Image Synthesis with Latent Diffusion Models", §3.3).
 *
 * <pre>
 *   h = norm(x) reshaped to (N, H·W, C),   c = context (N, L, D_ctx)
 *   Q = h·W_q,   K = c·W_k,   V = c·W_v              (W_k, W_v map D_ctx -> C)
 *   y = x + reshape(Attention(Q, K, V; mask)·W_o + b_o)
 * </pre>
 *
 * <p>Inputs: {@code NDList(x, context)} or {@code NDList(x, context, mask)} with x (N, C, H, W),
 * context (N, L, D_ctx) and mask (N, L) of 1 for tokens and 0 for padding. The output projection is
 * zero-initialised by default, so a new block is the identity. Arrays computed from the context
 * belong to the manager of x.
 */
public final class CrossAttention extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int channels;
    private final int heads;
    private final Block norm;
    private final Linear query;
    private final Linear key;
    private final Linear value;
    private final Linear projection;

    private CrossAttention(Builder builder) {
        super(VERSION);
        this.channels = builder.channels;
        this.heads = builder.heads;
        this.norm = builder.norm == null ? null : addChildBlock("norm", builder.norm);
        this.query = addChildBlock("q", Linear.builder().setUnits(channels).optBias(false).build());
        this.key = addChildBlock("k", Linear.builder().setUnits(channels).optBias(false).build());
        this.value = addChildBlock("v", Linear.builder().setUnits(channels).optBias(false).build());
        this.projection = addChildBlock("proj", Linear.builder().setUnits(channels).build());
        if (builder.zeroInitOutput) {
            projection.setInitializer(Initializer.ZEROS, Parameter.Type.WEIGHT);
            projection.setInitializer(Initializer.ZEROS, Parameter.Type.BIAS);
        }
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        if (inputs.size() < 2 || inputs.size() > 3) {
            throw new IllegalArgumentException(
                    "inputs must be (x, context) or (x, context, mask), got " + inputs.size()
                            + " arrays");
        }
        NDArray x = inputs.get(0);
        Shape s = x.getShape();
        if (s.dimension() != 4 || s.get(1) != channels) {
            throw new IllegalArgumentException(
                    "x must have shape (N, " + channels + ", H, W), got " + s);
        }
        NDArray context = inputs.get(1);
        if (context.getShape().dimension() != 3 || context.getShape().get(0) != s.get(0)) {
            throw new IllegalArgumentException(
                    "context must have shape (" + s.get(0) + ", L, D), got " + context.getShape());
        }
        NDArray mask = inputs.size() == 3 ? inputs.get(2) : null;
        NDManager manager = x.getManager();
        NDArray ctx = Local.in(manager, context);
        long n = s.get(0);
        long hw = s.get(2) * s.get(3);
        NDArray h = norm == null ? x : norm.forward(ps, new NDList(x), training).singletonOrThrow();
        NDArray seq = h.reshape(n, channels, hw).transpose(0, 2, 1);
        NDArray q = query.forward(ps, new NDList(seq), training).singletonOrThrow();
        NDArray k = key.forward(ps, new NDList(ctx), training).singletonOrThrow();
        NDArray v = value.forward(ps, new NDList(ctx), training).singletonOrThrow();
        NDArray attended = Attention.scaledDotProduct(q, k, v, mask, heads);
        NDArray out = projection.forward(ps, new NDList(attended), training).singletonOrThrow();
        return new NDList(x.add(out.transpose(0, 2, 1).reshape(s)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        if (inputShapes.length < 2) {
            throw new IllegalArgumentException(
                    "initialize with the shapes of x and context, got " + inputShapes.length);
        }
        Shape s = inputShapes[0];
        if (norm != null) {
            norm.initialize(manager, dataType, s);
        }
        Shape seq = new Shape(s.get(0), s.get(2) * s.get(3), channels);
        query.initialize(manager, dataType, seq);
        key.initialize(manager, dataType, inputShapes[1]);
        value.initialize(manager, dataType, inputShapes[1]);
        projection.initialize(manager, dataType, seq);
    }

    /** Builder: {@code setChannels} is required. */
    public static final class Builder extends AttentionBuilder<Builder> {

        private Builder() {}

        @Override
        protected Builder self() {
            return this;
        }

        /** @return the block */
        public CrossAttention build() {
            validate();
            return new CrossAttention(this);
        }
    }
}
