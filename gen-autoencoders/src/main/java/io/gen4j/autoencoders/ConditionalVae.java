package io.gen4j.autoencoders;

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
import io.gen4j.core.math.Gaussians;
import io.gen4j.core.train.LossTerms;
import io.gen4j.core.train.Objective;
import io.gen4j.core.nn.LabelEmbedding;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The conditional VAE (Sohn, Lee &amp; Yan 2015): encoder q(z|x, y), decoder p(x|z, y) and prior
 * p(z|y), with y a class label fed as a one-hot vector.
 *
 * <pre>
 *   ELBO(x, y) = E_q[log p(x|z, y)] − KL(q(z|x, y) ‖ p(z|y))
 * </pre>
 *
 * <p>The encoder sees [flatten(x), onehot(y)] and outputs (μ, log σ²); the decoder sees [z,
 * onehot(y)]. With {@link ConditionalPrior#LEARNED} the KL is the closed form between two diagonal
 * Gaussians ({@link Gaussians#klBetween}). {@link #sample} draws z ~ p(z|y) for chosen labels and
 * decodes them: the way to generate a chosen class. To save and load it, build it from a {@link
 * ConditionalVaeSpec} ({@link ConditionalVaeModel#create}).
 */
public class ConditionalVae extends AbstractBlock {

    private static final byte VERSION = 1;

    private final Block encoder;
    private final Block decoder;
    private final VaeConfig config;
    private final Shape dataShape;
    private final int numClasses;
    private final ConditionalPrior prior;
    private final Parameter priorTable;
    private final Parameter logSigma;

    /**
     * @param encoder maps (N, |x| + K) to (N, 2d), |x| the flattened data size
     * @param decoder maps (N, d + K) to (N, dataShape...)
     * @param config latent size, likelihood and KL schedule
     * @param dataShape one example's shape
     * @param numClasses K >= 2
     * @param prior the prior p(z|y)
     */
    public ConditionalVae(
            Block encoder, Block decoder, VaeConfig config, Shape dataShape, int numClasses, ConditionalPrior prior) {
        super(VERSION);
        if (numClasses < 2) {
            throw new IllegalArgumentException("numClasses must be >= 2, got " + numClasses);
        }
        this.encoder = addChildBlock("encoder", encoder);
        this.decoder = addChildBlock("decoder", decoder);
        this.config = config;
        this.dataShape = dataShape;
        this.numClasses = numClasses;
        this.prior = prior;
        this.priorTable = prior == ConditionalPrior.LEARNED
                ? addParameter(Parameter.builder()
                        .setName("prior")
                        .setType(Parameter.Type.WEIGHT)
                        .optShape(new Shape(numClasses, 2L * config.latentDim()))
                        .optInitializer(Initializer.ZEROS)
                        .build())
                : null;
        this.logSigma = config.likelihood() == DecoderLikelihood.GAUSSIAN_LEARNED
                ? addParameter(Vae.logSigmaParameter(config))
                : null;
    }

    /** @return the number of classes */
    public int numClasses() {
        return numClasses;
    }

    /** @return the configuration */
    public VaeConfig config() {
        return config;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long n = inputShapes[0].get(0);
        encoder.initialize(manager, dataType, new Shape(n, dataShape.size() + numClasses));
        decoder.initialize(manager, dataType, new Shape(n, config.latentDim() + numClasses));
    }

    private NDArray oneHot(NDArray labels, DataType type) {
        checkLabels(labels);
        return asIndex(labels).oneHot(numClasses, type);
    }

    /** Labels as int64 (the engine's one-hot wants index tensors); int32 labels are converted. */
    private static NDArray asIndex(NDArray labels) {
        return labels.getDataType() == DataType.INT64 ? labels : labels.toType(DataType.INT64, false);
    }

    private void checkLabels(NDArray labels) {
        if (labels.getShape().dimension() != 1) {
            throw new IllegalArgumentException("labels must have shape (N), got " + labels.getShape());
        }
    }

    /**
     * q(z|x, y).
     *
     * @param ps parameter store
     * @param x data (N, dataShape...)
     * @param labels (N) integer labels in [0, K), int32 or int64
     * @param training training mode
     * @return the posterior
     */
    public Posterior posterior(ParameterStore ps, NDArray x, NDArray labels, boolean training) {
        NDArray in = x.reshape(x.getShape().get(0), -1).concat(oneHot(labels, x.getDataType()), 1);
        NDList halves = encoder.forward(ps, new NDList(in), training).head().split(2, 1);
        return new Posterior(halves.get(0), halves.get(1));
    }

    /**
     * p(z|y): N(0, I), or the learned per-class Gaussian.
     *
     * @param ps parameter store
     * @param labels (N) labels
     * @param type floating type of the result
     * @param training training mode
     * @return the prior as a {@link Posterior}-shaped pair (μ_y, log σ_y²), in the labels' manager
     */
    public Posterior prior(ParameterStore ps, NDArray labels, DataType type, boolean training) {
        checkLabels(labels);
        long n = labels.getShape().get(0);
        if (prior == ConditionalPrior.STANDARD_NORMAL) {
            NDArray zeros = labels.getManager().zeros(new Shape(n, config.latentDim()), type);
            return new Posterior(zeros, zeros.duplicate());
        }
        NDArray table = ps.getValue(priorTable, labels.getDevice(), training);
        NDList halves = LabelEmbedding.lookup(asIndex(labels), table).split(2, 1);
        return new Posterior(halves.get(0), halves.get(1));
    }

    /**
     * The decoder's raw output for latents and labels.
     *
     * @param ps parameter store
     * @param z (N, d)
     * @param labels (N)
     * @param training training mode
     * @return (N, dataShape...)
     */
    public NDArray decoderOutput(ParameterStore ps, NDArray z, NDArray labels, boolean training) {
        NDArray in = z.concat(oneHot(labels, z.getDataType()), 1);
        return decoder.forward(ps, new NDList(in), training).head();
    }

    private NDArray logSigma(ParameterStore ps, NDArray like, boolean training) {
        return switch (config.likelihood()) {
            case BERNOULLI -> null;
            case GAUSSIAN_FIXED -> like.getManager().full(new Shape(1), (float) Math.log(config.sigma()), like.getDataType());
            case GAUSSIAN_LEARNED -> like.getManager().zeros(new Shape(1), like.getDataType())
                    .add(ps.getValue(logSigma, like.getDevice(), training));
        };
    }

    /**
     * The training objective of this conditional VAE on batches {@code (x, labels)}: {@link #loss} at the step's parameter store, step and mode, for gen-core's {@code ObjectiveStep}:
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
        return Objective.of(this, (ctx, batch) -> loss(ctx.parameters(), batch.get(0), labels(batch), ctx.step(), ctx.training()));
    }

    private static NDArray labels(NDList batch) {
        if (batch.size() < 2) {
            throw new IllegalArgumentException(
                    "a conditional VAE trains on (x, labels) batches, got " + batch.size() + " array(s)");
        }
        return batch.get(1);
    }

    /**
     * The training objective −ELBO(x, y) with the KL weighted by the schedule. Terms:
     * {@code reconstruction}, {@code kl}, {@code negElbo}, {@code klWeight}.
     *
     * @param ps parameter store
     * @param x batch (N, dataShape...)
     * @param labels (N) labels
     * @param step training step
     * @param training training mode
     * @return the loss and its terms
     */
    public LossTerms loss(ParameterStore ps, NDArray x, NDArray labels, long step, boolean training) {
        Posterior q = posterior(ps, x, labels, training);
        Posterior p = prior(ps, labels, x.getDataType(), training);
        NDArray z = q.sample();
        NDArray out = decoderOutput(ps, z, labels, training);
        NDArray recon = config.likelihood().logLikelihood(out, x, logSigma(ps, out, training)).mean().neg();
        NDArray klElements = Gaussians.klBetween(q.mu(), q.logVar(), p.mu(), p.logVar());
        NDArray kl = klElements.sum(new int[] {1}).mean();
        Map<String, NDArray> terms = new LinkedHashMap<>();
        terms.put("reconstruction", recon);
        terms.put("kl", kl);
        terms.put("negElbo", recon.add(kl));
        terms.put("klWeight", x.getManager().create(config.kl().weight(step)));
        return new LossTerms(recon.add(config.kl().penalty(klElements, step)), terms);
    }

    /**
     * Generates examples of chosen classes: z ~ p(z|y), x = mean of p(x|z, y).
     *
     * @param labels (N) the classes to generate
     * @return (N, dataShape...) in the manager of {@code labels}
     */
    public NDArray sample(NDArray labels) {
        return sample(labels, 1.0);
    }

    /**
     * Generates examples of chosen classes at a temperature: z ~ N(μ_y, T² σ_y²), x = mean of
     * p(x|z, y).
     *
     * @param labels (N) the classes to generate
     * @param temperature T, the scale of the prior's standard deviation, &gt; 0; 1 is the model
     * @return (N, dataShape...) in the manager of {@code labels}
     */
    public NDArray sample(NDArray labels, double temperature) {
        ParameterStore ps = new ParameterStore(labels.getManager(), false);
        DataType type = encoder.getParameters().valueAt(0).getArray().getDataType();
        Posterior p = prior(ps, labels, type, false);
        NDArray z = p.sample(temperature);
        return config.likelihood().mean(decoderOutput(ps, z, labels, false));
    }

    /**
     * The posterior mean μ(x, y): the code of x given its class.
     *
     * @param x data (N, dataShape...)
     * @param labels (N) labels
     * @return (N, d), in the manager of {@code x}
     */
    public NDArray encode(NDArray x, NDArray labels) {
        return posterior(new ParameterStore(x.getManager(), false), x, labels, false).mu();
    }

    /**
     * The mean of p(x|z, y).
     *
     * @param z latents (N, d)
     * @param labels (N) labels
     * @return (N, dataShape...), in the manager of {@code z}
     */
    public NDArray decode(NDArray z, NDArray labels) {
        return config.likelihood().mean(decoderOutput(new ParameterStore(z.getManager(), false), z, labels, false));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray labels = inputs.get(1);
        Posterior q = posterior(ps, x, labels, training);
        NDArray z = training ? q.sample() : q.mu();
        return new NDList(decoderOutput(ps, z, labels, training), q.mu(), q.logVar());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long n = inputShapes[0].get(0);
        Shape latent = new Shape(n, config.latentDim());
        return new Shape[] {new Shape(n).addAll(dataShape), latent, latent};
    }
}
