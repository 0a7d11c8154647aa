package io.gen4j.flows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.gen4j.core.math.Gaussians;

/**
 * The standard Gaussian N(0, I) over D = ∏ dims latent coordinates:
 *
 * <pre>
 *   log p(z) = −½ Σ z² − (D/2) · log 2π
 * </pre>
 *
 * <p>A parameter-free block, so that a flow holding it saves and loads like any other.
 */
public class StandardGaussian extends AbstractBlock implements BaseDistribution {

    private static final byte VERSION = 1;

    /** Creates N(0, I). */
    public StandardGaussian() {
        super(VERSION);
    }

    /**
     * The functional twin.
     *
     * @param z (N, ...)
     * @return log N(z; 0, I), shape (N)
     */
    public static NDArray logDensity(NDArray z) {
        return FlowTransform.sumPerExample(Gaussians.logStandardDensity(z));
    }

    @Override
    public NDArray logProb(ParameterStore ps, NDArray z, boolean training) {
        return logDensity(z);
    }

    @Override
    public NDArray sample(NDManager manager, Shape shape, double temperature, DataType dataType) {
        BaseDistribution.checkTemperature(temperature);
        return manager.randomNormal(0, (float) temperature, shape, dataType);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(logDensity(inputs.head()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0))};
    }
}
