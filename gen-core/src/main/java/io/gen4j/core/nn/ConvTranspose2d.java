package io.gen4j.core.nn;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.gen4j.core.kernels.Kernels;
import io.gen4j.core.kernels.StridedViews;
import io.gen4j.core.math.Scalars;
import io.gen4j.core.math.Slices;
import io.gen4j.core.runtime.ConvGuard;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * A 2-D transposed convolution ("deconvolution"), which DJL's PyTorch engine lacks, built from
 * operations it has: zero insertion, zero padding and an ordinary (guarded) convolution.
 *
 * <p>With weight W of shape (C_in, C_out, k, k) (PyTorch's layout), stride s, padding p and output
 * padding q, the result equals PyTorch's {@code conv_transpose2d}: insert s − 1 zeros between input
 * pixels, pad k − 1 − p zeros on the top/left and k − 1 − p + q on the bottom/right, and convolve
 * with W flipped spatially and with its channel axes swapped. Output size: {@code (H − 1)s − 2p + k +
 * q}. It is the adjoint of {@link Conv2d} with the same weight, which is what the tests check.
 *
 * <p>For stride s &gt; 1 it does not convolve the zero-inserted input (s² times the multiply-adds, most of
 * them with zeros) but splits the output into its s × s phases: output row i receives kernel rows u ≡ (i + p)
 * mod s only, so each phase is an ordinary convolution of the undilated input with a ⌈k/s⌉ × ⌈k/s⌉
 * sub-kernel of W. All s² sub-kernels run as one convolution with s²·C_out output channels, and the phases
 * are interleaved back into the output grid (a "pixel shuffle"), then cropped by p (a view). Same sum of the
 * same products (in another order): equal to the zero-insertion form to float rounding. The strided result is
 * stored channels-last, (N, H, W, C_out) in memory, and returned as its (N, C_out, H, W) view: the
 * interleaving copy is then a copy of runs of s·C_out elements, and libtorch's later operations (batch norm,
 * activations, the next convolution) keep that layout. oneDNN then runs its channels-last kernels, which the
 * engine canary checks as well ({@link io.gen4j.core.runtime.ConvSelfTest}).
 *
 * <p>Where the engine has {@link StridedViews} (gen-pytorch) and the crop is a whole number of phases per
 * output axis (p = 0, or s = 2 with p = 1, as in DCGAN's k = 4, s = 2, p = 1; output sizes multiples of s),
 * the interleaving and the crop are one strided view of the phases, made dense by one copy: backward, one
 * zero fill and one copy instead of the crop's fill and copy, the interleave's copy and the convolution's
 * layout copy (DCGAN's training step 0.8–1.6 ms faster). Other cases, and engines without it, compose.
 *
 * <p>Where s divides k the s² sub-kernels are a permutation of W's elements and are gathered in one operation
 * with an index made once per shape ({@link PhaseKernels}); otherwise W is zero-padded to a multiple of s and
 * rearranged with a flip and a transpose.
 */
public class ConvTranspose2d extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int filters;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final int outputPadding;
    private final Parameter weight;
    private final Parameter bias;
    private long inChannels = -1;

    /**
     * @param builder the configuration
     */
    protected ConvTranspose2d(Builder builder) {
        super(VERSION);
        ConvGuard.prepare(); // decided outside any GradientCollector
        this.filters = builder.filters;
        this.kernel = builder.kernel;
        this.stride = builder.stride;
        this.padding = builder.padding;
        this.outputPadding = builder.outputPadding;
        this.weight = addParameter(Parameter.builder()
                .setName("weight")
                .setType(Parameter.Type.WEIGHT)
                .optInitializer(FanInUniform.forWeight())
                .build());
        this.bias = builder.bias
                ? addParameter(Parameter.builder()
                        .setName("bias")
                        .setType(Parameter.Type.BIAS)
                        .optInitializer(FanInUniform.forBias(() -> (long) filters * kernel * kernel))
                        .build())
                : null;
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The functional twin.
     *
     * @param x input (N, C_in, H, W)
     * @param weight (C_in, C_out, k, k)
     * @param bias (C_out) or null
     * @param stride stride s >= 1
     * @param padding padding p, {@code 0 <= p <= k − 1}
     * @param outputPadding extra rows/columns q on the bottom/right, {@code 0 <= q < s}
     * @return (N, C_out, (H − 1)s − 2p + k + q, (W − 1)s − 2p + k + q) in the manager of {@code x}
     */
    public static NDArray convTranspose2d(
            NDArray x, NDArray weight, NDArray bias, int stride, int padding, int outputPadding) {
        long k = weight.getShape().get(2);
        if (weight.getShape().get(3) != k) {
            throw new IllegalArgumentException("only square kernels are supported, got " + weight.getShape());
        }
        if (padding < 0 || padding > k - 1) {
            throw new IllegalArgumentException("padding must be in [0, " + (k - 1) + "], got " + padding);
        }
        if (outputPadding < 0 || outputPadding >= Math.max(stride, 1)) {
            throw new IllegalArgumentException("output padding must be in [0, " + (stride - 1) + "], got "
                    + outputPadding);
        }
        NDManager manager = x.getManager();
        if (stride > 1) {
            return byPhases(x, weight, bias, stride, padding, outputPadding);
        }
        long edge = k - 1 - padding;
        // pad() takes (left, right, top, bottom) for the last two axes.
        NDArray padded = ConvNd.zeroPad(x, new Shape(edge, edge + outputPadding, edge, edge + outputPadding));
        NDArray flipped = weight.flip(2, 3); // lands in the weight's manager: move it to the data's
        flipped.attach(manager);
        NDArray w = flipped.transpose(1, 0, 2, 3);
        Shape one = new Shape(1, 1);
        return ConvGuard.convolution(padded, w, bias, one, new Shape(0, 0), one);
    }

    /**
     * The strided transposed convolution as one convolution over the s × s output phases (class comment).
     * With T = ⌈k/s⌉, output index i + p = s·m + φ takes kernel rows u = φ + s·t (t &lt; T, u &lt; k) against input
     * rows m − t; as a correlation over the input padded by T − 1 in front, that is the sub-kernel
     * K_φ[τ] = W[φ + s(T − 1 − τ)] (zero where the index reaches k) at position m.
     */
    static NDArray byPhases(NDArray x, NDArray weight, NDArray bias, int s, int p, int q) {
        return byPhases(x, weight, bias, s, p, q, true);
    }

    /**
     * {@link #byPhases(NDArray, NDArray, NDArray, int, int, int)} with the output stored channels-last or, with
     * {@code channelsLast} false, (N, C_out, H, W)-contiguous: the same one interleaving copy, in the other order.
     * For a result that meets (N, C, H, W) arrays next (a U-Net's skip concatenation, whose result would be
     * channels-last too, and libtorch's channels-last group norm is slow at few channels per group,
     * docs/performance.md session 19).
     */
    static NDArray byPhases(NDArray x, NDArray weight, NDArray bias, int s, int p, int q, boolean channelsLast) {
        return byPhases(x, weight.getShape(), reverse -> phaseKernels(x, weight, s, reverse), bias, s, p, q,
                channelsLast, null);
    }

    /** The phase kernels of a transposed convolution, in the phase order the caller asks for. */
    @FunctionalInterface
    interface PhaseSource {
        /**
         * @param reversePhases whether the phases go in reverse order (the strided view of p = 1)
         * @return (s²·C_out, C_in, t, t) in the data's manager
         */
        NDArray kernels(boolean reversePhases);
    }

    /**
     * The phase form of a transposed convolution whose weight has shape {@code weightShape} (C_in, C_out, k, k)
     * and whose phase kernels come from {@code source} ({@link PhaseKernels}' arrangement of the weight, or
     * {@link Conv2d}'s nearest-upsampled kernels as one product), stored channels-last or (N, C_out, H, W)-
     * contiguous as {@link #byPhases(NDArray, NDArray, NDArray, int, int, int, boolean)}.
     *
     * <p>With a {@code skip}, {@code byPhases(...).concat(skip, 1)}, the same values, channels-last. Where the
     * output is one strided view of the phases, the concatenation reads that view and the skip in (n, m'_h, φ'_h,
     * m'_w, φ'_w, c) order and writes them channels-last, which is (n, H, W, c): the interleaving copy is the
     * concatenation's, and the transposed convolution's output is never stored on its own (one pass over it
     * fewer; a U-Net's up path in inference, where the skip is channels-last too). Elsewhere the two steps.
     *
     * @param skip (N, C_skip, H_out, W_out) or null
     */
    static NDArray byPhases(NDArray x, Shape weightShape, PhaseSource source, NDArray bias, int s, int p, int q,
            boolean channelsLast, NDArray skip) {
        Shape xs = x.getShape();
        long n = xs.get(0);
        long h = xs.get(2);
        long w = xs.get(3);
        long cIn = weightShape.get(0);
        long cOut = weightShape.get(1);
        long k = weightShape.get(2);
        long t = (k + s - 1) / s;
        long hOut = (h - 1) * s - 2L * p + k + q;
        long wOut = (w - 1) * s - 2L * p + k + q;
        if (skip != null) {
            Shape ss = skip.getShape();
            if (ss.dimension() != 4 || ss.get(0) != n || ss.get(2) != hOut || ss.get(3) != wOut) {
                throw new IllegalArgumentException("skip must be (" + n + ", C, " + hOut + ", " + wOut + "), got "
                        + ss);
            }
        }
        // rows (columns) of phase outputs needed to cover output indices p .. p + out − 1
        long rows = Math.max(h, (p + hOut + s - 1) / s);
        long cols = Math.max(w, (p + wOut + s - 1) / s);
        StridedViews views = phaseViews(x, s, p, hOut, wOut, rows, cols);
        NDArray kernels = source.kernels(views != null && p > 0);
        // every phase channel (φ_h, φ_w, o) takes o's bias: the convolution adds it (no pass of its own over the
        // interleaved output); backward, autograd sums the s² copies' gradients into the bias
        NDArray phaseBias = null;
        if (bias != null) {
            phaseBias = bias.tile(s * s); // in the bias's manager: move it to the data's
            phaseBias.attach(x.getManager());
        }
        Shape one = new Shape(1, 1);
        NDArray phases;
        if (rows - h == t - 1 && cols - w == t - 1) {
            // the same padding on every side (DCGAN's k = 4, s = 2, p = 1): the convolution pads, no copy
            phases = ConvGuard.convolution(x, kernels, phaseBias, one, new Shape(t - 1, t - 1), one);
        } else {
            // pad() takes (left, right, top, bottom) for the last two axes
            NDArray padded = ConvNd.zeroPad(x, new Shape(t - 1, cols - w, t - 1, rows - h));
            phases = ConvGuard.convolution(padded, kernels, phaseBias, one, new Shape(0, 0), one);
        }
        if (views != null) {
            return interleaveByView(views, phases, s, p, cOut, hOut, wOut, channelsLast, skip);
        }
        return skip == null ? interleave(phases, s, p, n, cOut, rows, cols, hOut, wOut, channelsLast)
                : interleave(phases, s, p, n, cOut, rows, cols, hOut, wOut, true).concat(skip, 1);
    }

    /** The phase kernels arranged from W's elements (class comment), in x's manager. */
    private static NDArray phaseKernels(NDArray x, NDArray weight, int s, boolean reversePhases) {
        long cIn = weight.getShape().get(0);
        long cOut = weight.getShape().get(1);
        long k = weight.getShape().get(2);
        long t = (k + s - 1) / s;
        long extra = s * t - k;
        if (extra == 0) {
            // every kernel tap is used once: the phase kernels are one gather of W's elements (into the data's
            // manager), whose backward puts each gradient element back once
            return weight.take(x.getManager(), PhaseKernels.index(weight, s, reversePhases))
                    .reshape(s * s * cOut, cIn, t, t);
        }
        // the first operation on the weight lands in the weight's manager: move its result to the data's
        NDArray padded = weight.pad(new Shape(0, extra, 0, extra), 0);
        padded.attach(x.getManager());
        return PhaseKernels.arrange(padded.reshape(cIn, cOut, t, s, t, s), reversePhases);
    }

    private static NDArray interleave(NDArray phases, int s, int p, long n, long cOut, long rows, long cols,
            long hOut, long wOut, boolean channelsLast) {
        // (n, (φ_h, φ_w, o), m_h, m_w) -> (n, o, s·m_h + φ_h, s·m_w + φ_w): output row s·m_h + φ_h is index i + p.
        // The interleaving copy is made channels-last, (n, m_h, φ_h, m_w, φ_w, o) in memory, and the result is
        // its (n, o, H, W) view. Into an (n, o, H, W)-contiguous result the copy's innermost run is φ_w (s
        // elements); channels-last, it is φ_w·o. When the phases are channels-last themselves (the input was,
        // as it is for a layer fed by another of this kind) the first reshape is a view and the copy reads runs
        // of (φ_w, o) too. PyTorch 1.13, the shapes of DCGAN's 64 → 32 layer: 712 µs into (n, o, H, W), 203 µs
        // from (n, o, H, W) phases into channels-last, 57 µs from channels-last phases. (Session 17, whole
        // DCGAN steps alternating in one process: the (n, o, H, W) copy makes the generator's backward about
        // 0.6 ms faster but its forward slower; training 37.0 against 35.7 ms, the sampler 3.9 against 3.2 ms.)
        // The crop slices only H and W (Slices): DJL's ":, :, a:b, c:d" records four slices, each of whose
        // backward fills a zero array of the grid's size and copies into it.
        if (!channelsLast) {
            // (n, (φ_h, φ_w, o), m_h, m_w) -> (n, o, m_h, φ_h, m_w, φ_w): one copy into (n, o, H, W) order
            NDArray grid = phases.reshape(n, s, s, cOut, rows, cols).transpose(0, 3, 4, 1, 5, 2)
                    .reshape(n, cOut, rows * s, cols * s);
            return Slices.range(grid, 2, new long[] {p, p}, new long[] {p + hOut, p + wOut});
        }
        NDArray grid = phases.transpose(0, 2, 3, 1).reshape(n, rows, cols, s, s, cOut)
                .transpose(0, 1, 3, 2, 4, 5)
                .reshape(n, rows * s, cols * s, cOut)
                .transpose(0, 3, 1, 2);
        return Slices.range(grid, 2, new long[] {p, p}, new long[] {p + hOut, p + wOut});
    }

    /**
     * @return the engine's strided views when the interleaved, cropped output is one strided view of the phase
     *     convolution's output (p &lt; s with p = 0 or s = 2, output sizes that are multiples of s, every phase
     *     row and column the view reads computed) and the engine makes views of x; else null (the composed
     *     interleave)
     */
    private static StridedViews phaseViews(NDArray x, int s, int p, long hOut, long wOut, long rows, long cols) {
        if (p >= s || (p != 0 && s != 2) || hOut % s != 0 || wOut % s != 0) {
            return null;
        }
        // the view reads phase rows m' + δ, δ = 1 for the second phase when p = 1
        long shift = p > 0 ? 1 : 0;
        if (hOut / s - 1 + shift > rows - 1 || wOut / s - 1 + shift > cols - 1) {
            return null;
        }
        StridedViews views = Kernels.forArray(x).stridedViews().orElse(null);
        return views != null && views.takes(x) ? views : null;
    }

    /**
     * The transposed convolution's output read from its phases as one strided view, made dense by one copy.
     * Output row i = s·m' + φ' is grid row i + p = s·m + φ of the phase form. With p = 0 it is phase φ = φ' at m
     * = m'. With s = 2 and p = 1, φ' = 0 is phase 1 at m = m' and φ' = 1 is phase 0 at m = m' + 1: with the
     * phases in reverse order along the channels (slot φ' holds phase 1 − φ'), one step of φ' moves one slot and
     * one row in memory, a stride of (row stride + slot stride) that no reshape or transpose can express. The
     * view has axes (n, m'_h, φ'_h, m'_w, φ'_w, o) and the copy makes it (n, H, W, o) in memory, returned as its
     * (n, o, H, W) view (channels-last, as the composed interleave). Backward, autograd adds the gradient back
     * into a zero array of the phases' shape through the same view: one fill and one copy, where the composed
     * form's crop, reshape and layout changes take a fill and three copies.
     */
    private static NDArray interleaveByView(StridedViews views, NDArray phases, int s, int p, long cOut, long hOut,
            long wOut, boolean channelsLast, NDArray skip) {
        long[] st = views.denseStrides(phases);
        if (st == null) {
            // the guard's channel padding leaves a slice of a wider output: one copy makes it dense
            // (autograd records a product with 1, not DJL's duplicate(), docs/known-issues.md)
            phases = Scalars.times(phases, 1);
            st = views.denseStrides(phases);
            if (st == null) {
                throw new IllegalStateException("a copy of the phases is not dense: " + phases.getShape());
            }
        }
        long n = phases.getShape().get(0);
        long rowShift = p > 0 ? st[2] : 0;
        long colShift = p > 0 ? st[3] : 0;
        NDArray view = views.view(phases, new long[] {n, hOut / s, s, wOut / s, s, cOut},
                new long[] {st[0], st[2], rowShift + s * cOut * st[1], st[3], colShift + cOut * st[1], st[1]});
        if (skip != null) {
            // the skip in the view's axis order (a view where it is channels-last) and both written as one
            // (n, m'_h, φ'_h, m'_w, φ'_w, o + c) array, which is (n, H, W, o + c) in memory
            long c = skip.getShape().get(1);
            NDArray skip6 = skip.transpose(0, 2, 3, 1).reshape(n, hOut / s, s, wOut / s, s, c);
            return view.concat(skip6, 5).reshape(n, hOut, wOut, cOut + c).transpose(0, 3, 1, 2);
        }
        if (!channelsLast) {
            // (n, o, m'_h, φ'_h, m'_w, φ'_w): the copy makes it (n, o, H, W) in memory
            return view.transpose(0, 5, 1, 2, 3, 4).reshape(n, cOut, hOut, wOut);
        }
        return view.reshape(n, hOut, wOut, cOut).transpose(0, 3, 1, 2);
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        if (in.dimension() != 4) {
            throw new IllegalArgumentException("expected input (N, C, H, W), got " + in);
        }
        inChannels = in.get(1);
        weight.setShape(new Shape(inChannels, filters, kernel, kernel));
        if (bias != null) {
            bias.setShape(new Shape(filters));
        }
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.head();
        NDArray w = ps.getValue(weight, x.getDevice(), training);
        NDArray b = bias == null ? null : ps.getValue(bias, x.getDevice(), training);
        return new NDList(convTranspose2d(x, w, b, stride, padding, outputPadding));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        long h = (in.get(2) - 1) * stride - 2L * padding + kernel + outputPadding;
        long w = (in.get(3) - 1) * stride - 2L * padding + kernel + outputPadding;
        return new Shape[] {new Shape(in.get(0), filters, h, w)};
    }

    @Override
    protected void saveMetadata(DataOutputStream os) throws IOException {
        saveInputShapes(os);
        os.writeLong(inChannels);
    }

    @Override
    public void loadMetadata(byte loadVersion, DataInputStream is) throws IOException, MalformedModelException {
        if (loadVersion != VERSION) {
            throw new MalformedModelException("Unsupported ConvTranspose2d version " + loadVersion);
        }
        readInputShapes(is);
        inChannels = is.readLong();
    }

    /** Builder for {@link ConvTranspose2d}: {@code setFilters} and {@code setKernelSize} are required. */
    public static final class Builder {
        private int filters = -1;
        private int kernel = -1;
        private int stride = 1;
        private int padding;
        private int outputPadding;
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
         * @param p padding (default 0)
         * @return this
         */
        public Builder optPadding(int p) {
            this.padding = p;
            return this;
        }

        /**
         * @param q output padding (default 0), less than the stride
         * @return this
         */
        public Builder optOutputPadding(int q) {
            this.outputPadding = q;
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
         * @return the block
         * @throws IllegalArgumentException when a value is missing or out of range
         */
        public ConvTranspose2d build() {
            if (filters < 1) {
                throw new IllegalArgumentException("filters must be set and >= 1, got " + filters);
            }
            if (kernel < 1) {
                throw new IllegalArgumentException("kernel size must be set and >= 1, got " + kernel);
            }
            if (stride < 1) {
                throw new IllegalArgumentException("stride must be >= 1, got " + stride);
            }
            if (padding < 0 || padding > kernel - 1) {
                throw new IllegalArgumentException("padding must be in [0, " + (kernel - 1) + "], got " + padding);
            }
            if (outputPadding < 0 || outputPadding >= stride) {
                throw new IllegalArgumentException(
                        "output padding must be in [0, " + (stride - 1) + "], got " + outputPadding);
            }
            return new ConvTranspose2d(this);
        }
    }
}
