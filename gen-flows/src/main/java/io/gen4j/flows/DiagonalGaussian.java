package io.gen4j.flows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import io.gen4j.core.math.Gaussians;
import io.gen4j.core.math.Scalars;

/**
 * A diagonal Gaussian N(μ, diag σ²) with learned μ and log σ per latent coordinate (initialised to
 * N(0, I)):
 *
 * <pre>
 *   log p(z) = Σ [ −½ ((z − μ)/σ)² − log σ − ½ log 2π ]
 * </pre>
 *
 * <p>A learned base lets the flow spend fewer layers on scale and location. Sampling at
 * temperature T draws μ + T·σ·ε. Its parameters have the shape of one example.
 */
public class DiagonalGaussian extends AbstractBlock implements BaseDistribution {

    private static final byte VERSION = 1;

    private final Parameter mean;
    private final Parameter logStd;

    /** Creates a learned diagonal Gaussian, initialised to N(0, I). */
    public DiagonalGaussian() {
        super(VERSION);
        mean = addParameter(Parameter.builder()
                .setName("mean").setType(Parameter.Type.BIAS).optInitializer(Initializer.ZEROS).build());
        logStd = addParameter(Parameter.builder()
                .setName("logStd").setType(Parameter.Type.WEIGHT).optInitializer(Initializer.ZEROS).build());
    }

    @Override
    public NDArray logProb(ParameterStore ps, NDArray z, boolean training) {
        NDArray mu = ps.getValue(mean, z.getDevice(), training);
        NDArray ls = FlowTransform.local(z, ps.getValue(logStd, z.getDevice(), training));
        return FlowTransform.sumPerExample(Gaussians.logDensity(z, mu, Scalars.times(ls, 2)));
    }

    @Override
    public NDArray sample(NDManager manager, Shape shape, double temperature, DataType dataType) {
        BaseDistribution.checkTemperature(temperature);
        NDArray eps = manager.randomNormal(0, (float) temperature, shape, dataType);
        NDArray sigma = FlowTransform.local(eps, logStd.getArray()).exp();
        return eps.mul(sigma).add(mean.getArray());
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        Shape example = inputShapes[0].slice(1);
        long[] d = new long[example.dimension() + 1];
        d[0] = 1;
        System.arraycopy(example.getShape(), 0, d, 1, example.dimension());
        mean.setShape(new Shape(d));
        logStd.setShape(new Shape(d));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(logProb(ps, inputs.head(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0))};
    }
}
