package io.gen4j.gans;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import io.gen4j.core.nn.FanInUniform;

/**
 * A dense layer {@code y = x W^T + b} (W of shape (out, in), PyTorch's layout and initialisation),
 * with its transpose {@code g W}: the {@link LinearMap} of MLP critics and of every critic's head.
 */
public final class DenseMap extends LinearMapBlock {

    private static final byte VERSION = 1;

    private final int units;
    private final Parameter weight;
    private final Parameter bias;

    /**
     * @param units output size, at least 1
     * @param useBias whether to add a bias
     */
    public DenseMap(int units, boolean useBias) {
        super(VERSION);
        if (units < 1) {
            throw new IllegalArgumentException("units must be >= 1, got " + units);
        }
        this.units = units;
        this.weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
                .optInitializer(FanInUniform.forWeight()).build());
        this.bias = useBias
                ? addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS)
                        .optInitializer(FanInUniform.forBias(() -> inputs)).build())
                : null;
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        if (in.dimension() != 2) {
            throw new IllegalArgumentException("expected input (N, in), got " + in);
        }
        inputs = in.get(1);
        weight.setShape(new Shape(units, inputs));
        if (bias != null) {
            bias.setShape(new Shape(units));
        }
    }

    @Override
    public NDArray weight(ParameterStore ps, NDArray like, boolean training) {
        return ps.getValue(weight, like.getDevice(), training);
    }

    @Override
    public NDArray bias(ParameterStore ps, NDArray like, boolean training) {
        return bias == null ? null : ps.getValue(bias, like.getDevice(), training);
    }

    @Override
    public NDArray apply(NDArray x, NDArray w, NDArray b) {
        // Linear.linear computes in the input's manager (x.matMul(w.transpose()) would leave the
        // transposed weight in the model's manager, docs/memory.md).
        return Linear.linear(x, w, b).head();
    }

    @Override
    public NDArray applyTranspose(NDArray g, NDArray w, Shape inputShape) {
        return g.matMul(w);
    }

    @Override
    public int inputRank() {
        return 2;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), units)};
    }
}
