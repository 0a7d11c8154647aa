package io.gen4j.autoregressive;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.gen4j.core.nn.Conv2d;
import io.gen4j.core.nn.FanInUniform;
import io.gen4j.core.runtime.ConvGuard;

/**
 * A 2-D convolution whose k×k kernel is multiplied by a mask of {@link AutoregressiveMasks} (mask
 * A/B, vertical or horizontal stack) before gen-core's guarded {@link Conv2d#conv2d} runs it with
 * "same" padding; a null mask gives a dense convolution (1×1 heads). The channel counts are fixed at
 * construction, so the parameters' shapes are known without an input.
 */
public final class MaskedConv2d extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int kernel;
    private final float[] mask;
    private final Parameter weight;
    private final Parameter bias;

    /**
     * @param in input channels
     * @param out output channels
     * @param kernel odd kernel side k
     * @param mask the (k, k) mask row-major, or null for none
     */
    public MaskedConv2d(int in, int out, int kernel, float[] mask) {
        super(VERSION);
        if (in < 1 || out < 1 || kernel < 1 || kernel % 2 == 0) {
            throw new IllegalArgumentException("need in, out >= 1 and an odd kernel, got " + in + ", " + out + ", "
                    + kernel);
        }
        if (mask != null && mask.length != kernel * kernel) {
            throw new IllegalArgumentException("mask must have k*k = " + kernel * kernel + " entries, got " + mask.length);
        }
        ConvGuard.status(); // the guard's canary runs here, outside any GradientCollector
        this.kernel = kernel;
        this.mask = mask == null ? null : mask.clone();
        this.weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(out, in, kernel, kernel)).optInitializer(FanInUniform.forWeight()).build());
        this.bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS)
                .optShape(new Shape(out)).optInitializer(FanInUniform.forBias(() -> (long) in * kernel * kernel))
                .build());
    }

    /**
     * @param ps the parameter store
     * @param x (N, in, H, W)
     * @param training whether in training
     * @return (N, out, H, W) in the manager of x
     */
    public NDArray apply(ParameterStore ps, NDArray x, boolean training) {
        NDArray w = ps.getValue(weight, x.getDevice(), training);
        NDArray b = ps.getValue(bias, x.getDevice(), training);
        NDArray wm = mask == null ? w : AutoregressiveMasks.apply(w, mask, new Shape(1, 1, kernel, kernel),
                x.getManager());
        int p = kernel / 2;
        return Conv2d.conv2d(x, wm, b, new Shape(1, 1), new Shape(p, p), new Shape(1, 1));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.head(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), weight.getArray().getShape().get(0), in.get(2), in.get(3))};
    }
}
