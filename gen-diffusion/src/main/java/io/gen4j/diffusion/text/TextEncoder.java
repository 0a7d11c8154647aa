package io.gen4j.diffusion.text;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import io.gen4j.core.model.Condition;
import io.gen4j.core.nn.LabelEmbedding;
import io.gen4j.core.nn.TransformerBlock;
import java.util.ArrayList;
import java.util.List;

/**
 * A small bidirectional transformer text encoder (Vaswani et al. 2017, pre-norm as in GPT-2/CLIP):
 * the stand-in for Stable Diffusion's frozen CLIP text encoder, trained here together with the
 * latent U-Net (as LDM's own text-to-image model trained its transformer τ_θ jointly, Rombach et
 * al. 2022 §3.3).
 *
 * <pre>
 *   h_0 = E[ids] + P                                     token + learned position embeddings (N, L, D)
 *   h   = h + Attention(LN(h); mask)                     padding keys masked out
 *   h   = h + MLP(LN(h))                                 width 4D, GELU;  depth times
 *   out = LN(h)                                          (N, L, D): the cross-attention context
 * </pre>
 *
 * <p>Inputs {@code (ids, mask)}: ids (N, L) integer, mask (N, L) with 1 for tokens. The outputs at
 * real positions do not depend on what sits at padded positions; the outputs at padded positions
 * are not meaningful and are masked by the consumer ({@link #condition}).
 */
public final class TextEncoder extends AbstractBlock {

    private static final byte VERSION = 1;

    private final TextEncoderConfig config;
    private final LabelEmbedding tokens;
    private final Parameter positions;
    private final List<TransformerBlock> layers = new ArrayList<>();
    private final LayerNorm finalNorm;

    /**
     * @param config the sizes
     */
    public TextEncoder(TextEncoderConfig config) {
        super(VERSION);
        this.config = config;
        int d = config.width();
        tokens = addChildBlock("tokens", new LabelEmbedding(config.vocabularySize(), d, false));
        positions = addParameter(Parameter.builder().setName("positions").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(config.length(), d)).optInitializer(new NormalInitializer(0.02f)).build());
        for (int i = 0; i < config.depth(); i++) {
            layers.add(addChildBlock("layer" + i, new TransformerBlock(d, config.heads(), false, false)));
        }
        finalNorm = addChildBlock("norm", LayerNorm.builder().axis(2).build());
    }

    /** @return the sizes */
    public TextEncoderConfig config() {
        return config;
    }

    /**
     * Encodes tokens into a cross-attention condition.
     *
     * @param ps the parameter store
     * @param ids (N, L) token ids
     * @param mask (N, L), 1 for tokens
     * @param training training mode
     * @return {@link Condition#embedding} of the (N, L, D) context and the mask, in the manager of ids
     */
    public Condition condition(ParameterStore ps, NDArray ids, NDArray mask, boolean training) {
        return Condition.embedding(forward(ps, new NDList(ids, mask), training).head(), mask);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        if (inputs.size() != 2) {
            throw new IllegalArgumentException("inputs must be (ids, mask), got " + inputs.size() + " arrays");
        }
        NDArray ids = inputs.get(0);
        NDArray mask = inputs.get(1);
        Shape s = ids.getShape();
        if (s.dimension() != 2 || s.get(1) != config.length() || !mask.getShape().equals(s)) {
            throw new IllegalArgumentException("ids and mask must have shape (N, " + config.length() + "), got "
                    + s + " and " + mask.getShape());
        }
        NDArray h = tokens.forward(ps, new NDList(ids.toType(DataType.INT64, false)), training).head();
        h = h.add(ps.getValue(positions, ids.getDevice(), training));
        NDArray m = mask.toType(h.getDataType(), false);
        for (TransformerBlock layer : layers) {
            h = layer.forward(ps, new NDList(h, m), training).head();
        }
        return finalNorm.forward(ps, new NDList(h), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), s.get(1), config.width())};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = inputShapes[0];
        Shape hidden = new Shape(s.get(0), s.get(1), config.width());
        tokens.initialize(manager, dataType, s);
        for (TransformerBlock layer : layers) {
            layer.initialize(manager, dataType, hidden, s);
        }
        finalNorm.initialize(manager, dataType, hidden);
    }
}
