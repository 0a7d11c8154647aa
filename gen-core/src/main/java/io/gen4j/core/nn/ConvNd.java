package io.gen4j.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.gen4j.core.runtime.ConvGuard;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * Base of gen4j's dense convolutions: weight (C_out, C_in, k...) and optional bias (C_out), stride,
 * symmetric zero padding and dilation per spatial axis, every call through {@link ConvGuard}.
 *
 * <p>Output size per spatial axis: {@code ⌊(L + 2p − d(k − 1) − 1)/s⌋ + 1}. Parameters are
 * initialised as in PyTorch ({@link FanInUniform}).
 */
public abstract class ConvNd extends AbstractBlock {

    private static final byte VERSION = 1;

    /** Output channels. */
    protected final int filters;
    /** Kernel size per spatial axis. */
    protected final Shape kernel;
    /** Stride per spatial axis. */
    protected final Shape stride;
    /** Symmetric zero padding per spatial axis. */
    protected final Shape padding;
    /** Dilation per spatial axis. */
    protected final Shape dilation;
    /** The weight, (C_out, C_in, k...). */
    protected final Parameter weight;
    /** The bias, (C_out), or null. */
    protected final Parameter bias;
    private long inChannels = -1;

    /**
     * @param filters output channels, at least 1
     * @param kernel kernel size per spatial axis
     * @param stride stride per spatial axis
     * @param padding padding per spatial axis
     * @param dilation dilation per spatial axis
     * @param useBias whether to add a bias
     */
    protected ConvNd(int filters, Shape kernel, Shape stride, Shape padding, Shape dilation, boolean useBias) {
        super(VERSION);
        int dims = kernel.dimension();
        if (filters < 1) {
            throw new IllegalArgumentException("filters must be >= 1, got " + filters);
        }
        check("stride", stride, dims, 1);
        check("padding", padding, dims, 0);
        check("dilation", dilation, dims, 1);
        check("kernel", kernel, dims, 1);
        // Decide the guard now, outside any GradientCollector (its canary opens one), and the bfloat16 one
        // when bfloat16 is requested.
        ConvGuard.prepare();
        this.filters = filters;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.dilation = dilation;
        this.weight = addParameter(Parameter.builder()
                .setName("weight")
                .setType(Parameter.Type.WEIGHT)
                .optInitializer(FanInUniform.forWeight())
                .build());
        this.bias = useBias
                ? addParameter(Parameter.builder()
                        .setName("bias")
                        .setType(Parameter.Type.BIAS)
                        .optInitializer(FanInUniform.forBias(() -> inChannels * kernel.size()))
                        .build())
                : null;
    }

    private static void check(String name, Shape s, int dims, long min) {
        if (s.dimension() != dims) {
            throw new IllegalArgumentException(name + " must have " + dims + " dimensions, got " + s);
        }
        for (long v : s.getShape()) {
            if (v < min) {
                throw new IllegalArgumentException(name + " values must be >= " + min + ", got " + s);
            }
        }
    }

    /** @return the number of spatial axes (1 or 2) */
    protected int spatialDims() {
        return kernel.dimension();
    }

    /** @return output channels */
    public int getFilters() {
        return filters;
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        if (in.dimension() != spatialDims() + 2) {
            throw new IllegalArgumentException(
                    "expected input (N, C, " + spatialDims() + " spatial axes), got " + in);
        }
        inChannels = in.get(1);
        long[] w = new long[spatialDims() + 2];
        w[0] = filters;
        w[1] = inChannels;
        System.arraycopy(kernel.getShape(), 0, w, 2, spatialDims());
        weight.setShape(new Shape(w));
        if (bias != null) {
            bias.setShape(new Shape(filters));
        }
    }

    /**
     * Pads the input before the convolution; the default adds nothing (causal 1-D convolutions pad
     * on the left).
     *
     * @param x the input
     * @return the padded input
     */
    protected NDArray padInput(NDArray x) {
        return x;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = padInput(inputs.head());
        NDArray w = ps.getValue(weight, x.getDevice(), training);
        NDArray b = bias == null ? null : ps.getValue(bias, x.getDevice(), training);
        return new NDList(x.getShape().dimension() == 4
                ? Conv2d.conv2d(x, w, b, stride, padding, dilation) // a strided one may run on the phases
                : ConvGuard.convolution(x, w, b, stride, padding, dilation));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = padShape(inputShapes[0]);
        long[] out = new long[in.dimension()];
        out[0] = in.get(0);
        out[1] = filters;
        for (int i = 0; i < spatialDims(); i++) {
            out[i + 2] = outputSize(in.get(i + 2), kernel.get(i), stride.get(i), padding.get(i), dilation.get(i));
        }
        return new Shape[] {new Shape(out)};
    }

    /**
     * The input shape after {@link #padInput}.
     *
     * @param in the input shape
     * @return the padded shape
     */
    protected Shape padShape(Shape in) {
        return in;
    }

    /**
     * {@code x.pad(pads, 0)}, or x itself when every amount is 0: libtorch's {@code constant_pad_nd} copies its
     * input even then (a {@code clone}, and another in the backward pass), which a 1×1 or unpadded convolution
     * would pay on every call.
     *
     * @param x the array
     * @param pads (before, after) pairs from the last axis, as {@link NDArray#pad}
     * @return x padded with zeros, or x
     */
    public static NDArray zeroPad(NDArray x, Shape pads) {
        for (long a : pads.getShape()) {
            if (a != 0) {
                return x.pad(pads, 0);
            }
        }
        return x;
    }

    /**
     * Output length of a convolution along one axis.
     *
     * @param length input length
     * @param k kernel size
     * @param s stride
     * @param p padding on each side
     * @param d dilation
     * @return ⌊(L + 2p − d(k − 1) − 1)/s⌋ + 1
     */
    public static long outputSize(long length, long k, long s, long p, long d) {
        return (length + 2 * p - d * (k - 1) - 1) / s + 1;
    }

    @Override
    protected void saveMetadata(DataOutputStream os) throws IOException {
        saveInputShapes(os);
        os.writeLong(inChannels);
    }

    @Override
    public void loadMetadata(byte loadVersion, DataInputStream is) throws IOException, ai.djl.MalformedModelException {
        if (loadVersion != VERSION) {
            throw new ai.djl.MalformedModelException("Unsupported ConvNd version " + loadVersion);
        }
        readInputShapes(is);
        inChannels = is.readLong();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(filters=" + filters + ", kernel=" + Arrays.toString(kernel.getShape())
                + ", stride=" + Arrays.toString(stride.getShape()) + ", padding="
                + Arrays.toString(padding.getShape()) + ", dilation=" + Arrays.toString(dilation.getShape()) + ")";
    }

    static Shape repeat(int dims, long value) {
        long[] v = new long[dims];
        Arrays.fill(v, value);
        return new Shape(v);
    }

}
