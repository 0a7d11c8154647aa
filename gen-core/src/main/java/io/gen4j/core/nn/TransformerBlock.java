package io.gen4j.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * One pre-norm transformer layer over sequences (Vaswani et al. 2017, with the layer order of GPT-2):
 *
 * <pre>
 *   h = x + W_o · Attention(q, k, v),   [q, k, v] = W_qkv · LN(x) + b   (multi-head, {@link Attention})
 *   y = h + MLP(LN(h))                                                  (width 4D, GELU)
 * </pre>
 *
 * <p>Input (N, L, D), and optionally a padding mask (N, L) with 1 for keys to attend to as a second
 * input; output (N, L, D). With {@code causal}, position i sees only positions &lt;= i. With {@code
 * rotary}, queries and keys are rotated by their position before the dot product (rotary position
 * embeddings, Su et al. 2021, in the "rotate half" layout of GPT-NeoX and of SEDD's reference network):
 * in every head, the pair of channels (j, j + d/2) of position p turns by the angle p·10000^(−2j/d),
 * so a score q_i·k_j depends on the positions only through i − j; this gives each head the relative
 * offsets of the tokens it compares, which learned absolute positions have to discover pair by pair.
 * Rotary needs an even head width and adds no parameters.
 *
 * <p>Child blocks, in this order: {@code norm1}, {@code qkv}, {@code proj}, {@code norm2}, {@code mlp}.
 */
public final class TransformerBlock extends AbstractBlock {

    private static final byte VERSION = 1;
    private static final double ROTARY_BASE = 10_000;

    private final int heads;
    private final boolean causal;
    private final boolean rotary;
    private final LayerNorm norm1;
    private final Linear qkv;
    private final Linear projection;
    private final LayerNorm norm2;
    private final Mlp mlp;

    /**
     * @param width the model width D, divisible by heads
     * @param heads attention heads, at least 1
     * @param causal whether position i attends only to positions &lt;= i
     * @param rotary whether queries and keys get rotary position embeddings (needs an even D/heads)
     */
    public TransformerBlock(int width, int heads, boolean causal, boolean rotary) {
        super(VERSION);
        if (heads < 1 || width < 1 || width % heads != 0) {
            throw new IllegalArgumentException("width must be divisible by heads >= 1, got width " + width
                    + " and heads " + heads);
        }
        if (rotary && (width / heads) % 2 != 0) {
            throw new IllegalArgumentException("rotary position embeddings need an even head width, got "
                    + width / heads);
        }
        this.heads = heads;
        this.causal = causal;
        this.rotary = rotary;
        this.norm1 = addChildBlock("norm1", LayerNorm.builder().axis(2).build());
        this.qkv = addChildBlock("qkv", Linear.builder().setUnits(3L * width).build());
        this.projection = addChildBlock("proj", Linear.builder().setUnits(width).build());
        this.norm2 = addChildBlock("norm2", LayerNorm.builder().axis(2).build());
        this.mlp = addChildBlock("mlp", Mlp.builder().setHidden(4 * width).setOutput(width)
                .optActivation(Activation.GELU).build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray h = inputs.get(0);
        NDArray mask = inputs.size() > 1 ? inputs.get(1) : null;
        NDArray a = norm1.forward(ps, new NDList(h), training).head();
        NDList p = qkv.forward(ps, new NDList(a), training).head().split(3, 2);
        NDArray q = rotary ? rotate(p.get(0), heads) : p.get(0);
        NDArray k = rotary ? rotate(p.get(1), heads) : p.get(1);
        NDArray attended = Attention.scaledDotProduct(q, k, p.get(2), mask, heads, causal);
        h = h.add(projection.forward(ps, new NDList(attended), training).head());
        NDArray m = norm2.forward(ps, new NDList(h), training).head();
        return new NDList(h.add(mlp.forward(ps, new NDList(m), training).head()));
    }

    /**
     * Rotary position embedding of queries or keys: in each head of width d, channels j and j + d/2
     * (j &lt; d/2) of position p become
     *
     * <pre>
     *   x_j cos(p·θ_j) − x_{j+d/2} sin(p·θ_j),   x_{j+d/2} cos(p·θ_j) + x_j sin(p·θ_j),   θ_j = 10000^(−2j/d)
     * </pre>
     *
     * <p>The cosine and sine tables are arrays of x's manager, left open: the backward pass reads them.
     *
     * @param x (N, L, D) with D = heads · d, d even
     * @param heads the number of heads
     * @return the rotated array, (N, L, D), in x's manager
     */
    public static NDArray rotate(NDArray x, int heads) {
        Shape s = x.getShape();
        if (s.dimension() != 3 || heads < 1 || s.get(2) % (2L * heads) != 0) {
            throw new IllegalArgumentException("rotary needs (N, L, D) with D divisible by 2·heads = " + 2 * heads
                    + ", got " + s);
        }
        long n = s.get(0);
        int length = (int) s.get(1);
        int d = (int) (s.get(2) / heads);
        int half = d / 2;
        float[] cos = new float[length * half];
        float[] sin = new float[length * half];
        for (int pos = 0; pos < length; pos++) {
            for (int j = 0; j < half; j++) {
                double angle = pos * Math.pow(ROTARY_BASE, -2.0 * j / d);
                cos[pos * half + j] = (float) Math.cos(angle);
                sin[pos * half + j] = (float) Math.sin(angle);
            }
        }
        NDManager m = x.getManager();
        NDArray c = m.create(cos, new Shape(length, 1, half)).toType(x.getDataType(), false);
        NDArray sn = m.create(sin, new Shape(length, 1, half)).toType(x.getDataType(), false);
        NDArray xs = x.reshape(n, length, heads, d);
        NDArray x1 = xs.get(new NDIndex(":, :, :, 0:" + half));
        NDArray x2 = xs.get(new NDIndex(":, :, :, " + half + ":"));
        NDArray r1 = x1.mul(c).sub(x2.mul(sn));
        NDArray r2 = x2.mul(c).add(x1.mul(sn));
        return r1.concat(r2, 3).reshape(s);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = inputShapes[0];
        norm1.initialize(manager, dataType, s);
        qkv.initialize(manager, dataType, s);
        projection.initialize(manager, dataType, s);
        norm2.initialize(manager, dataType, s);
        mlp.initialize(manager, dataType, s);
    }
}
