package io.gen4j.gans;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import io.gen4j.core.nn.Conv2d;
import io.gen4j.core.nn.ConvNd;
import io.gen4j.core.nn.ConvTranspose2d;
import io.gen4j.core.nn.FanInUniform;
import io.gen4j.core.runtime.ConvGuard;

/**
 * A square-kernel 2-D convolution (weight (C_out, C_in, k, k), stride s, padding p) through gen-core's
 * guarded convolution, with its transpose: the input gradient of a convolution is the transposed
 * convolution with the same weight ({@link ConvTranspose2d#convTranspose2d}), with the output padding
 * that restores the input's size. The {@link LinearMap} of DCGAN critics.
 */
public final class ConvMap extends LinearMapBlock {

    private static final byte VERSION = 1;

    private final int filters;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final Parameter weight;
    private final Parameter bias;

    /**
     * @param filters output channels, at least 1
     * @param kernel kernel size k, at least 1
     * @param stride stride s, at least 1
     * @param padding zero padding p, in [0, k − 1]
     */
    public ConvMap(int filters, int kernel, int stride, int padding) {
        super(VERSION);
        if (filters < 1 || kernel < 1 || stride < 1 || padding < 0 || padding > kernel - 1) {
            throw new IllegalArgumentException("need filters, kernel, stride >= 1 and padding in [0, kernel − 1], got "
                    + filters + ", " + kernel + ", " + stride + ", " + padding);
        }
        ConvGuard.prepare(); // decided outside any GradientCollector
        this.filters = filters;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
                .optInitializer(FanInUniform.forWeight()).build());
        this.bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS)
                .optInitializer(FanInUniform.forBias(() -> inputs * kernel * kernel)).build());
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        if (in.dimension() != 4) {
            throw new IllegalArgumentException("expected input (N, C, H, W), got " + in);
        }
        inputs = in.get(1);
        weight.setShape(new Shape(filters, inputs, kernel, kernel));
        bias.setShape(new Shape(filters));
    }

    @Override
    public NDArray weight(ParameterStore ps, NDArray like, boolean training) {
        return ps.getValue(weight, like.getDevice(), training);
    }

    @Override
    public NDArray bias(ParameterStore ps, NDArray like, boolean training) {
        return ps.getValue(bias, like.getDevice(), training);
    }

    @Override
    public NDArray apply(NDArray x, NDArray w, NDArray b) {
        Shape s = new Shape(stride, stride);
        return Conv2d.conv2d(x, w, b, s, new Shape(padding, padding), new Shape(1, 1));
    }

    @Override
    public NDArray applyTranspose(NDArray g, NDArray w, Shape inputShape) {
        long h = g.getShape().get(2);
        long full = (h - 1) * stride - 2L * padding + kernel;
        int outputPadding = (int) (inputShape.get(2) - full);
        if (inputShape.get(3) - ((g.getShape().get(3) - 1) * stride - 2L * padding + kernel) != outputPadding) {
            throw new IllegalArgumentException("only square inputs are supported, got " + inputShape);
        }
        return ConvTranspose2d.convTranspose2d(g, w, null, stride, padding, outputPadding);
    }

    @Override
    public int inputRank() {
        return 4;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        long h = ConvNd.outputSize(in.get(2), kernel, stride, padding, 1);
        long w = ConvNd.outputSize(in.get(3), kernel, stride, padding, 1);
        return new Shape[] {new Shape(in.get(0), filters, h, w)};
    }
}
