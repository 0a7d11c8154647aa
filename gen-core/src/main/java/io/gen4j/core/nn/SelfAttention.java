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
 * Spatial self-attention over the pixels of a feature map, with a residual connection: the
 * attention block of the DDPM / ADM U-Net (Ho et al. 2020, §B; Dhariwal &amp; Nichol 2021).
 *
 * <pre>
 *   h = norm(x)  reshaped to (N, H·W, C)
 *   [Q, K, V] = h·W_qkv + b_qkv
 *   y = x + reshape(Attention(Q, K, V)·W_o + b_o)          (multi-head, see {@link Attention})
 * </pre>
 *
 * <p>The 1×1 projections are linear layers over channels (no convolution, so the convolution bug
 * of docs/known-issues.md §1 does not apply). The output projection is zero-initialised by default, so a
 * new block is the identity (ADM's {@code zero_module}). Input and output: (N, C, H, W).
 */
public final class SelfAttention extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int channels;
    private final int heads;
    private final Block norm;
    private final Linear qkv;
    private final Linear projection;

    private SelfAttention(Builder builder) {
        super(VERSION);
        this.channels = builder.channels;
        this.heads = builder.heads;
        this.norm = builder.norm == null ? null : addChildBlock("norm", builder.norm);
        this.qkv = addChildBlock("qkv", Linear.builder().setUnits(3L * channels).build());
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

    /** @return the number of channels C */
    public int channels() {
        return channels;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        Shape s = x.getShape();
        if (s.dimension() != 4 || s.get(1) != channels) {
            throw new IllegalArgumentException(
                    "input must have shape (N, " + channels + ", H, W), got " + s);
        }
        long n = s.get(0);
        long hw = s.get(2) * s.get(3);
        NDArray h = norm == null ? x : norm.forward(ps, new NDList(x), training).singletonOrThrow();
        NDArray seq = h.reshape(n, channels, hw).transpose(0, 2, 1);
        NDArray qkvOut = qkv.forward(ps, new NDList(seq), training).singletonOrThrow();
        NDList parts = qkvOut.split(3, 2);
        NDArray attended = Attention.scaledDotProduct(parts.get(0), parts.get(1), parts.get(2),
                null, heads);
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
        Shape s = inputShapes[0];
        if (norm != null) {
            norm.initialize(manager, dataType, s);
        }
        Shape seq = new Shape(s.get(0), s.get(2) * s.get(3), channels);
        qkv.initialize(manager, dataType, seq);
        projection.initialize(manager, dataType, seq);
    }

    /** Builder: {@code setChannels} is required; heads, norm and zero-init are optional. */
    public static final class Builder extends AttentionBuilder<Builder> {

        private Builder() {}

        @Override
        protected Builder self() {
            return this;
        }

        /** @return the block */
        public SelfAttention build() {
            validate();
            return new SelfAttention(this);
        }
    }
}
