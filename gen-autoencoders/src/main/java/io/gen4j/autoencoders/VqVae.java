package io.gen4j.autoencoders;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.gen4j.core.train.LossTerms;
import io.gen4j.core.train.Objective;
import io.gen4j.core.model.LatentCodec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The VQ-VAE (van den Oord, Vinyals &amp; Kavukcuoglu 2017): a convolutional encoder to a map of
 * D-dimensional vectors, a {@link VectorQuantizer} that snaps each one to the nearest of K codes,
 * and a decoder. The latent is discrete: an (h, w) grid of code indices.
 *
 * <pre>
 *   L = −log p(x | z_q) + Σ_j ‖sg[z_e,j] − z_q,j‖² + β Σ_j ‖z_e,j − sg[z_q,j]‖²      (per example)
 * </pre>
 *
 * <p>with j running over the h·w latent vectors of the example (eq. 3 of the paper for each of
 * them). All three terms are per-example sums averaged over the batch: the reconstruction is the
 * {@link ReconstructionLoss} summed over the example's pixels (nats per example for BCE), and the
 * two quantisation terms are summed over its latent vectors and their components. This keeps the
 * reconstruction an NLL-like figure comparable with a VAE's, and makes β weigh each latent component
 * against each pixel independently of D·h·w, as in the paper. (Reference implementations that use
 * means, such as Sonnet's example, put all three terms on a per-element scale instead; mixing a
 * summed reconstruction with mean quantisation terms would divide β by D·h·w.)
 *
 * <p>The reconstruction gradient reaches the encoder through the straight-through estimator; the
 * codebook learns from the second term or from EMA updates. There is no KL term: with a uniform
 * prior over codes it is the constant log K per position. As a {@link LatentCodec}, {@code encode}
 * returns the quantised vectors z_q (N, D, h, w) and {@code decode} maps any (N, D, h, w) to data.
 */
public class VqVae extends AbstractBlock implements LatentCodec {

    private static final byte VERSION = 1;

    private final Block encoder;
    private final VectorQuantizer quantizer;
    private final Block decoder;
    private final ReconstructionLoss loss;
    private Shape latentShape;

    /**
     * @param encoder maps (N, C, H, W) to (N, D, h, w)
     * @param quantizer the bottleneck, with code size D
     * @param decoder maps (N, D, h, w) to (N, C, H, W)
     * @param loss reconstruction loss
     */
    public VqVae(Block encoder, VectorQuantizer quantizer, Block decoder, ReconstructionLoss loss) {
        super(VERSION);
        this.encoder = addChildBlock("encoder", encoder);
        this.quantizer = addChildBlock("quantizer", quantizer);
        this.decoder = addChildBlock("decoder", decoder);
        this.loss = loss;
    }

    /** @return the quantizer */
    public VectorQuantizer quantizer() {
        return quantizer;
    }

    /** @return the encoder block, (N, C, H, W) to z_e (N, D, h, w) */
    public Block encoder() {
        return encoder;
    }

    /** @return the decoder block, (N, D, h, w) to (N, C, H, W) (logits or means) */
    public Block decoder() {
        return decoder;
    }

    /** @return the reconstruction loss */
    public ReconstructionLoss reconstructionLoss() {
        return loss;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        encoder.initialize(manager, dataType, inputShapes[0]);
        Shape ze = encoder.getOutputShapes(new Shape[] {inputShapes[0]})[0];
        quantizer.initialize(manager, dataType, ze);
        decoder.initialize(manager, dataType, ze);
        latentShape = ze.slice(1);
    }

    /**
     * The training objective of this VQ-VAE on batches {@code (x)} or {@code (x, labels)} (labels ignored): {@link #loss} at the step's parameter store and mode (EMA codebook updates happen in training passes), for gen-core's {@code ObjectiveStep}:
     *
     * <pre>{@code
     * ObjectiveStep step = ObjectiveStep.builder().setObjective(model.objective())
     *         .setOptimizer(Adam.factory(LearningRateSchedule.constant(1e-3), AdamConfig.defaults()))
     *         .build();
     * }</pre>
     *
     * @return the objective
     */
    public Objective objective() {
        return Objective.of(this, (ctx, batch) -> loss(ctx.parameters(), batch.head(), ctx.training()));
    }

    /**
     * The training objective, {@code total = reconstruction + codebook + commitment}, every term a
     * per-example sum averaged over the batch (see the class javadoc). Terms: {@code reconstruction}
     * (the reconstruction loss per example: nats for BCE), {@code codebook} (Σ_j ‖sg[z_e,j] −
     * z_q,j‖², zero with an EMA codebook), {@code commitment} (β Σ_j ‖z_e,j − sg[z_q,j]‖²), {@code
     * perplexity} (of this batch's code histogram).
     *
     * @param ps parameter store
     * @param x a batch (N, C, H, W)
     * @param training training mode (EMA codebook updates happen only then)
     * @return the loss and its terms
     */
    public LossTerms loss(ParameterStore ps, NDArray x, boolean training) {
        NDArray ze = encoder.forward(ps, new NDList(x), training).head();
        VectorQuantizer.Quantized q = quantizer.quantize(ps, ze, training);
        NDArray out = decoder.forward(ps, new NDList(q.quantized()), training).head();
        NDArray recon = loss.perExample(out, x).mean();
        Map<String, NDArray> terms = new LinkedHashMap<>();
        terms.put("reconstruction", recon);
        terms.put("codebook", q.codebookLoss());
        terms.put("commitment", q.commitmentLoss());
        terms.put("perplexity", q.perplexity());
        return new LossTerms(recon.add(q.codebookLoss()).add(q.commitmentLoss()), terms);
    }

    /**
     * @param x data (N, C, H, W)
     * @return code indices (N, h, w), int64
     */
    public NDArray encodeIndices(NDArray x) {
        ParameterStore ps = new ParameterStore(x.getManager(), false);
        NDArray ze = encoder.forward(ps, new NDList(x), false).head();
        return quantizer.quantize(ps, ze, false).indices();
    }

    /**
     * @param indices (N, h, w) code indices
     * @return reconstructions in data space
     */
    public NDArray decodeIndices(NDArray indices) {
        return decode(quantizer.lookup(indices));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray ze = encoder.forward(ps, inputs, training).head();
        VectorQuantizer.Quantized q = quantizer.quantize(ps, ze, training);
        NDArray out = decoder.forward(ps, new NDList(q.quantized()), training).head();
        return new NDList(out, q.indices());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape ze = encoder.getOutputShapes(inputShapes)[0];
        return new Shape[] {inputShapes[0], new Shape(ze.get(0), ze.get(2), ze.get(3))};
    }

    @Override
    public NDArray encode(NDArray x) {
        ParameterStore ps = new ParameterStore(x.getManager(), false);
        NDArray ze = encoder.forward(ps, new NDList(x), false).head();
        return quantizer.quantize(ps, ze, false).quantized();
    }

    @Override
    public NDArray decode(NDArray z) {
        ParameterStore ps = new ParameterStore(z.getManager(), false);
        return loss.toData(decoder.forward(ps, new NDList(z), false).head());
    }

    @Override
    public Shape latentShape() {
        if (latentShape == null) {
            throw new IllegalStateException("initialize the VQ-VAE before asking for its latent shape");
        }
        return latentShape;
    }
}
