package io.gen4j.flows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

/**
 * The multi-scale step of RealNVP (Dinh et al. 2017, §3.6): half of the channels are factored out
 * (sent straight to the latent, modelled by the base Gaussian) and only the other half goes on
 * through the deeper levels {@code rest}:
 *
 * <pre>
 *   (z₁, h) = split(x, axis = channels),    y = concat(z₁, rest(h)),    log|det| = log|det rest|
 * </pre>
 *
 * <p>It halves the cost of every deeper level and spreads the loss over scales. {@code rest} must
 * keep the shape of its input (a level ending with {@link Unsqueeze} does), so that the latent has
 * the shape of the data.
 */
public class FactorOut extends FlowTransform {

    private static final byte VERSION = 1;

    private final FlowTransform rest;

    /**
     * @param rest the transform applied to the second half of the channels; shape-preserving
     */
    public FactorOut(FlowTransform rest) {
        super(VERSION);
        this.rest = addChildBlock("rest", rest);
    }

    /** @return the transform applied to the kept half */
    public FlowTransform rest() {
        return rest;
    }

    @Override
    public Transformed forward(ParameterStore ps, NDArray x, boolean training) {
        NDList halves = x.split(2, 1);
        Transformed r = rest.forward(ps, halves.get(1), training);
        return new Transformed(halves.get(0).concat(r.value(), 1), r.logDet());
    }

    @Override
    public Transformed inverse(ParameterStore ps, NDArray y, boolean training) {
        NDList halves = y.split(2, 1);
        Transformed r = rest.inverse(ps, halves.get(1), training);
        return new Transformed(halves.get(0).concat(r.value(), 1), r.logDet());
    }

    @Override
    public NDArray inverseValue(ParameterStore ps, NDArray y, boolean training) {
        NDList halves = y.split(2, 1);
        return halves.get(0).concat(rest.inverseValue(ps, halves.get(1), training), 1);
    }

    @Override
    protected Transformed dataInit(ParameterStore ps, NDArray x) {
        NDList halves = x.split(2, 1);
        Transformed r = rest.dataInit(ps, halves.get(1));
        return new Transformed(halves.get(0).concat(r.value(), 1), r.logDet());
    }

    private static Shape half(Shape in) {
        if (in.get(1) % 2 != 0) {
            throw new IllegalArgumentException("factor-out needs an even number of channels, got " + in);
        }
        long[] d = in.getShape().clone();
        d[1] /= 2;
        return new Shape(d);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape h = half(inputShapes[0]);
        rest.initialize(manager, dataType, h);
        if (!rest.outputShape(h).equals(h)) {
            throw new IllegalArgumentException(
                    "the factored-out remainder must keep its shape " + h + ", got " + rest.outputShape(h));
        }
    }
}
