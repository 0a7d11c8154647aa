package io.gen4j.autoregressive;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.gen4j.core.math.Slices;
import io.gen4j.core.nn.Conv1d;
import io.gen4j.core.nn.ConvNd;
import io.gen4j.core.nn.FanInUniform;
import io.gen4j.core.runtime.ConvGuard;

/**
 * A dilated causal 1-D convolution: input (N, C_in, L) left-padded with d(k − 1) zeros, kernel
 * multiplied by a {@link AutoregressiveMasks#causal1d} mask (A drops the current time), run by
 * gen-core's guarded {@link Conv1d#conv1d} (which keeps a channels-last input so); output (N, C_out, L). Output t sees inputs
 * t − d(k − 1), …, t (mask B) or up to t − d (mask A). Channel counts are fixed at construction.
 *
 * <p>Only the taps from the mask's first to its last nonzero one are convolved (the input padded and
 * cut to match), which gives the same output as the full k-tap convolution without multiplying the
 * zeros: WaveNet's mask-A input convolution (k = 2) runs one tap over its 256 one-hot channels, not
 * two. Without a mask the weight enters the convolution as it is, with no product by ones.
 */
public final class MaskedConv1d extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int kernel;
    private final int dilation;
    private final float[] mask;
    /** Whether every tap is kept (no product with the mask needed). */
    private final boolean dense;
    /** The first and last nonzero taps, or null when that is all k (or none: then all k run). */
    private final int[] taps;
    private final Parameter weight;
    private final Parameter bias;

    /**
     * @param in input channels
     * @param out output channels
     * @param kernel kernel size k
     * @param dilation dilation d
     * @param mask the k-tap mask, or null (all taps)
     */
    public MaskedConv1d(int in, int out, int kernel, int dilation, float[] mask) {
        super(VERSION);
        if (in < 1 || out < 1 || kernel < 1 || dilation < 1) {
            throw new IllegalArgumentException("in, out, kernel and dilation must be >= 1, got " + in + ", " + out
                    + ", " + kernel + ", " + dilation);
        }
        if (mask != null && mask.length != kernel) {
            throw new IllegalArgumentException("mask must have k = " + kernel + " entries, got " + mask.length);
        }
        ConvGuard.prepare(); // the guard's canary runs here, outside any GradientCollector
        this.kernel = kernel;
        this.dilation = dilation;
        this.mask = mask == null ? ones(kernel) : mask.clone();
        this.dense = allOnes(this.mask);
        this.taps = taps(this.mask);
        this.weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(out, in, kernel)).optInitializer(FanInUniform.forWeight()).build());
        this.bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS)
                .optShape(new Shape(out)).optInitializer(FanInUniform.forBias(() -> (long) in * kernel)).build());
    }

    /** @return the dilation d */
    public int dilation() {
        return dilation;
    }

    /** @return the kernel size k */
    public int kernel() {
        return kernel;
    }

    /**
     * @param ps the parameter store
     * @param x (N, C_in, L)
     * @param training whether in training
     * @return (N, C_out, L)
     */
    public NDArray apply(ParameterStore ps, NDArray x, boolean training) {
        NDArray b = ps.getValue(bias, x.getDevice(), training);
        long length = x.getShape().get(2);
        // out(t) = Σ_{j0 <= j <= j1} w_j x(t − d(k − 1 − j)): pad d(k − 1 − j0) on the left and drop the
        // last d(k − 1 − j1) inputs, which no kept tap reaches (all of them: run the full kernel instead)
        long drop = taps == null ? 0 : (long) dilation * (kernel - 1 - taps[1]);
        if (taps == null || drop >= length) {
            NDArray padded = padLeft(x, (long) dilation * (kernel - 1));
            return Conv1d.conv1d(padded, kernelAsApplied(ps, x, training), b, 1, 0, dilation);
        }
        NDArray wc = Slices.narrow(maskedWeight(ps, x, training), 2, taps[0], taps[1] + 1L);
        NDArray in = drop == 0 ? x : Slices.narrow(x, 2, 0, length - drop);
        NDArray padded = padLeft(in, (long) dilation * (kernel - 1 - taps[0]));
        return Conv1d.conv1d(padded, wc, b, 1, 0, dilation);
    }

    /**
     * x (N, C, L) with {@code left} zeros in front of every sequence, made through its (N, L, C) view: an
     * input stored channels-last (WaveNet's, see {@link Conv1d#conv1d}) stays so (a pad of (N, C, L) would store the
     * result (N, C, L)-contiguous).
     */
    private static NDArray padLeft(NDArray x, long left) {
        if (left == 0) {
            return x;
        }
        return ConvNd.zeroPad(x.transpose(0, 2, 1), new Shape(0, 0, left, 0)).transpose(0, 2, 1);
    }

    /**
     * The weight as {@link #apply} uses it: the parameter's own value when the mask keeps every tap (then it
     * lives in the model's manager: the result of an operation on it must be attached to the data's manager at
     * once), else the masked weight in x's manager.
     *
     * @param ps the parameter store
     * @param x an array on the device and in the manager of the data
     * @param training whether in training
     * @return (C_out, C_in, k)
     */
    NDArray kernelAsApplied(ParameterStore ps, NDArray x, boolean training) {
        return dense ? ps.getValue(weight, x.getDevice(), training) : maskedWeight(ps, x, training);
    }

    /**
     * @param ps the parameter store
     * @param x an array in the manager that should own the result
     * @param training whether in training
     * @return the masked weight (C_out, C_in, k)
     */
    public NDArray maskedWeight(ParameterStore ps, NDArray x, boolean training) {
        NDArray w = ps.getValue(weight, x.getDevice(), training);
        // always through the mask (all ones when none was given): the product lands in x's manager
        return AutoregressiveMasks.apply(w, mask, new Shape(1, 1, kernel), x.getManager());
    }

    private static boolean allOnes(float[] mask) {
        for (float m : mask) {
            if (m != 1f) {
                return false;
            }
        }
        return true;
    }

    /** @return {j0, j1} of the first and last nonzero taps, or null when they are 0 and k − 1 or none */
    private static int[] taps(float[] mask) {
        int j0 = -1;
        int j1 = -1;
        for (int j = 0; j < mask.length; j++) {
            if (mask[j] != 0f) {
                j0 = j0 < 0 ? j : j0;
                j1 = j;
            }
        }
        return j0 < 0 || (j0 == 0 && j1 == mask.length - 1) ? null : new int[] {j0, j1};
    }

    private static float[] ones(int k) {
        float[] m = new float[k];
        java.util.Arrays.fill(m, 1f);
        return m;
    }

    /**
     * @param ps the parameter store
     * @param x an array on the right device
     * @param training whether in training
     * @return the bias (C_out)
     */
    public NDArray bias(ParameterStore ps, NDArray x, boolean training) {
        return ps.getValue(bias, x.getDevice(), training);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.head(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), weight.getArray().getShape().get(0), in.get(2))};
    }
}
