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
import io.gen4j.core.nn.Activation;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A deterministic autoencoder: code h = a(f(x̃)), reconstruction x̂ = g(h), trained to minimise a
 * {@link ReconstructionLoss} between g(h) and the clean x, plus an optional {@link SparsityPenalty}
 * on h.
 *
 * <ul>
 *   <li>plain: no corruption, x̃ = x (Hinton &amp; Salakhutdinov 2006);
 *   <li>denoising: x̃ ~ {@link Corruption}(x) during training only (Vincent et al. 2008);
 *   <li>sparse: an L1 or KL sparsity penalty on h; the KL form needs a sigmoid code activation a.
 * </ul>
 *
 * <p>{@code total = mean_n loss(g(h_n), x_n) + penalty(h)}. The code is the bottleneck: with a
 * code narrower than the data the network must learn a compressed representation.
 *
 * <pre>{@code
 * Autoencoder ae = Autoencoder.builder()
 *         .setEncoder(Networks.mlpEncoder(32, 256)).setDecoder(Networks.mlpDecoder(shape, 256))
 *         .setDataShape(shape).setCodeSize(32)
 *         .optCorruption(new Corruption.Gaussian(0.3)).build();
 * }</pre>
 */
public class Autoencoder extends AbstractBlock implements LatentCodec {

    private static final byte VERSION = 1;

    private final Block encoder;
    private final Block decoder;
    private final Shape dataShape;
    private final int codeSize;
    private final ReconstructionLoss loss;
    private final Corruption corruption;
    private final SparsityPenalty sparsity;
    private final Activation codeActivation;

    /**
     * @param builder the configuration
     */
    protected Autoencoder(Builder builder) {
        super(VERSION);
        this.encoder = addChildBlock("encoder", builder.encoder);
        this.decoder = addChildBlock("decoder", builder.decoder);
        this.dataShape = builder.dataShape;
        this.codeSize = builder.codeSize;
        this.loss = builder.loss;
        this.corruption = builder.corruption;
        this.sparsity = builder.sparsity;
        this.codeActivation = builder.codeActivation;
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the reconstruction loss */
    public ReconstructionLoss reconstructionLoss() {
        return loss;
    }

    /** @return the corruption applied to training inputs */
    public Corruption corruption() {
        return corruption;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        encoder.initialize(manager, dataType, inputShapes[0]);
        Shape code = encoder.getOutputShapes(new Shape[] {inputShapes[0]})[0];
        if (code.dimension() != 2 || code.get(1) != codeSize) {
            throw new IllegalArgumentException("encoder must output (N, " + codeSize + "), got " + code);
        }
        decoder.initialize(manager, dataType, code);
    }

    /**
     * The code h = a(f(x)).
     *
     * @param ps parameter store
     * @param x input (N, dataShape...)
     * @param training training mode
     * @return (N, codeSize)
     */
    public NDArray code(ParameterStore ps, NDArray x, boolean training) {
        return codeActivation.apply(encoder.forward(ps, new NDList(x), training).head());
    }

    /**
     * The decoder's raw output g(h) (reconstruction for MSE, logits for BCE).
     *
     * @param ps parameter store
     * @param h code (N, codeSize)
     * @param training training mode
     * @return (N, dataShape...)
     */
    public NDArray decoderOutput(ParameterStore ps, NDArray h, boolean training) {
        return decoder.forward(ps, new NDList(h), training).head();
    }

    /**
     * The training objective of this autoencoder on batches {@code (x)} or {@code (x, labels)} (labels ignored): {@link #loss} at the step's parameter store and mode (corruption in training passes only), for gen-core's {@code ObjectiveStep}:
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
     * The training objective on a clean batch x: corrupts it (when configured), encodes, decodes,
     * and compares with the clean x. Terms: {@code reconstruction} (mean per-example loss) and
     * {@code sparsity} when a penalty is set.
     *
     * @param ps parameter store
     * @param x a clean batch
     * @param training training mode (corruption is applied only when true)
     * @return the loss and its terms
     */
    public LossTerms loss(ParameterStore ps, NDArray x, boolean training) {
        NDArray input = training ? corruption.apply(x) : x;
        NDArray h = code(ps, input, training);
        NDArray recon = loss.perExample(decoderOutput(ps, h, training), x).mean();
        Map<String, NDArray> terms = new LinkedHashMap<>();
        terms.put("reconstruction", recon);
        NDArray total = recon;
        if (sparsity != null) {
            NDArray penalty = sparsity.penalty(h);
            terms.put("sparsity", penalty);
            total = total.add(penalty);
        }
        return new LossTerms(total, terms);
    }

    /**
     * Reconstructs x in data space: σ(g(h)) for BCE, g(h) for MSE.
     *
     * @param x input (possibly corrupted)
     * @return the reconstruction, in the manager of {@code x}
     */
    public NDArray reconstruct(NDArray x) {
        return decode(encode(x));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray h = code(ps, inputs.head(), training);
        return new NDList(decoderOutput(ps, h, training), h);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long n = inputShapes[0].get(0);
        return new Shape[] {new Shape(n).addAll(dataShape), new Shape(n, codeSize)};
    }

    @Override
    public NDArray encode(NDArray x) {
        return code(new ParameterStore(x.getManager(), false), x, false);
    }

    @Override
    public NDArray decode(NDArray z) {
        return loss.toData(decoderOutput(new ParameterStore(z.getManager(), false), z, false));
    }

    @Override
    public Shape latentShape() {
        return new Shape(codeSize);
    }

    /** Builder: encoder, decoder, data shape and code size are required. */
    public static final class Builder {
        private Block encoder;
        private Block decoder;
        private Shape dataShape;
        private int codeSize = -1;
        private ReconstructionLoss loss = ReconstructionLoss.BCE_WITH_LOGITS;
        private Corruption corruption = Corruption.none();
        private SparsityPenalty sparsity;
        private Activation codeActivation = Activation.NONE;

        Builder() {}

        /**
         * @param encoder maps (N, dataShape...) to (N, codeSize)
         * @return this
         */
        public Builder setEncoder(Block encoder) {
            this.encoder = encoder;
            return this;
        }

        /**
         * @param decoder maps (N, codeSize) to (N, dataShape...)
         * @return this
         */
        public Builder setDecoder(Block decoder) {
            this.decoder = decoder;
            return this;
        }

        /**
         * @param dataShape one example's shape
         * @return this
         */
        public Builder setDataShape(Shape dataShape) {
            this.dataShape = dataShape;
            return this;
        }

        /**
         * @param codeSize width of the code
         * @return this
         */
        public Builder setCodeSize(int codeSize) {
            this.codeSize = codeSize;
            return this;
        }

        /**
         * @param loss reconstruction loss (default BCE from logits)
         * @return this
         */
        public Builder optLoss(ReconstructionLoss loss) {
            this.loss = loss;
            return this;
        }

        /**
         * @param corruption training-time input corruption (default none)
         * @return this
         */
        public Builder optCorruption(Corruption corruption) {
            this.corruption = corruption;
            return this;
        }

        /**
         * @param sparsity a penalty on the code (default none)
         * @return this
         */
        public Builder optSparsity(SparsityPenalty sparsity) {
            this.sparsity = sparsity;
            return this;
        }

        /**
         * @param activation activation applied to the encoder output to form the code (default none;
         *     sigmoid for the KL sparsity penalty)
         * @return this
         */
        public Builder optCodeActivation(Activation activation) {
            this.codeActivation = activation;
            return this;
        }

        /**
         * @return the autoencoder
         * @throws IllegalArgumentException when a required value is missing or inconsistent
         */
        public Autoencoder build() {
            if (encoder == null || decoder == null || dataShape == null) {
                throw new IllegalArgumentException("encoder, decoder and dataShape must be set");
            }
            if (codeSize < 1) {
                throw new IllegalArgumentException("codeSize must be set and >= 1, got " + codeSize);
            }
            if (loss == null || corruption == null || codeActivation == null) {
                throw new IllegalArgumentException("loss, corruption and codeActivation must not be null");
            }
            if (sparsity != null && sparsity.needsUnitInterval() && codeActivation != Activation.SIGMOID) {
                throw new IllegalArgumentException(
                        "the KL sparsity penalty needs a code in (0, 1): set optCodeActivation(SIGMOID), got "
                                + codeActivation);
            }
            return new Autoencoder(this);
        }
    }
}
