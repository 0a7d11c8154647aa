package io.gen4j.autoencoders;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;
import io.gen4j.core.math.Gaussians;
import io.gen4j.core.math.Scalars;
import io.gen4j.core.train.LossTerms;
import io.gen4j.core.train.Objective;
import io.gen4j.core.model.LatentCodec;
import io.gen4j.core.model.LikelihoodModel;
import io.gen4j.core.model.Sampleable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The variational autoencoder (Kingma &amp; Welling 2014; Rezende, Mohamed &amp; Wierstra 2014).
 *
 * <p>The encoder outputs 2d numbers per example, read as (μ, log σ²) of q(z|x) = N(μ, σ²); the
 * decoder maps z to the parameters of p(x|z) ({@link DecoderLikelihood}); the prior is p(z) = N(0,
 * I). Training maximises the evidence lower bound
 *
 * <pre>
 *   log p(x) ≥ ELBO = E_q[log p(x|z)] − KL(q(z|x) ‖ p(z))
 * </pre>
 *
 * <p>with one reparameterised sample for the first term ({@link Posterior#sample()}) and the closed
 * form for the second ({@link Gaussians#klToStandardNormal}). {@link #loss} returns −ELBO with the
 * KL weighted and floored by the {@link KlSchedule}; {@link #importanceWeightedBound} gives the
 * tighter IWAE bound used as the NLL estimate.
 *
 * <p>As a {@link LatentCodec}, {@code encode} is the posterior mean μ and {@code decode} the mean of
 * p(x|z); as a {@link Sampleable} it decodes z ~ N(0, I); as a {@link LikelihoodModel} it reports
 * the IWAE bound with {@link VaeConfig#likelihoodSamples()} samples (a lower bound, not exact). To
 * save and load it, build it from a {@link VaeSpec} ({@link VaeModel#create}).
 *
 * <pre>{@code
 * Vae vae = new Vae(Networks.mlpEncoder(2 * 16, 256), Networks.mlpDecoder(new Shape(1, 28, 28), 256),
 *         VaeConfig.defaults(16), new Shape(1, 28, 28));
 * vae.initialize(manager, DataType.FLOAT32, new Shape(batch, 1, 28, 28));
 * LossTerms terms = vae.loss(ps, x, step, true);   // terms.total() = −ELBO (weighted KL)
 * }</pre>
 */
public class Vae extends AbstractBlock implements LatentCodec, Sampleable, LikelihoodModel {

    private static final byte VERSION = 1;

    private final Block encoder;
    private final Block decoder;
    private final VaeConfig config;
    private final Shape dataShape;
    private final Parameter logSigma;

    /**
     * @param encoder maps (N, dataShape...) to (N, 2d)
     * @param decoder maps (N, d) to (N, dataShape...)
     * @param config hyperparameters
     * @param dataShape shape of one example, without the batch axis
     */
    public Vae(Block encoder, Block decoder, VaeConfig config, Shape dataShape) {
        super(VERSION);
        this.encoder = addChildBlock("encoder", encoder);
        this.decoder = addChildBlock("decoder", decoder);
        this.config = config;
        this.dataShape = dataShape;
        this.logSigma = config.likelihood() == DecoderLikelihood.GAUSSIAN_LEARNED
                ? addParameter(Vae.logSigmaParameter(config))
                : null;
    }

    /**
     * The learned log σ of a Gaussian decoder ({@link DecoderLikelihood#GAUSSIAN_LEARNED}), one scalar
     * shared by all pixels, starting at log of the configured σ.
     *
     * @param config the configuration
     * @return a new, unattached parameter
     */
    static Parameter logSigmaParameter(VaeConfig config) {
        return Parameter.builder()
                .setName("logSigma")
                .setType(Parameter.Type.OTHER)
                .optShape(new Shape(1))
                .optInitializer(new ConstantInitializer((float) Math.log(config.sigma())))
                .build();
    }

    /** @return the configuration */
    public VaeConfig config() {
        return config;
    }

    /** @return the shape of one data example */
    public Shape dataShape() {
        return dataShape;
    }

    /** @return the encoder block */
    public Block encoder() {
        return encoder;
    }

    /** @return the decoder block */
    public Block decoder() {
        return decoder;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        encoder.initialize(manager, dataType, inputShapes[0]);
        Shape encoded = encoder.getOutputShapes(new Shape[] {inputShapes[0]})[0];
        if (encoded.dimension() != 2 || encoded.get(1) != 2L * config.latentDim()) {
            throw new IllegalArgumentException(
                    "encoder must output (N, 2·latentDim) = (N, " + 2 * config.latentDim() + "), got " + encoded);
        }
        decoder.initialize(manager, dataType, new Shape(inputShapes[0].get(0), config.latentDim()));
    }

    /**
     * q(z|x).
     *
     * @param ps parameter store
     * @param x data (N, dataShape...)
     * @param training training mode
     * @return the posterior
     */
    public Posterior posterior(ParameterStore ps, NDArray x, boolean training) {
        NDList halves = encoder.forward(ps, new NDList(x), training).head().split(2, 1);
        return new Posterior(halves.get(0), halves.get(1));
    }

    /**
     * The decoder's raw output (logits or means) for latents z.
     *
     * @param ps parameter store
     * @param z (N, d)
     * @param training training mode
     * @return (N, dataShape...)
     */
    public NDArray decoderOutput(ParameterStore ps, NDArray z, boolean training) {
        return decoder.forward(ps, new NDList(z), training).head();
    }

    /**
     * log σ of the Gaussian decoder as a scalar array in the manager of {@code like}, or null for
     * Bernoulli.
     *
     * @param ps parameter store
     * @param like an array whose manager, device and type the result takes
     * @param training training mode
     * @return log σ, shape (1)
     */
    NDArray logSigma(ParameterStore ps, NDArray like, boolean training) {
        return switch (config.likelihood()) {
            case BERNOULLI -> null;
            case GAUSSIAN_FIXED -> like.getManager().full(new Shape(1), (float) Math.log(config.sigma()), like.getDataType());
            // zeros + parameter: the result lives in the caller's manager, not the model's.
            case GAUSSIAN_LEARNED -> like.getManager().zeros(new Shape(1), like.getDataType())
                    .add(ps.getValue(logSigma, like.getDevice(), training));
        };
    }

    /**
     * log p(x|z) per example.
     *
     * @param ps parameter store
     * @param x data (N, ...)
     * @param z latents (N, d)
     * @param training training mode
     * @return (N)
     */
    public NDArray logLikelihoodGiven(ParameterStore ps, NDArray x, NDArray z, boolean training) {
        NDArray out = decoderOutput(ps, z, training);
        return config.likelihood().logLikelihood(out, x, logSigma(ps, out, training));
    }

    /**
     * The training objective of this VAE on batches {@code (x)} or {@code (x, labels)} (labels ignored): {@link #loss} at the step's parameter store, step and mode, for gen-core's {@code ObjectiveStep}:
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
        return Objective.of(this, (ctx, batch) -> loss(ctx.parameters(), batch.head(), ctx.step(), ctx.training()));
    }

    /**
     * The training objective, −ELBO with the KL weighted by the schedule:
     * {@code total = −mean_n log p(x_n|z_n) + weight(step) · KL-penalty}.
     *
     * <p>Terms: {@code reconstruction} (−E log p(x|z)), {@code kl} (mean summed KL, unweighted),
     * {@code negElbo} (their sum, nats per example), {@code klWeight}; plus {@code sigma} for a
     * learned Gaussian decoder.
     *
     * @param ps parameter store
     * @param x a batch (N, dataShape...)
     * @param step training step (for the warm-up)
     * @param training training mode
     * @return the loss and its terms
     */
    public LossTerms loss(ParameterStore ps, NDArray x, long step, boolean training) {
        Posterior q = posterior(ps, x, training);
        NDArray z = q.sample();
        NDArray recon = logLikelihoodGiven(ps, x, z, training).mean().neg();
        NDArray klElements = q.klToStandardNormal();
        NDArray kl = klElements.sum(new int[] {1}).mean();
        NDArray total = recon.add(config.kl().penalty(klElements, step));
        Map<String, NDArray> terms = new LinkedHashMap<>();
        terms.put("reconstruction", recon);
        terms.put("kl", kl);
        terms.put("negElbo", recon.add(kl));
        terms.put("klWeight", x.getManager().create(config.kl().weight(step)));
        if (config.likelihood() == DecoderLikelihood.GAUSSIAN_LEARNED) {
            terms.put("sigma", logSigma(ps, x, training).exp());
        }
        return new LossTerms(total, terms);
    }

    /**
     * The single-sample ELBO per example, with the KL in closed form.
     *
     * @param ps parameter store
     * @param x data (N, ...)
     * @return (N), nats
     */
    public NDArray elbo(ParameterStore ps, NDArray x) {
        Posterior q = posterior(ps, x, false);
        NDArray logPx = logLikelihoodGiven(ps, x, q.sample(), false);
        return logPx.sub(q.klToStandardNormal().sum(new int[] {1}));
    }

    /**
     * The log importance weights {@code log p(x|z_k) + log p(z_k) − log q(z_k|x)} for K samples per
     * example.
     *
     * @param ps parameter store
     * @param x data (N, ...)
     * @param k number of samples K >= 1
     * @return (N, K), in the manager of {@code x}
     */
    public NDArray logImportanceWeights(ParameterStore ps, NDArray x, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        Posterior q = posterior(ps, x, false);
        NDList columns = new NDList(k);
        for (int i = 0; i < k; i++) {
            NDArray z = q.sample();
            NDArray logW = logLikelihoodGiven(ps, x, z, false)
                    .add(Gaussians.logStandardDensity(z).sum(new int[] {1}))
                    .sub(q.logDensity(z));
            columns.add(logW);
        }
        return NDArrays.stack(columns, 1);
    }

    /**
     * The IWAE bound log (1/K) Σ_k w_k per example ({@link Iwae}); −this is the NLL estimate.
     *
     * @param ps parameter store
     * @param x data (N, ...)
     * @param k number of importance samples
     * @return (N), nats
     */
    public NDArray importanceWeightedBound(ParameterStore ps, NDArray x, int k) {
        return Iwae.logMeanExp(logImportanceWeights(ps, x, k), 1);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.head();
        Posterior q = posterior(ps, x, training);
        NDArray z = training ? q.sample() : q.mu();
        return new NDList(decoderOutput(ps, z, training), q.mu(), q.logVar());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long n = inputShapes[0].get(0);
        Shape latent = new Shape(n, config.latentDim());
        return new Shape[] {new Shape(n).addAll(dataShape), latent, latent};
    }

    @Override
    public NDArray encode(NDArray x) {
        return posterior(new ParameterStore(x.getManager(), false), x, false).mu();
    }

    @Override
    public NDArray decode(NDArray z) {
        return config.likelihood().mean(decoderOutput(new ParameterStore(z.getManager(), false), z, false));
    }

    @Override
    public Shape latentShape() {
        return new Shape(config.latentDim());
    }

    @Override
    public NDArray sample(NDManager manager, int n) {
        return sample(manager, n, 1.0);
    }

    /**
     * Decodes z ~ N(0, T² I): the mean of p(x|z) (Bernoulli probabilities or Gaussian means), the
     * usual picture of a VAE sample. T = 1 samples the model; T &lt; 1 stays nearer the prior's mode
     * (sharper, less varied pictures).
     *
     * @param manager the manager that owns the result (intermediates go to a scope of it)
     * @param n how many, at least 1
     * @param temperature T, the scale of the prior's standard deviation, &gt; 0
     * @return (n, dataShape...)
     */
    public NDArray sample(NDManager manager, int n, double temperature) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1, got " + n);
        }
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be finite and > 0, got " + temperature);
        }
        DataType type = encoder.getParameters().valueAt(0).getArray().getDataType();
        try (NDManager scope = manager.newSubManager()) {
            NDArray z = scope.randomNormal(0, 1, new Shape(n, config.latentDim()), type);
            NDArray x = decode(temperature == 1 ? z : Scalars.times(z, temperature));
            x.attach(manager);
            return x;
        }
    }

    @Override
    public NDArray logLikelihood(NDArray x) {
        return importanceWeightedBound(new ParameterStore(x.getManager(), false), x, config.likelihoodSamples());
    }

    @Override
    public boolean isExact() {
        return false;
    }
}
