package io.gen4j.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import io.gen4j.core.math.Scalars;
import java.util.function.Consumer;

/**
 * Stable Diffusion's spatial transformer (Rombach et al. 2022, "High-Resolution Image Synthesis
 * with Latent Diffusion Models", §3.3 and the {@code SpatialTransformer} / {@code
 * BasicTransformerBlock} of their code): the pixels of a feature map become a token sequence that
 * goes through one pre-norm transformer block with self-attention, cross-attention to a context
 * (text embeddings) and a GEGLU feed-forward, then back to the map with a residual connection.
 *
 * <pre>
 *   h = Linear_in(GroupNorm(x) reshaped to (N, H·W, C))
 *   h = h + SelfAttn(LN_1(h))                          Q, K, V from h
 *   h = h + CrossAttn(LN_2(h), c; mask)                Q from h, K and V from c (N, L, D_ctx)
 *   h = h + Linear(a ⊙ GELU(b)),  (a, b) = Linear(LN_3(h))   (GEGLU, width 4C; Shazeer 2020)
 *   y = x + reshape(Linear_out(h))                     (Linear_out zero-initialised: a new block is the identity)
 * </pre>
 *
 * <p>Inputs: {@code (x, context)} or {@code (x, context, mask)}, x (N, C, H, W), context (N, L,
 * D_ctx), mask (N, L) with 1 for tokens and 0 for padding (padded keys get −10⁹ before the softmax,
 * so they receive exactly zero weight). Attention is gen-core's {@link Attention#scaledDotProduct}.
 * The block is what {@link UNet} puts at its attention levels when built with {@link
 * UNet#UNet(UNetConfig, UNet.ContextBlockFactory)} and {@link #factory()}. An optional probe
 * ({@link #setProbe}) receives the cross-attention weights of every call (for attention-map
 * figures); it is not part of the saved state.
 */
public final class SpatialTransformer extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int channels;
    private final int heads;
    private final GroupNorm norm;
    private final Linear projIn;
    private final LayerNorm norm1;
    private final Linear qkv;
    private final Linear selfOut;
    private final LayerNorm norm2;
    private final Linear query;
    private final Linear key;
    private final Linear value;
    private final Linear crossOut;
    private final LayerNorm norm3;
    private final Linear ffIn;
    private final Linear ffOut;
    private final Linear projOut;
    private Consumer<NDArray> probe;

    /**
     * @param channels C of the feature map, divisible by {@code groups} and {@code heads}
     * @param heads attention heads
     * @param groups GroupNorm groups of the input normalisation
     */
    public SpatialTransformer(int channels, int heads, int groups) {
        super(VERSION);
        if (channels < 1 || heads < 1 || groups < 1 || channels % heads != 0 || channels % groups != 0) {
            throw new IllegalArgumentException("channels must be >= 1 and divisible by heads and groups, got channels "
                    + channels + ", heads " + heads + ", groups " + groups);
        }
        this.channels = channels;
        this.heads = heads;
        this.norm = addChildBlock("norm", new GroupNorm(groups, 1e-6f, true));
        this.projIn = addChildBlock("proj_in", linear(channels, true));
        this.norm1 = addChildBlock("norm1", LayerNorm.builder().axis(2).build());
        this.qkv = addChildBlock("attn1_qkv", linear(3 * channels, false));
        this.selfOut = addChildBlock("attn1_out", linear(channels, true));
        this.norm2 = addChildBlock("norm2", LayerNorm.builder().axis(2).build());
        this.query = addChildBlock("attn2_q", linear(channels, false));
        this.key = addChildBlock("attn2_k", linear(channels, false));
        this.value = addChildBlock("attn2_v", linear(channels, false));
        this.crossOut = addChildBlock("attn2_out", linear(channels, true));
        this.norm3 = addChildBlock("norm3", LayerNorm.builder().axis(2).build());
        this.ffIn = addChildBlock("ff_in", linear(8 * channels, true));
        this.ffOut = addChildBlock("ff_out", linear(channels, true));
        this.projOut = addChildBlock("proj_out", linear(channels, true));
        projOut.setInitializer(Initializer.ZEROS, Parameter.Type.WEIGHT);
        projOut.setInitializer(Initializer.ZEROS, Parameter.Type.BIAS);
    }

    /**
     * @return a factory for {@link UNet#UNet(UNetConfig, UNet.ContextBlockFactory)} whose blocks
     *     replace the U-Net's separate self-attention (Stable Diffusion's layout)
     */
    public static UNet.ContextBlockFactory factory() {
        return new UNet.ContextBlockFactory() {
            @Override
            public ai.djl.nn.Block create(int ch, UNetConfig config) {
                return new SpatialTransformer(ch, config.heads(), config.groups());
            }

            @Override
            public boolean includesSelfAttention() {
                return true;
            }
        };
    }

    private static Linear linear(int units, boolean bias) {
        return Linear.builder().setUnits(units).optBias(bias).build();
    }

    /**
     * @param listener receives the cross-attention weights of each forward call, shape (N, H·W, L)
     *     averaged over heads, in the manager of x (valid during the call only); {@code null} to stop
     */
    public void setProbe(Consumer<NDArray> listener) {
        this.probe = listener;
    }

    /**
     * @param hw pixels of the feature map
     * @param contextLength L
     * @param contextDim D_ctx
     * @return multiply-accumulates of one forward pass per example
     */
    public long macs(long hw, long contextLength, long contextDim) {
        long c = channels;
        long linears = hw * c * c * (1 + 3 + 1 + 1 + 1 + 8 + 4 + 1);
        long selfProducts = 2L * hw * hw * c;
        long cross = 2L * contextLength * contextDim * c + 2L * hw * contextLength * c;
        return linears + selfProducts + cross;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        if (inputs.size() < 2 || inputs.size() > 3) {
            throw new IllegalArgumentException(
                    "inputs must be (x, context) or (x, context, mask), got " + inputs.size() + " arrays");
        }
        NDArray x = inputs.get(0);
        Shape s = x.getShape();
        if (s.dimension() != 4 || s.get(1) != channels) {
            throw new IllegalArgumentException("x must have shape (N, " + channels + ", H, W), got " + s);
        }
        NDManager manager = x.getManager();
        NDArray context = Local.in(manager, inputs.get(1));
        if (context.getShape().dimension() != 3 || context.getShape().get(0) != s.get(0)) {
            throw new IllegalArgumentException(
                    "context must have shape (" + s.get(0) + ", L, D), got " + context.getShape());
        }
        NDArray mask = inputs.size() == 3 ? Local.in(manager, inputs.get(2)) : null;
        long n = s.get(0);
        long hw = s.get(2) * s.get(3);
        NDArray h = norm.forward(ps, new NDList(x), training).head()
                .reshape(n, channels, hw).transpose(0, 2, 1);
        h = projIn.forward(ps, new NDList(h), training).head();
        // self-attention
        NDArray a = norm1.forward(ps, new NDList(h), training).head();
        NDList parts = qkv.forward(ps, new NDList(a), training).head().split(3, 2);
        NDArray selfAttended = Attention.scaledDotProduct(parts.get(0), parts.get(1), parts.get(2), null, heads);
        h = h.add(selfOut.forward(ps, new NDList(selfAttended), training).head());
        // cross-attention
        NDArray b = norm2.forward(ps, new NDList(h), training).head();
        NDArray q = query.forward(ps, new NDList(b), training).head();
        NDArray k = key.forward(ps, new NDList(context), training).head();
        NDArray v = value.forward(ps, new NDList(context), training).head();
        if (probe != null) {
            probe.accept(weights(q, k, mask));
        }
        NDArray crossAttended = Attention.scaledDotProduct(q, k, v, mask, heads);
        h = h.add(crossOut.forward(ps, new NDList(crossAttended), training).head());
        // GEGLU feed-forward
        NDArray f = norm3.forward(ps, new NDList(h), training).head();
        NDList gate = ffIn.forward(ps, new NDList(f), training).head().split(2, 2);
        NDArray geglu = gate.get(0).mul(Activation.GELU.apply(gate.get(1)));
        h = h.add(ffOut.forward(ps, new NDList(geglu), training).head());
        NDArray out = projOut.forward(ps, new NDList(h), training).head();
        return new NDList(x.add(out.transpose(0, 2, 1).reshape(s)));
    }

    /** softmax(Q·Kᵀ/√d + mask bias) per head, averaged over heads: (N, Lq, L). */
    private NDArray weights(NDArray q, NDArray k, NDArray mask) {
        long n = q.getShape().get(0);
        long lq = q.getShape().get(1);
        long lk = k.getShape().get(1);
        long d = channels / heads;
        NDArray qh = q.reshape(n, lq, heads, d).transpose(0, 2, 1, 3);
        NDArray kh = k.reshape(n, lk, heads, d).transpose(0, 2, 3, 1);
        NDArray scores = Scalars.times(qh.reshape(n * heads, lq, d).batchMatMul(kh.reshape(n * heads, d, lk)),
                1.0 / Math.sqrt(d)).reshape(n, heads, lq, lk);
        if (mask != null) {
            NDArray bias = Scalars.times(q.getManager().ones(mask.getShape(), mask.getDataType()).sub(mask)
                    .toType(scores.getDataType(), false), -1e9).reshape(n, 1, 1, lk);
            scores = scores.add(bias);
        }
        return scores.softmax(-1).mean(new int[] {1});
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        if (inputShapes.length < 2) {
            throw new IllegalArgumentException("initialize with the shapes of x and context, got " + inputShapes.length);
        }
        Shape s = inputShapes[0];
        Shape seq = new Shape(s.get(0), s.get(2) * s.get(3), channels);
        norm.initialize(manager, dataType, s);
        projIn.initialize(manager, dataType, seq);
        norm1.initialize(manager, dataType, seq);
        qkv.initialize(manager, dataType, seq);
        selfOut.initialize(manager, dataType, seq);
        norm2.initialize(manager, dataType, seq);
        query.initialize(manager, dataType, seq);
        key.initialize(manager, dataType, inputShapes[1]);
        value.initialize(manager, dataType, inputShapes[1]);
        crossOut.initialize(manager, dataType, seq);
        norm3.initialize(manager, dataType, seq);
        ffIn.initialize(manager, dataType, seq);
        ffOut.initialize(manager, dataType, new Shape(s.get(0), s.get(2) * s.get(3), 4L * channels));
        projOut.initialize(manager, dataType, seq);
    }
}
