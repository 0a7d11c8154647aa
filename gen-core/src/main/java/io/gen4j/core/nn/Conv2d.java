package io.gen4j.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.gen4j.core.kernels.Kernels;
import io.gen4j.core.math.Slices;
import io.gen4j.core.runtime.ConvGuard;

/**
 * A dense 2-D convolution, input (N, C_in, H, W) to output (N, C_out, H', W'), run through {@link
 * ConvGuard} so that it is correct on CPUs with the oneDNN bug.
 *
 * <p>{@code y[n, o] = b[o] + Σ_c w[o, c] ⋆ x[n, c]}. Use it instead of DJL's {@code Conv2d}.
 *
 * <p>A strided convolution whose input needs a gradient and has few channels (C_in·s_H·s_W ≤ {@value
 * #MAX_SPACE_TO_DEPTH_CHANNELS}, a kernel the stride divides, dilation 1: the first layer of an image discriminator in the generator's
 * update, a gradient penalty, an energy's gradient with respect to its input) runs as the equal stride-1
 * convolution over the input's space-to-depth rearrangement (see {@link #conv2d}): oneDNN's input gradient of
 * a strided convolution into one to eight channels is slow, that of a stride-1 one is not.
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
     * <p>Where the input has a gradient and the stride is above 1 with C_in·s_H·s_W ≤ {@value
     * #MAX_SPACE_TO_DEPTH_CHANNELS}, a kernel the stride divides and dilation 1, the same sums run as a stride-1
     * convolution: with the input
     * padded to x_p and a kernel tap u = s·τ + φ (τ &lt; t = ⌈k/s⌉, φ &lt; s; taps u ≥ k are zeros),
     * {@code y[i] = Σ_u w[u]·x_p[s·i + u] = Σ_τ Σ_φ w[s·τ + φ]·X[φ, i + τ]} with {@code X[φ, m] = x_p[s·m + φ]},
     * the input's s_H·s_W phases as channels (one copy forward, one backward). On the machine of
     * docs/performance.md (oneDNN of libtorch 2.7.1, one thread, batch 64), forward and input gradient of DCGAN's
     * first discriminator layer (1 → 32 channels, 28 × 28, k 4, s 2, p 1) took 1.75 ms directly and 1.14 ms this
     * way, 3 → 64 channels at 32 × 32 6.29 and 3.89 ms; at 16 input channels (C_in·s² = 64) the direct form is
     * faster, and where only the weight needs a gradient it is faster too (0.51 against 0.78 ms), so that case
     * stays direct. The sums are the same, in another order (results agree to rounding).
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
        checkShapes(x, weight);
        if (takesSpaceToDepth(x, weight, stride, padding, dilation)) {
            return spaceToDepthConv2d(x, weight, bias, stride, padding);
        }
        return ConvGuard.convolution(x, weight, bias, stride, padding, dilation);
    }

    /**
     * The convolution of x upsampled ×2 by nearest neighbours: equal to {@code conv2d(Upsample2d.upsample(x, 2,
     * NEAREST), weight, bias, stride, padding, dilation)}, without convolving the upsampled array where the
     * kernel is 3 × 3 with stride 1, padding 1 and dilation 1 (the U-Net's up-sampling convolution).
     *
     * <p>Per axis, output row 2i reads upsampled rows 2i − 1, 2i, 2i + 1, which are input rows i − 1, i, i: taps
     * (w₀, w₁ + w₂) on rows (i − 1, i); row 2i + 1 takes (w₀ + w₁, w₂) on rows (i, i + 1). That is a transposed
     * convolution with stride 2, padding 1 and the 4-tap kernel K = (w₂, w₁ + w₂, w₀ + w₁, w₀), in 2-D K = M·W·Mᵀ
     * with M = [[0, 0, 1], [0, 1, 1], [1, 1, 0], [1, 0, 0]] (rows of zeros outside the input are the upsampled
     * zero padding). {@link ConvTranspose2d}'s phase form runs it as one convolution of x with 2 × 2 kernels into
     * 4·C_out channels on the (H + 1) × (W + 1) grid: 16·(H + 1)(W + 1) multiply-adds per channel pair where the
     * upsampled convolution takes 36·H·W (0.56 of them at 8 × 8, 0.50 at 16 × 16), and no upsampled array.
     * Backward, autograd carries the weight's gradient back through K = M·W·Mᵀ. The same sums in another order:
     * equal to the composed form to rounding. The result is (N, C, H, W)-contiguous, as the composed form's
     * (not channels-last as {@link ConvTranspose2d}'s: a U-Net concatenates it with (N, C, H, W) skips, and
     * channels-last would carry on into its group norms, which libtorch runs slowly in that layout). Other
     * kernels, strides, paddings and dilations compose.
     *
     * @param x input (N, C_in, H, W)
     * @param weight (C_out, C_in, kH, kW)
     * @param bias (C_out) or null
     * @param stride stride (sH, sW)
     * @param padding padding (pH, pW)
     * @param dilation dilation (dH, dW)
     * @return (N, C_out, H', W') of the convolution of the (N, C_in, 2H, 2W) upsampled input, in the manager of
     *     {@code x}
     */
    public static NDArray conv2dNearestUpsampled(
            NDArray x, NDArray weight, NDArray bias, Shape stride, Shape padding, Shape dilation) {
        return conv2dNearestUpsampled(x, weight, bias, stride, padding, dilation, false);
    }

    /**
     * {@link #conv2dNearestUpsampled(NDArray, NDArray, NDArray, Shape, Shape, Shape)} whose transposed form
     * writes its output channels-last ({@code channelsLast}) or (N, C, H, W)-contiguous: the same values, for a
     * caller whose arrays are channels-last ({@link UNet} in inference).
     */
    static NDArray conv2dNearestUpsampled(NDArray x, NDArray weight, NDArray bias, Shape stride, Shape padding,
            Shape dilation, boolean channelsLast) {
        checkShapes(x, weight);
        if (!takesUpsampledPhases(weight, stride, padding, dilation)) {
            return conv2d(Upsample2d.upsample(x, 2, Upsample2d.Mode.NEAREST), weight, bias, stride, padding,
                    dilation);
        }
        return upsampledByPhases(x, weight, bias, channelsLast, null);
    }

    /** The transposed form of the nearest-upsampled 3 × 3 convolution, optionally concatenated with a skip. */
    private static NDArray upsampledByPhases(NDArray x, NDArray weight, NDArray bias, boolean channelsLast,
            NDArray skip) {
        Shape ws = weight.getShape();
        return ConvTranspose2d.byPhases(x, new Shape(ws.get(1), ws.get(0), 4, 4),
                reverse -> upsampledPhaseKernels(weight, x.getManager(), reverse), bias, 2, 1, 0, channelsLast, skip);
    }

    /**
     * @return whether {@link #conv2dNearestUpsampled} runs as a transposed convolution of the input: a 3 × 3
     *     kernel, stride 1, padding 1, dilation 1
     */
    static boolean takesUpsampledPhases(NDArray weight, Shape stride, Shape padding, Shape dilation) {
        Shape k = weight.getShape();
        return k.get(2) == 3 && k.get(3) == 3 && stride.get(0) == 1 && stride.get(1) == 1 && padding.get(0) == 1
                && padding.get(1) == 1 && dilation.get(0) == 1 && dilation.get(1) == 1;
    }

    /** M of {@link #conv2dNearestUpsampled}: which of a 3-tap kernel's taps each of the 4 transposed taps sums. */
    private static final float[][] UPSAMPLED_TAPS = {{0, 0, 1}, {0, 1, 1}, {1, 1, 0}, {1, 0, 0}};

    /** P of {@link #upsampledPhaseKernels}, (16, 9) row-major: the phases in order, and reversed. */
    private static final float[] UPSAMPLED_PHASES = upsampledPhases(false);
    private static final float[] UPSAMPLED_PHASES_REVERSED = upsampledPhases(true);

    /**
     * Row (φ_h, φ_w, τ_h, τ_w), column (a, b): M[u_h, a]·M[u_w, b] with u = 2(1 − τ) + φ, the transposed
     * kernel's tap that {@link ConvTranspose2d}'s phase (φ_h, φ_w) takes at (τ_h, τ_w) (its arrangement, {@link
     * PhaseKernels}: taps flipped; with the phases reversed, slot φ holds phase 1 − φ).
     */
    private static float[] upsampledPhases(boolean reversed) {
        float[] p = new float[16 * 9];
        for (int r = 0; r < 16; r++) {
            int phiH = r >> 3 & 1;
            int phiW = r >> 2 & 1;
            int tauH = r >> 1 & 1;
            int tauW = r & 1;
            int uh = 2 * (1 - tauH) + (reversed ? 1 - phiH : phiH);
            int uw = 2 * (1 - tauW) + (reversed ? 1 - phiW : phiW);
            for (int a = 0; a < 3; a++) {
                for (int b = 0; b < 3; b++) {
                    p[r * 9 + a * 3 + b] = UPSAMPLED_TAPS[uh][a] * UPSAMPLED_TAPS[uw][b];
                }
            }
        }
        return p;
    }

    /**
     * The phase kernels of K = M·W·Mᵀ (class comment of {@link #conv2dNearestUpsampled}) as {@link
     * ConvTranspose2d}'s phase form takes them, (4·C_out, C_in, 2, 2) in the order (φ_h, φ_w, o), from one
     * product of a constant (16, 9) matrix with W's 3 × 3 taps and one copy into that order (backward: the
     * copy's and the product's). Where the taps of K would be gathered from K itself, this takes one operation
     * on W's size instead of two products and a gather (docs/performance.md, session 27).
     *
     * @param weight W (C_out, C_in, 3, 3)
     * @param manager where the result goes (the data's)
     * @param reversePhases whether the phases go in reverse order
     * @return (4·C_out, C_in, 2, 2) in {@code manager}
     */
    static NDArray upsampledPhaseKernels(NDArray weight, NDManager manager, boolean reversePhases) {
        long o = weight.getShape().get(0);
        long c = weight.getShape().get(1);
        NDArray p = manager.create(reversePhases ? UPSAMPLED_PHASES_REVERSED : UPSAMPLED_PHASES, new Shape(16, 9))
                .toType(weight.getDataType(), false);
        NDArray taps = weight.reshape(o * c, 9); // in the weight's manager: move it to the data's
        taps.attach(manager);
        return p.matMul(taps.transpose()).reshape(2, 2, 2, 2, o, c).transpose(0, 1, 4, 5, 2, 3).reshape(4 * o, c, 2, 2);
    }

    private static void checkShapes(NDArray x, NDArray weight) {
        if (x.getShape().dimension() != 4 || weight.getShape().dimension() != 4) {
            throw new IllegalArgumentException(
                    "conv2d expects x (N, C, H, W) and weight (O, C, kH, kW), got " + x.getShape() + " and "
                            + weight.getShape());
        }
    }

    /**
     * The most input channels times stride area for which {@link #conv2d} runs a strided convolution whose
     * input needs a gradient as a stride-1 convolution over the space-to-depth input (measured faster at 4, 12,
     * 16 and 32, slower at 64).
     */
    public static final long MAX_SPACE_TO_DEPTH_CHANNELS = 32;

    /**
     * @return whether {@link #conv2d} runs this convolution as a stride-1 convolution of the space-to-depth
     *     input: stride above 1 on an axis, dilation 1, C_in·s_H·s_W at most {@link
     *     #MAX_SPACE_TO_DEPTH_CHANNELS}, kernel sizes the strides divide (zero taps would add arithmetic: a 3 × 3
     *     stride-2 kernel becomes 2 × 2 taps of 4 phases, 16/9 of the products; measured slower for 8 input
     *     channels), an output of at least one element, padding below the kernel size, and
     *     an input that needs a gradient ({@link Kernels#requiresGradient}, checked last: it asks the engine)
     */
    static boolean takesSpaceToDepth(NDArray x, NDArray weight, Shape stride, Shape padding, Shape dilation) {
        long sh = stride.get(0);
        long sw = stride.get(1);
        if (sh * sw <= 1 || dilation.get(0) != 1 || dilation.get(1) != 1
                || x.getShape().get(1) * sh * sw > MAX_SPACE_TO_DEPTH_CHANNELS) {
            return false;
        }
        long kh = weight.getShape().get(2);
        long kw = weight.getShape().get(3);
        if (kh % sh != 0 || kw % sw != 0 || padding.get(0) >= kh || padding.get(1) >= kw
                || x.getShape().get(2) + 2 * padding.get(0) < kh || x.getShape().get(3) + 2 * padding.get(1) < kw) {
            return false;
        }
        return Kernels.forArray(x).requiresGradient(x);
    }

    /**
     * The strided convolution as a stride-1 convolution over the input's space-to-depth rearrangement
     * ({@link #conv2d}); any stride, padding below the kernel size, dilation 1.
     */
    static NDArray spaceToDepthConv2d(NDArray x, NDArray weight, NDArray bias, Shape stride, Shape padding) {
        Shape xs = x.getShape();
        long n = xs.get(0);
        long c = xs.get(1);
        long h = xs.get(2);
        long wd = xs.get(3);
        long o = weight.getShape().get(0);
        long kh = weight.getShape().get(2);
        long kw = weight.getShape().get(3);
        long sh = stride.get(0);
        long sw = stride.get(1);
        long ph = padding.get(0);
        long pw = padding.get(1);
        long th = (kh + sh - 1) / sh;
        long tw = (kw + sw - 1) / sw;
        long ho = (h + 2 * ph - kh) / sh + 1;
        long wo = (wd + 2 * pw - kw) / sw + 1;
        // the padded input rows the taps read: 0 .. sh·(ho + th − 1) − 1; pad the end with zeros up to there, or
        // crop input rows that no output reads
        long lh = sh * (ho + th - 1);
        long lw = sw * (wo + tw - 1);
        long endH = lh - h - ph;
        long endW = lw - wd - pw;
        NDArray xc = endH < 0 || endW < 0
                ? Slices.range(x, 2, new long[] {0, 0}, new long[] {h + Math.min(endH, 0), wd + Math.min(endW, 0)})
                : x;
        NDArray xp = ConvNd.zeroPad(xc, new Shape(pw, Math.max(endW, 0), ph, Math.max(endH, 0)));
        NDArray phases = xp.reshape(n, c, lh / sh, sh, lw / sw, sw).transpose(0, 1, 3, 5, 2, 4)
                .reshape(n, c * sh * sw, lh / sh, lw / sw);
        // the first operation on the weight lands in the weight's manager: move its result to the data's
        NDArray w = th * sh == kh && tw * sw == kw
                ? weight.reshape(o, c, th, sh, tw, sw)
                : weight.pad(new Shape(0, tw * sw - kw, 0, th * sh - kh), 0);
        w.attach(x.getManager());
        NDArray kernels = contiguous(w.reshape(o, c, th, sh, tw, sw).transpose(0, 1, 3, 5, 2, 4))
                .reshape(o, c * sh * sw, th, tw);
        Shape one = new Shape(1, 1);
        return ConvGuard.convolution(phases, kernels, bias, one, new Shape(0, 0), one);
    }

    /**
     * This layer applied to x upsampled ×2 by nearest neighbours, {@link #conv2dNearestUpsampled} with its weight
     * and bias: the same result as {@code forward(ps, new NDList(Upsample2d.upsample(x, 2, NEAREST)), training)}.
     *
     * @param ps the parameter store
     * @param x input (N, C_in, H, W)
     * @param training whether in training mode
     * @return (N, C_out, H', W') of the convolution of the upsampled input
     */
    public NDArray forwardNearestUpsampled(ParameterStore ps, NDArray x, boolean training) {
        return forwardNearestUpsampled(ps, x, training, false);
    }

    /** {@link #forwardNearestUpsampled(ParameterStore, NDArray, boolean)}, the output channels-last on request. */
    NDArray forwardNearestUpsampled(ParameterStore ps, NDArray x, boolean training, boolean channelsLast) {
        NDArray w = ps.getValue(weight, x.getDevice(), training);
        NDArray b = bias == null ? null : ps.getValue(bias, x.getDevice(), training);
        return conv2dNearestUpsampled(x, w, b, stride, padding, dilation, channelsLast);
    }

    /**
     * {@code forwardNearestUpsampled(ps, x, training, true).concat(skip, 1)}, channels-last: where the transposed
     * form's output is a strided view of its phases, the concatenation is its interleaving copy ({@link
     * ConvTranspose2d}'s phase form with a skip; {@link UNet}'s up path in inference).
     */
    NDArray forwardNearestUpsampledConcat(ParameterStore ps, NDArray x, NDArray skip, boolean training) {
        NDArray w = ps.getValue(weight, x.getDevice(), training);
        NDArray b = bias == null ? null : ps.getValue(bias, x.getDevice(), training);
        checkShapes(x, w);
        if (!takesUpsampledPhases(w, stride, padding, dilation)) {
            return conv2dNearestUpsampled(x, w, b, stride, padding, dilation, true).concat(skip, 1);
        }
        return upsampledByPhases(x, w, b, true, skip);
    }

    /**
     * x (N, C, H, W) with its elements stored channels-last ((N, H, W, C) in memory): one copy, recorded by
     * autograd, or for one channel a view (the same memory order; libtorch then reads it as channels-last).
     * libtorch's operators keep that layout in their results (oneDNN's convolutions then run on it without
     * reordering to their blocked layout and back). The copy has to come from a reshape that merges two axes that
     * are not adjacent in x's memory (W and C of the transposed view); merging adjacent ones (H and W) would be a
     * view and leave the data where they are.
     */
    static NDArray channelsLast(NDArray x) {
        Shape s = x.getShape();
        return x.transpose(0, 2, 3, 1).reshape(s.get(0), s.get(2), s.get(3) * s.get(1))
                .reshape(s.get(0), s.get(2), s.get(3), s.get(1)).transpose(0, 3, 1, 2);
    }

    /**
     * x with its elements in row-major order: a view of x where it is, else a copy (autograd records both).
     * Where size-1 axes let a reshape of a transposed array be a view, the result can have strides that are not
     * row-major, and libtorch's slow_conv2d (the CPU convolution of float64 arrays, and of float32 ones too
     * small for oneDNN) then refuses the weight's gradient ("grad_weight must be contiguous"): a 1 × 3 kernel at
     * stride 1 × 2 on one channel did, on a machine whose convolution guard pads nothing. A flattening is a view
     * exactly when the elements are in row-major order, and a copy into that order otherwise.
     */
    static NDArray contiguous(NDArray x) {
        return x.reshape(-1).reshape(x.getShape());
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
