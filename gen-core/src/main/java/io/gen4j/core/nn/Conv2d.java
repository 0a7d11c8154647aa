package io.gen4j.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.runtime.ConvGuard;

/**
 * A dense 2-D convolution, input (N, C_in, H, W) to output (N, C_out, H', W'), run through {@link
 * ConvGuard} so that it is correct on CPUs with the oneDNN bug.
 *
 * <p>{@code y[n, o] = b[o] + Σ_c w[o, c] ⋆ x[n, c]}. Use it instead of DJL's {@code Conv2d}.
 *
 * <pre>{@code
 * Conv2d conv = Conv2d.builder().setFilters(64).setKernelSize(3).optPadding(1).build();
 * }</pre>
 */
public class Conv2d extends ConvNd {

    /**
     * @param builder the configuration
     */
    protected Conv2d(Builder builder) {
        super(builder.filters, builder.kernel, builder.stride, builder.padding, builder.dilation, builder.bias);
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The functional twin: a guarded 2-D convolution.
     *
     * @param x input (N, C_in, H, W)
     * @param weight (C_out, C_in, kH, kW)
     * @param bias (C_out) or null
     * @param stride stride (sH, sW)
     * @param padding padding (pH, pW)
     * @param dilation dilation (dH, dW)
     * @return (N, C_out, H', W') in the manager of {@code x}
     */
    public static NDArray conv2d(
            NDArray x, NDArray weight, NDArray bias, Shape stride, Shape padding, Shape dilation) {
        if (x.getShape().dimension() != 4 || weight.getShape().dimension() != 4) {
            throw new IllegalArgumentException(
                    "conv2d expects x (N, C, H, W) and weight (O, C, kH, kW), got " + x.getShape() + " and "
                            + weight.getShape());
        }
        return ConvGuard.convolution(x, weight, bias, stride, padding, dilation);
    }

    /** Builder for {@link Conv2d}: {@code setFilters} and {@code setKernelSize} are required. */
    public static final class Builder {
        private int filters = -1;
        private Shape kernel;
        private Shape stride = new Shape(1, 1);
        private Shape padding = new Shape(0, 0);
        private Shape dilation = new Shape(1, 1);
        private boolean bias = true;

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
         * @param k square kernel size
         * @return this
         */
        public Builder setKernelSize(int k) {
            return setKernelShape(new Shape(k, k));
        }

        /**
         * @param kernel (kH, kW)
         * @return this
         */
        public Builder setKernelShape(Shape kernel) {
            this.kernel = kernel;
            return this;
        }

        /**
         * @param s stride on both axes (default 1)
         * @return this
         */
        public Builder optStride(int s) {
            this.stride = new Shape(s, s);
            return this;
        }

        /**
         * @param p zero padding on every side (default 0)
         * @return this
         */
        public Builder optPadding(int p) {
            this.padding = new Shape(p, p);
            return this;
        }

        /**
         * @param d dilation on both axes (default 1)
         * @return this
         */
        public Builder optDilation(int d) {
            this.dilation = new Shape(d, d);
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
         * Zero padding that keeps H and W at stride 1: {@code d(k − 1)/2} (odd kernels only).
         *
         * @return this
         */
        public Builder optSamePadding() {
            if (kernel == null) {
                throw new IllegalStateException("set the kernel before optSamePadding()");
            }
            long k = kernel.get(0);
            if (k % 2 == 0 || kernel.get(1) != k) {
                throw new IllegalStateException("same padding needs an odd square kernel, got " + kernel);
            }
            long p = dilation.get(0) * (k - 1) / 2;
            this.padding = new Shape(p, p);
            return this;
        }

        /**
         * @return the block
         * @throws IllegalArgumentException when a required value is missing or out of range
         */
        public Conv2d build() {
            if (filters < 1) {
                throw new IllegalArgumentException("filters must be set and >= 1, got " + filters);
            }
            if (kernel == null) {
                throw new IllegalArgumentException("kernel size must be set");
            }
            return new Conv2d(this);
        }
    }
}
