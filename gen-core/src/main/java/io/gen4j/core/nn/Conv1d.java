package io.gen4j.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.runtime.ConvGuard;

/**
 * A dense 1-D convolution, input (N, C_in, L) to output (N, C_out, L'), through {@link ConvGuard};
 * optionally <b>causal</b>: the input is padded with {@code d(k − 1)} zeros on the left only, so
 * output t sees inputs {@code <= t} and the length is kept (WaveNet's dilated causal convolution,
 * van den Oord et al. 2016).
 */
public class Conv1d extends ConvNd {

    private final boolean causal;

    /**
     * @param builder the configuration
     */
    protected Conv1d(Builder builder) {
        super(builder.filters, new Shape(builder.kernel), new Shape(builder.stride),
                new Shape(builder.padding), new Shape(builder.dilation), builder.bias);
        this.causal = builder.causal;
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return whether the convolution is causal */
    public boolean isCausal() {
        return causal;
    }

    private long causalPad() {
        return dilation.get(0) * (kernel.get(0) - 1);
    }

    @Override
    protected NDArray padInput(NDArray x) {
        return causal ? zeroPad(x, new Shape(causalPad(), 0)) : x;
    }

    @Override
    protected Shape padShape(Shape in) {
        return causal ? new Shape(in.get(0), in.get(1), in.get(2) + causalPad()) : in;
    }

    /**
     * The functional twin: a guarded 1-D convolution, computed as the 2-D convolution of the (N, C_in, 1, L)
     * view with the kernel (C_out, C_in, 1, k). libtorch's own 1-D convolution first makes its input
     * (N, C, L)-contiguous (then runs the same 2-D kernel), so an input stored channels-last, (N, L, C) in
     * memory, would be copied and oneDNN would reorder it into its blocked layout and the result back on every
     * call; through the 2-D view oneDNN's channels-last kernels take it as it is and return their result
     * channels-last too (WaveNet keeps its activations so). Forward and backward at WaveNet's bench sizes
     * (16 × 512, best of 40), channels-last input: 32 → 64, k 2: 1.87 → 1.20 ms; 32 → 32, k 1: 0.92 → 0.57;
     * 256 → 64: 6.71 → 3.72; 64 → 256: 8.30 → 5.37. An (N, C, L)-contiguous input takes the path libtorch's
     * 1-D convolution takes.
     *
     * @param x input (N, C_in, L)
     * @param weight (C_out, C_in, k), in any manager
     * @param bias (C_out) or null
     * @param stride stride
     * @param padding symmetric padding
     * @param dilation dilation
     * @return (N, C_out, L') in the manager of {@code x}
     */
    public static NDArray conv1d(NDArray x, NDArray weight, NDArray bias, int stride, int padding, int dilation) {
        if (x.getShape().dimension() != 3 || weight.getShape().dimension() != 3) {
            throw new IllegalArgumentException(
                    "conv1d expects x (N, C, L) and weight (O, C, k), got " + x.getShape() + " and " + weight.getShape());
        }
        NDArray w4 = weight.expandDims(2); // lands in the weight's manager, maybe the model's: move it to x's
        w4.attach(x.getManager());
        return ConvGuard.convolution(x.expandDims(2), w4, bias, new Shape(1, stride), new Shape(0, padding),
                new Shape(1, dilation)).squeeze(2);
    }

    /** Builder for {@link Conv1d}: {@code setFilters} and {@code setKernelSize} are required. */
    public static final class Builder {
        private int filters = -1;
        private long kernel = -1;
        private long stride = 1;
        private long padding;
        private long dilation = 1;
        private boolean bias = true;
        private boolean causal;

        Builder() {}

        /**
         * @param filters output channels
         * @return this
         */
        public Builder setFilters(int filters) {
            this.filters = filters;
            return this;
        }

        /**
         * @param k kernel size
         * @return this
         */
        public Builder setKernelSize(int k) {
            this.kernel = k;
            return this;
        }

        /**
         * @param s stride (default 1)
         * @return this
         */
        public Builder optStride(int s) {
            this.stride = s;
            return this;
        }

        /**
         * @param p symmetric zero padding (default 0; must stay 0 for causal convolutions)
         * @return this
         */
        public Builder optPadding(int p) {
            this.padding = p;
            return this;
        }

        /**
         * @param d dilation (default 1)
         * @return this
         */
        public Builder optDilation(int d) {
            this.dilation = d;
            return this;
        }

        /**
         * @param bias whether to add a bias (default true)
         * @return this
         */
        public Builder optBias(boolean bias) {
            this.bias = bias;
            return this;
        }

        /**
         * @param causal pad {@code d(k − 1)} zeros on the left only (default false)
         * @return this
         */
        public Builder optCausal(boolean causal) {
            this.causal = causal;
            return this;
        }

        /**
         * @return the block
         * @throws IllegalArgumentException when a value is missing or inconsistent
         */
        public Conv1d build() {
            if (filters < 1) {
                throw new IllegalArgumentException("filters must be set and >= 1, got " + filters);
            }
            if (kernel < 1) {
                throw new IllegalArgumentException("kernel size must be set and >= 1, got " + kernel);
            }
            if (causal && padding != 0) {
                throw new IllegalArgumentException("a causal convolution pads by itself; padding must be 0, got " + padding);
            }
            if (causal && stride != 1) {
                throw new IllegalArgumentException("causal convolutions need stride 1, got " + stride);
            }
            return new Conv1d(this);
        }
    }
}
