package io.gen4j.flows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.gen4j.core.model.Invertible.Transformed;
import io.gen4j.core.model.LatentCodec;
import io.gen4j.core.model.LikelihoodModel;
import io.gen4j.core.model.Likelihoods;
import io.gen4j.core.model.Sampleable;
import java.util.Objects;

/**
 * A normalizing flow: an invertible transform f (data → latent) on top of a base density p_Z, with
 * the exact log-likelihood of the change of variables (Rezende &amp; Mohamed 2015; Dinh et al. 2017):
 *
 * <pre>
 *   log p_X(x) = log p_Z(f(x)) + log|det ∂f/∂x|          (nats)
 *   sample:      z ~ p_Z (temperature T scales its std),  x = f⁻¹(z)
 *   encode:      z = f(x);   decode: x = f⁻¹(z)            (exact, no reconstruction error)
 * </pre>
 *
 * <p>Training maximises the mean log-likelihood ({@link MaximumLikelihoodObjective}). Before training, run
 * {@link #initializeFromData} once on a batch if the transform contains {@link ActNorm}. For images
 * whose transform starts with {@link UniformDequantization} the log-likelihood already includes the
 * −D·log 256 of the bins, and {@link #bitsPerDim} is the usual figure.
 */
public class NormalizingFlow extends AbstractBlock implements LikelihoodModel, Sampleable, LatentCodec {

    private static final byte VERSION = 1;

    private final FlowTransform transform;
    private final BaseDistribution base;
    private final Block baseBlock;
    private Shape latentShape;
    private Shape dataShape;
    private DataType dataType = DataType.FLOAT32;

    /**
     * @param transform the data → latent transform
     * @param base the base density (a block, so a learned base trains and saves with the flow)
     * @param <B> a block that is a base distribution
     */
    public <B extends Block & BaseDistribution> NormalizingFlow(FlowTransform transform, B base) {
        super(VERSION);
        this.transform = addChildBlock("transform", Objects.requireNonNull(transform, "transform"));
        this.baseBlock = addChildBlock("base", Objects.requireNonNull(base, "base"));
        this.base = base;
    }

    /** @return the data → latent transform */
    public FlowTransform transform() {
        return transform;
    }

    /** @return the base density */
    public BaseDistribution base() {
        return base;
    }

    /**
     * Data-dependent initialisation (ActNorm) on a representative batch; call once before training.
     *
     * @param x a batch (N, ...)
     */
    public void initializeFromData(NDArray x) {
        transform.initializeFromData(x);
    }

    /**
     * The exact log-likelihood with an explicit parameter store.
     *
     * @param ps parameter store
     * @param x data (N, ...)
     * @param training whether the call is part of training
     * @return log p(x) in nats, shape (N)
     */
    public NDArray logLikelihood(ParameterStore ps, NDArray x, boolean training) {
        Transformed t = transform.forward(ps, x, training);
        return base.logProb(ps, t.value(), training).add(t.logDet());
    }

    @Override
    public NDArray logLikelihood(NDArray x) {
        return logLikelihood(new ParameterStore(x.getManager(), false), x, false);
    }

    /**
     * Bits per dimension of each example, {@code −log p(x) / (D · ln 2)} through {@link
     * Likelihoods} (bin width 1: a flow whose transform starts with {@link UniformDequantization}
     * already includes the bins' −D·ln 256).
     *
     * @param x images (N, C, H, W) (or any data)
     * @return bits per dimension of each example, shape (N)
     */
    public NDArray bitsPerDim(NDArray x) {
        return Likelihoods.bitsPerDim(logLikelihood(x), x.getShape().slice(1).size(), 1.0);
    }

    @Override
    public NDArray sample(NDManager manager, int n) {
        return sample(manager, n, 1.0);
    }

    /**
     * Samples at a temperature: z ~ p_Z with its standard deviation scaled by T, x = f⁻¹(z). T &lt; 1
     * trades diversity for cleaner samples.
     *
     * @param manager owner of the result
     * @param n number of samples, at least 1
     * @param temperature T &gt; 0
     * @return samples (n, ...) in data space
     */
    public NDArray sample(NDManager manager, int n, double temperature) {
        return draw(manager, n, temperature, transform::inverseValue);
    }

    /**
     * z ~ p_Z at temperature T, mapped back by {@code inverse} in a scope of its own.
     *
     * @param inverse the transform's inverse, live or prepared
     */
    NDArray draw(NDManager manager, int n, double temperature, PreparedInverse inverse) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1, got " + n);
        }
        Shape latent = requireLatentShape();
        try (NDManager scope = manager.newSubManager()) {
            long[] dims = new long[latent.dimension() + 1];
            dims[0] = n;
            System.arraycopy(latent.getShape(), 0, dims, 1, latent.dimension());
            NDArray z = base.sample(scope, new Shape(dims), temperature, dataType);
            NDArray x = inverse.apply(z);
            x.attach(manager);
            return x;
        }
    }

    /**
     * A sampler with the inverse flow prepared once for the parameters as they are now ({@link FlowSampler}):
     * the way to draw many chunks, each costing fewer operations than {@link #sample} (RealNVP 2-D: each
     * block's rotation and ActNorm become one matrix product, its coupling's masks vanish into the
     * conditioner's layers; 256 samples of 16 blocks in 1.01 instead of 1.27 ms, docs/performance.md). A
     * snapshot: make a new one after the parameters change.
     *
     * @param manager parent of the sampler's constants (closing the sampler frees them)
     * @return the sampler, to be closed
     */
    public FlowSampler sampler(NDManager manager) {
        if (dataShape == null) {
            throw new IllegalStateException("initialize the flow with the data shape before sampling");
        }
        return new FlowSampler(this, manager, dataShape, dataType);
    }

    @Override
    public NDArray encode(NDArray x) {
        return transform.forward(x).value();
    }

    @Override
    public NDArray decode(NDArray z) {
        return transform.inverseValue(z);
    }

    @Override
    public Shape latentShape() {
        return requireLatentShape();
    }

    private Shape requireLatentShape() {
        if (latentShape == null) {
            throw new IllegalStateException("initialize the flow with the data shape before sampling");
        }
        return latentShape;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(logLikelihood(ps, inputs.head(), training));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        this.dataType = dataType;
        transform.initialize(manager, dataType, inputShapes[0]);
        Shape z = transform.outputShape(inputShapes[0]);
        baseBlock.initialize(manager, dataType, z);
        latentShape = z.slice(1);
        dataShape = inputShapes[0].slice(1);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0))};
    }
}
