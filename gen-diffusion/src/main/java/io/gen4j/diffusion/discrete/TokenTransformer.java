package io.gen4j.diffusion.discrete;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import io.gen4j.core.math.Scalars;
import io.gen4j.core.nn.Activation;
import io.gen4j.core.nn.Attention;
import io.gen4j.core.nn.LabelEmbedding;
import io.gen4j.core.nn.Mlp;
import io.gen4j.core.nn.SinusoidalTimeEmbedding;
import io.gen4j.core.nn.TransformerBlock;
import java.util.ArrayList;
import java.util.List;

/**
 * A small pre-norm transformer over token sequences (Vaswani et al. 2017; the GPT-2 layer order of
 * nanoGPT), the network of both {@link SeddModel} (bidirectional, time-conditioned) and {@link
 * AutoregressiveTransformerModel} (causal), so the two are compared at the same size:
 *
 * <pre>
 *   h_0 = E[x] + P + MLP(sinusoidal(1000·t))               (token + learned position (+ time) embeddings)
 *   h   = h + Attention(rotary(q), rotary(k), v; LN(h))      (bidirectional, or causal)
 *   h   = h + MLP(LN(h))                                    (width 4D, GELU), depth times
 *   out = Linear(LN(h))                                      (N, L, outputs)
 * </pre>
 *
 * <p>Inputs: tokens (N, L) of an integer type (or float holding integers), and for a time-conditioned
 * network t (N) in [0, 1]. The layers are gen-core's {@link TransformerBlock} (attention through
 * {@link Attention#scaledDotProduct}) with rotary position embeddings on queries and keys, as in SEDD's
 * reference network: without them a bidirectional denoiser has no cheap way to find its neighbours
 * (every masked position looks alike, and learned absolute positions have to discover locality pair
 * by pair), and SEDD stayed at the unigram bound on text (docs/topics/11-05-sedd.md §9); an
 * autoregressive model hides the problem because its input at position i already is x_{i−1}.
 */
public final class TokenTransformer extends AbstractBlock {

    private static final byte VERSION = 1;

    private final TransformerConfig config;
    private final LabelEmbedding tokens;
    private final Parameter positions;
    private final Mlp time;
    private final List<TransformerBlock> layers = new ArrayList<>();
    private final LayerNorm finalNorm;
    private final Linear head;

    /**
     * @param config the sizes
     */
    public TokenTransformer(TransformerConfig config) {
        super(VERSION);
        this.config = config;
        int d = config.width();
        this.tokens = addChildBlock("tokens", new LabelEmbedding(config.inputStates(), d, false));
        this.positions = addParameter(Parameter.builder().setName("positions").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(config.length(), d)).optInitializer(new NormalInitializer(1f)).build());
        this.time = config.timeConditioned()
                ? addChildBlock("time", Mlp.builder().setHidden(d).setOutput(d).optActivation(Activation.SILU).build())
                : null;
        for (int i = 0; i < config.depth(); i++) {
            layers.add(addChildBlock("layer" + i, new TransformerBlock(d, config.heads(), config.causal(), true)));
        }
        this.finalNorm = addChildBlock("norm", LayerNorm.builder().axis(2).build());
        this.head = addChildBlock("head", Linear.builder().setUnits(config.outputs()).build());
    }

    /** @return the sizes */
    public TransformerConfig config() {
        return config;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        Shape s = x.getShape();
        if (s.dimension() != 2 || s.get(1) > config.length()) {
            throw new IllegalArgumentException("tokens must have shape (N, L <= " + config.length() + "), got " + s);
        }
        long length = s.get(1);
        NDArray ids = x.getDataType() == DataType.INT64 ? x : x.toType(DataType.INT64, false);
        NDArray h = tokens.forward(ps, new NDList(ids), training).head();
        NDArray p = ps.getValue(positions, x.getDevice(), training);
        h = h.add(length == config.length() ? p : p.get(h.getManager(), new NDIndex("0:" + length)));
        if (time != null) {
            if (inputs.size() < 2) {
                throw new IllegalArgumentException("a time-conditioned transformer needs (tokens, t)");
            }
            NDArray t = Scalars.times(inputs.get(1).toType(DataType.FLOAT32, false), 1000f);
            NDArray c = time.forward(ps, new NDList(SinusoidalTimeEmbedding.embed(t, config.width(), 10_000)),
                    training).head();
            h = h.add(c.expandDims(1));
        }
        for (TransformerBlock layer : layers) {
            h = layer.forward(ps, new NDList(h), training).head();
        }
        h = finalNorm.forward(ps, new NDList(h), training).head();
        return head.forward(ps, new NDList(h), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), inputShapes[0].get(1), config.outputs())};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        Shape hidden = new Shape(x.get(0), x.get(1), config.width());
        tokens.initialize(manager, dataType, x);
        if (time != null) {
            time.initialize(manager, dataType, new Shape(x.get(0), config.width()));
        }
        for (TransformerBlock layer : layers) {
            layer.initialize(manager, dataType, hidden);
        }
        finalNorm.initialize(manager, dataType, hidden);
        head.initialize(manager, dataType, hidden);
    }

    /**
     * The input shapes to initialise with.
     *
     * @return (1, L) tokens, and (1) times when time-conditioned
     */
    public Shape[] initShapes() {
        return config.timeConditioned()
                ? new Shape[] {new Shape(1, config.length()), new Shape(1)}
                : new Shape[] {new Shape(1, config.length())};
    }
}
