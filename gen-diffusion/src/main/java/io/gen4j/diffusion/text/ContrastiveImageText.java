package io.gen4j.diffusion.text;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;
import io.gen4j.core.math.Scalars;
import io.gen4j.core.nn.Activation;
import io.gen4j.core.nn.Conv2d;
import io.gen4j.core.train.LossTerms;
import io.gen4j.core.train.Objective;

/**
 * A small CLIP (Radford et al. 2021, "Learning Transferable Visual Models From Natural Language
 * Supervision"): an image tower and a text tower map images and captions into one embedding space,
 * trained with the symmetric contrastive (InfoNCE) loss so that an image's embedding is closest to
 * its own caption's among the batch. It exists to measure the CLIP score of text-to-image samples
 * in the project; its scores are <b>not comparable with OpenAI CLIP scores</b> (another model, other
 * data, other scale).
 *
 * <pre>
 *   u_i = normalise(W_img · mean_{pixels} Conv(SiLU(Conv(x_i))))         image tower
 *   v_j = normalise(W_txt · masked-mean_{tokens} TextEncoder(y_j))        text tower
 *   logits_ij = exp(s) · u_i · v_j                                        s learned, starts at log(1/0.07)
 *   L = ½ [ CE(logits, diag) + CE(logitsᵀ, diag) ]
 * </pre>
 *
 * <p>Captions of the same class in a batch are counted as negatives (as in CLIP). Inputs of {@link
 * #objective()}: batches {@code (x, ids, mask)}, e.g. from {@link CaptionedBatches}.
 */
public final class ContrastiveImageText extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int embedding;
    private final Conv2d conv1;
    private final Conv2d conv2;
    private final Linear imageProjection;
    private final TextEncoder text;
    private final Linear textProjection;
    private final Parameter logitScale;

    /**
     * @param imageChannels C of the images
     * @param width c of the image tower
     * @param textConfig the text tower's encoder
     * @param embedding E, the width of the shared space
     */
    public ContrastiveImageText(int imageChannels, int width, TextEncoderConfig textConfig, int embedding) {
        super(VERSION);
        if (imageChannels < 1 || width < 1 || embedding < 1) {
            throw new IllegalArgumentException("channels, width and embedding must be >= 1, got " + imageChannels
                    + ", " + width + ", " + embedding);
        }
        this.embedding = embedding;
        conv1 = addChildBlock("conv1", Conv2d.builder().setFilters(width).setKernelSize(4).optStride(2).optPadding(1)
                .build());
        conv2 = addChildBlock("conv2", Conv2d.builder().setFilters(2 * width).setKernelSize(4).optStride(2)
                .optPadding(1).build());
        imageProjection = addChildBlock("image_proj", Linear.builder().setUnits(embedding).build());
        text = addChildBlock("text", new TextEncoder(textConfig));
        textProjection = addChildBlock("text_proj", Linear.builder().setUnits(embedding).build());
        logitScale = addParameter(Parameter.builder().setName("logit_scale").setType(Parameter.Type.OTHER)
                .optShape(new Shape(1)).optInitializer(new ConstantInitializer((float) Math.log(1 / 0.07))).build());
    }

    /**
     * @param ps the parameter store
     * @param x images (N, C, H, W)
     * @param training training mode
     * @return unit-norm embeddings (N, E)
     */
    public NDArray imageEmbedding(ParameterStore ps, NDArray x, boolean training) {
        NDArray h = Activation.SILU.apply(conv1.forward(ps, new NDList(x), training).head());
        h = Activation.SILU.apply(conv2.forward(ps, new NDList(h), training).head());
        Shape s = h.getShape();
        NDArray pooled = h.reshape(s.get(0), s.get(1), -1).mean(new int[] {2});
        return normalise(imageProjection.forward(ps, new NDList(pooled), training).head());
    }

    /**
     * @param ps the parameter store
     * @param ids (N, L) token ids
     * @param mask (N, L) mask
     * @param training training mode
     * @return unit-norm embeddings (N, E)
     */
    public NDArray textEmbedding(ParameterStore ps, NDArray ids, NDArray mask, boolean training) {
        NDArray h = text.forward(ps, new NDList(ids, mask), training).head();
        NDArray m = mask.toType(h.getDataType(), false).expandDims(2);
        NDArray pooled = h.mul(m).sum(new int[] {1}).div(m.sum(new int[] {1}));
        return normalise(textProjection.forward(ps, new NDList(pooled), training).head());
    }

    /**
     * The symmetric InfoNCE loss of paired unit embeddings.
     *
     * @param u image embeddings (N, E)
     * @param v text embeddings (N, E), row i paired with row i of u
     * @param scale the logit scale exp(s), a scalar array
     * @return the scalar loss, in the manager of u
     */
    public static NDArray infoNce(NDArray u, NDArray v, NDArray scale) {
        long n = u.getShape().get(0);
        NDArray logits = u.matMul(v.transpose()).mul(scale);
        NDArray eye = u.getManager().eye((int) n).toType(logits.getDataType(), false);
        NDArray rows = logits.logSoftmax(1).mul(eye).sum(new int[] {1}).mean();
        NDArray cols = logits.logSoftmax(0).mul(eye).sum(new int[] {0}).mean();
        return Scalars.times(rows.add(cols), -0.5);
    }

    /** @return the training objective on batches (x, ids, mask) */
    public Objective objective() {
        return Objective.of(this, (ctx, batch) -> {
            NDArray u = imageEmbedding(ctx.parameters(), batch.get(0), ctx.training());
            NDArray v = textEmbedding(ctx.parameters(), batch.get(1), batch.get(2), ctx.training());
            NDArray scale = Scalars.clip(u.getManager().zeros(new Shape(1), u.getDataType())
                    .add(ctx.parameters().getValue(logitScale, u.getDevice(), ctx.training())), 0, Math.log(100))
                    .exp();
            return LossTerms.of(infoNce(u, v, scale));
        });
    }

    private static NDArray normalise(NDArray e) {
        return e.div(e.norm(new int[] {1}, true).add(1e-8));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(imageEmbedding(ps, inputs.get(0), training),
                textEmbedding(ps, inputs.get(1), inputs.get(2), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long n = inputShapes[0].get(0);
        return new Shape[] {new Shape(n, embedding), new Shape(inputShapes[1].get(0), embedding)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        conv1.initialize(manager, dataType, x);
        Shape h1 = conv1.getOutputShapes(new Shape[] {x})[0];
        conv2.initialize(manager, dataType, h1);
        Shape h2 = conv2.getOutputShapes(new Shape[] {h1})[0];
        imageProjection.initialize(manager, dataType, new Shape(x.get(0), h2.get(1)));
        text.initialize(manager, dataType, inputShapes[1], inputShapes[2]);
        TextEncoderConfig c = text.config();
        textProjection.initialize(manager, dataType, new Shape(inputShapes[1].get(0), c.width()));
    }
}
