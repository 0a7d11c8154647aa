package io.gen4j.autoregressive;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.gen4j.autoregressive.AutoregressiveMasks.MaskType;
import io.gen4j.autoregressive.PixelCnnConfig.Architecture;
import io.gen4j.core.kernels.InPlaceOps;
import io.gen4j.core.kernels.Kernels;
import io.gen4j.core.math.Scalars;
import io.gen4j.core.nn.Conv2d;
import io.gen4j.core.nn.LabelEmbedding;
import java.util.ArrayList;
import java.util.List;

/**
 * PixelCNN for one-channel images: p(x) = Π_i p(x_i | x_&lt;i) over pixels in raster order, every
 * conditional from one pass of masked convolutions ({@link MaskedConv2d}, masks of {@link
 * AutoregressiveMasks}).
 *
 * <ul>
 *   <li>{@link Architecture#MASKED}: a k₀×k₀ mask-A convolution, then {@code layers} residual
 *       ReLU + k×k mask-B convolutions (van den Oord et al. 2016a). Stacking raster masks leaves a
 *       blind spot: pixels to the upper right that no layer ever reaches.
 *   <li>{@link Architecture#GATED}: a vertical stack v (all taps in the rows up to the current one)
 *       and a horizontal stack h (the current row up to the current pixel), joined by a 1×1
 *       convolution of v shifted down one row; each layer computes y = tanh(W_f∗x + V_f c) ⊙
 *       σ(W_g∗x + V_g c) in both stacks, h with a residual connection (van den Oord et al. 2016b).
 *       Together the stacks see every pixel above and to the left: no blind spot.
 * </ul>
 *
 * <p>Class conditioning adds a learned embedding of the label (2·hidden numbers per layer, c above)
 * to every layer's pre-activations. A head (ReLU, 1×1, ReLU, 1×1) gives the {@link PixelOutput}'s
 * parameters. The input is the image mapped to [−1, 1].
 */
public final class PixelCnn extends AbstractBlock {

    private static final byte VERSION = 1;

    private final PixelCnnConfig config;
    private final List<MaskedConv2d> vertical = new ArrayList<>();
    private final List<MaskedConv2d> horizontal = new ArrayList<>();
    private final List<MaskedConv2d> verticalToHorizontal = new ArrayList<>();
    private final List<MaskedConv2d> horizontalOut = new ArrayList<>();
    private final List<LabelEmbedding> embeddings = new ArrayList<>();
    private final MaskedConv2d head1;
    private final MaskedConv2d head2;

    /**
     * @param config the hyperparameters
     */
    public PixelCnn(PixelCnnConfig config) {
        super(VERSION);
        this.config = config;
        int h = config.hidden();
        boolean gated = config.architecture() == Architecture.GATED;
        int width = gated ? 2 * h : h;
        for (int l = 0; l <= config.layers(); l++) {
            int k = l == 0 ? config.firstKernel() : config.kernel();
            int in = l == 0 ? 1 : h;
            MaskType type = l == 0 ? MaskType.A : MaskType.B;
            if (gated) {
                vertical.add(addChildBlock("vertical" + l, new MaskedConv2d(in, width, k,
                        AutoregressiveMasks.verticalStack(k, k))));
                horizontal.add(addChildBlock("horizontal" + l, new MaskedConv2d(in, width, k,
                        AutoregressiveMasks.horizontalStack(k, k, type))));
                verticalToHorizontal.add(addChildBlock("vToH" + l, new MaskedConv2d(width, width, 1, null)));
                horizontalOut.add(addChildBlock("hOut" + l, new MaskedConv2d(h, h, 1, null)));
            } else {
                horizontal.add(addChildBlock("conv" + l, new MaskedConv2d(in, width, k,
                        AutoregressiveMasks.raster2d(k, k, type))));
            }
            if (config.classes() > 0) {
                embeddings.add(addChildBlock("label" + l, new LabelEmbedding(config.classes(), width, false)));
            }
        }
        head1 = addChildBlock("head1", new MaskedConv2d(h, h, 1, null));
        head2 = addChildBlock("head2", new MaskedConv2d(h, config.output().channels(config.mixtures()), 1, null));
    }

    /** @return the hyperparameters */
    public PixelCnnConfig config() {
        return config;
    }

    /**
     * The parameters of every pixel's conditional.
     *
     * @param ps the parameter store
     * @param x images (N, 1, H', W) in [0, 1] (H' may be a band of rows, see {@link
     *     PixelCnnModel#sample})
     * @param labels (N) int labels, or null for an unconditional model
     * @param training whether in training
     * @return (N, P, H', W)
     */
    public NDArray conditionals(ParameterStore ps, NDArray x, NDArray labels, boolean training) {
        if (x.getShape().dimension() != 4 || x.getShape().get(1) != 1) {
            throw new IllegalArgumentException("x must have shape (N, 1, H, W), got " + x.getShape());
        }
        if ((labels != null) != (config.classes() > 0)) {
            throw new IllegalArgumentException(config.classes() > 0 ? "this PixelCNN is class-conditional: pass labels"
                    : "this PixelCNN is unconditional: labels must be null");
        }
        NDArray input = Scalars.times(x, 2).sub(1);
        NDArray out = config.architecture() == Architecture.GATED ? gated(ps, input, labels, training)
                : masked(ps, input, labels, training);
        NDArray y = head1.apply(ps, out.getNDArrayInternal().relu(), training).getNDArrayInternal().relu();
        return head2.apply(ps, y, training);
    }

    private NDArray condition(ParameterStore ps, int layer, NDArray labels, boolean training) {
        if (labels == null) {
            return null;
        }
        NDArray e = embeddings.get(layer).forward(ps, new NDList(labels), training).head();
        return e.reshape(e.getShape().get(0), e.getShape().get(1), 1, 1);
    }

    private NDArray masked(ParameterStore ps, NDArray x, NDArray labels, boolean training) {
        NDArray h = null;
        for (int l = 0; l <= config.layers(); l++) {
            NDArray in = l == 0 ? x : h.getNDArrayInternal().relu();
            NDArray y = horizontal.get(l).apply(ps, in, training);
            NDArray c = condition(ps, l, labels, training);
            if (c != null) {
                y = y.add(c);
            }
            h = l == 0 ? y : h.add(y);
        }
        return h;
    }

    private NDArray gated(ParameterStore ps, NDArray x, NDArray labels, boolean training) {
        NDArray v = x;
        NDArray h = x;
        for (int l = 0; l <= config.layers(); l++) {
            NDArray c = condition(ps, l, labels, training);
            NDArray vPre = vertical.get(l).apply(ps, v, training);
            // v at row i knows rows <= i: shifted down one row it knows rows < i, safe for h at row i
            NDArray hPre = horizontal.get(l).apply(ps, h, training)
                    .add(verticalToHorizontal.get(l).apply(ps, shiftDown(vPre), training));
            if (c != null) {
                vPre = vPre.add(c);
                hPre = hPre.add(c);
            }
            v = gate(vPre);
            NDArray hOut = horizontalOut.get(l).apply(ps, gate(hPre), training);
            h = l == 0 ? hOut : h.add(hOut);
        }
        return h;
    }

    /**
     * A sampler's view of the gated architecture that computes each row's conditionals from that row alone
     * ({@link PixelCnnSampler#ROW_CACHED}), with the parameters frozen ({@link MaskedConv2d#freeze}).
     *
     * @param ps the parameter store
     * @param scope the manager of the frozen kernels (and their device); close it after sampling
     * @return the row sampler
     * @throws IllegalStateException when the architecture is not {@link Architecture#GATED}
     */
    public RowSampler rowSampler(ParameterStore ps, NDManager scope) {
        if (config.architecture() != Architecture.GATED) {
            throw new IllegalStateException("only the gated PixelCNN has a vertical stack to cache");
        }
        return new RowSampler(ps, scope);
    }

    /**
     * Row i of the gated architecture from the rows above it, computed once, and row i itself. The horizontal stack
     * at row i gets from the vertical stack only {@code W_vh ∗ shiftDown(v_pre)} there, i.e. the 1×1 convolution of
     * the vertical pre-activations at row i − 1, and the vertical stack at row i − 1 sees rows up to i − 1 only. So
     * that term is fixed while row i is sampled ({@link #context}), and each of row i's pixels runs only the
     * horizontal stack, which sees its own row alone, and the head on that one row ({@link #conditionals}), instead
     * of the whole network on the band of rows (Gated PixelCNN, van den Oord et al. 2016b: the vertical stack is
     * what makes this split possible). The sums are those of {@link #conditionals(ParameterStore, NDArray, NDArray,
     * boolean)}, on fewer rows, with the masked kernels made once; the horizontal stack's and the head's
     * convolutions of the one row are matrix products ({@link MaskedConv2d#rowLinear}), which round differently
     * from the convolutions (the conditionals agree to about 1e-7 relative in float32).
     */
    public final class RowSampler {

        private final ParameterStore ps;
        private final NDManager scope;
        private PixelForm pixelForm;
        private final List<MaskedConv2d.Frozen> v = new ArrayList<>();
        private final List<MaskedConv2d.Frozen> vh = new ArrayList<>();
        private final List<MaskedConv2d.RowLinear> h = new ArrayList<>();
        private final List<MaskedConv2d.RowLinear> hOut = new ArrayList<>();
        private final MaskedConv2d.RowLinear out1;
        private final MaskedConv2d.RowLinear out2;

        private RowSampler(ParameterStore ps, NDManager scope) {
            this.ps = ps;
            this.scope = scope;
            for (int l = 0; l < vertical.size(); l++) {
                v.add(vertical.get(l).freeze(ps, scope));
                vh.add(verticalToHorizontal.get(l).freeze(ps, scope));
                h.add(horizontal.get(l).rowLinear(ps, scope));
                hOut.add(horizontalOut.get(l).rowLinear(ps, scope));
            }
            out1 = head1.rowLinear(ps, scope);
            out2 = head2.rowLinear(ps, scope);
        }

        /**
         * What row i takes from the rows above it: per layer, {@code W_vh ∗ shiftDown(v_pre)} at row i.
         *
         * @param above images (N, 1, R, W) in [0, 1]: the R ≥ 1 rows above row i, the last of them row i − 1, at
         *     least {@link PixelCnnConfig#rowsAbove()} of them unless they start at the image's first row; or null
         *     for row 0 (nothing above)
         * @param n the batch size (used when {@code above} is null)
         * @param labels (N) int labels, or null for an unconditional model
         * @param scope the manager of the result when {@code above} is null (otherwise that of {@code above})
         * @return per layer, (N, W, 2·hidden): row i channels-last, the layout {@link #conditionals} works in
         */
        public NDList context(NDArray above, int n, NDArray labels, NDManager scope) {
            checkLabels(labels);
            NDList context = new NDList(v.size());
            if (above == null) {
                // shiftDown puts zeros in row 0: the 1×1 convolution of zeros (its bias, through the same operator)
                NDArray zeros = scope.zeros(new Shape(n, 2L * config.hidden(), 1, config.width()),
                        vh.get(0).weight().getDataType());
                for (int l = 0; l < vh.size(); l++) {
                    context.add(channelsLast(verticalToHorizontal.get(l).apply(vh.get(l), zeros)));
                }
                return context;
            }
            long rows = above.getShape().get(2);
            NDArray in = Scalars.times(above, 2).sub(1);
            for (int l = 0; l < v.size(); l++) {
                NDArray vPre = vertical.get(l).apply(v.get(l), in);
                NDArray last = vPre.get(new NDIndex(":, :, {}:{}, :", rows - 1, rows));
                context.add(channelsLast(verticalToHorizontal.get(l).apply(vh.get(l), last)));
                if (l + 1 < v.size()) {
                    NDArray c = condition(ps, l, labels, false);
                    in = gate(c == null ? vPre : vPre.add(c));
                }
            }
            return context;
        }

        /**
         * Row i's conditionals from that row alone and its {@link #context}: the horizontal stack and the head as
         * matrix products on the row stored channels-last ({@link MaskedConv2d#rowLinear}).
         *
         * @param row row i of the images, (N, 1, 1, W) in [0, 1] (pixels not drawn yet are kept out by the masks)
         * @param context {@link #context} of the rows above row i
         * @param labels (N) int labels, or null for an unconditional model
         * @return (N, P, 1, W)
         */
        public NDArray conditionals(NDArray row, NDList context, NDArray labels) {
            Shape rs = row.getShape();
            if (rs.dimension() != 4 || rs.get(1) != 1 || rs.get(2) != 1) {
                throw new IllegalArgumentException("row must have shape (N, 1, 1, W), got " + rs);
            }
            if (context.size() != h.size()) {
                throw new IllegalArgumentException("context must have one array per layer (" + h.size() + "), got "
                        + context.size());
            }
            checkLabels(labels);
            // (N, 1, 1, W) -> (N, W, 1): a view
            NDArray x = Scalars.times(row, 2).sub(1).reshape(rs.get(0), 1, rs.get(3)).transpose(0, 2, 1);
            for (int l = 0; l < h.size(); l++) {
                NDArray c = condition(ps, l, labels, false);
                NDArray hPre = MaskedConv2d.applyRow(h.get(l), x).add(context.get(l));
                if (c != null) {
                    hPre = hPre.add(c.reshape(c.getShape().get(0), 1, c.getShape().get(1)));
                }
                NDArray y = MaskedConv2d.applyRow(hOut.get(l), gate(hPre, 2));
                x = l == 0 ? y : x.add(y);
            }
            NDArray y = MaskedConv2d.applyRow(out1, x.getNDArrayInternal().relu()).getNDArrayInternal().relu();
            // (N, W, P) -> (N, P, 1, W): a view
            return MaskedConv2d.applyRow(out2, y).transpose(0, 2, 1).expandDims(2);
        }

        /**
         * The rows' contexts from the top of the image down, each computed from the row just above it: the vertical
         * stack at row i − 1 reads its input at rows i − 1 − p … i − 1 only (its kernel's rows above and centre), so
         * each layer's input rows are kept from the rows before, and a row costs the vertical stack on one row instead
         * of on the band of {@link PixelCnnConfig#rowsAbove()} rows ({@link #context}). The same sums as {@link
         * #context}, convolved on fewer rows.
         *
         * @param n the batch size
         * @param labels (N) int labels, or null for an unconditional model
         * @param state the manager of the kept rows; close it after the image
         * @return the stepper, at row 0
         */
        public VerticalSteps vertical(int n, NDArray labels, NDManager state) {
            checkLabels(labels);
            return new VerticalSteps(n, labels, state);
        }

        /** {@link #vertical}'s state: per layer, its input at the rows above the next one. */
        public final class VerticalSteps {
            private final int n;
            private final NDArray labels;
            private final NDManager state;
            /** [layer][k]: the layer's input at rows i − 1 − p … i − 2, oldest first; zeros above the image. */
            private final NDArray[][] kept;
            private int row;

            private VerticalSteps(int n, NDArray labels, NDManager state) {
                this.n = n;
                this.labels = labels;
                this.state = state;
                kept = new NDArray[v.size()][];
                for (int l = 0; l < v.size(); l++) {
                    MaskedConv2d.Frozen f = v.get(l);
                    Shape ws = f.weight().getShape();
                    int above = (int) f.pad().get(0);
                    if (f.padInput() || ws.get(2) - 1 != above) {
                        throw new IllegalStateException("the vertical stack's kernel must end at the centre row");
                    }
                    kept[l] = new NDArray[above];
                    for (int k = 0; k < above; k++) {
                        kept[l][k] = state.zeros(new Shape(n, ws.get(1), 1, config.width()), f.weight().getDataType());
                    }
                }
            }

            /** @return the row whose context {@link #next} gives */
            public int row() {
                return row;
            }

            /**
             * The context of row {@link #row()}, and the stepper moves to the row below.
             *
             * @param previous row i − 1 of the images, (N, 1, 1, W) in [0, 1]; null for row 0
             * @param rowScope the manager of the result (and of the step's scratch arrays)
             * @return per layer, (N, W, 2·hidden), as {@link #context}
             */
            public NDList next(NDArray previous, NDManager rowScope) {
                if (row == 0) {
                    if (previous != null) {
                        throw new IllegalArgumentException("row 0 has no row above it: previous must be null");
                    }
                    row++;
                    return context(null, n, labels, rowScope);
                }
                if (row >= config.height()) {
                    throw new IllegalStateException("the image's " + config.height() + " rows are done");
                }
                Shape ps0 = previous == null ? null : previous.getShape();
                if (ps0 == null || ps0.dimension() != 4 || ps0.get(0) != n || ps0.get(1) != 1 || ps0.get(2) != 1
                        || ps0.get(3) != config.width()) {
                    throw new IllegalArgumentException("previous must have shape (" + n + ", 1, 1, " + config.width()
                            + "), got " + ps0);
                }
                NDList context = new NDList(v.size());
                NDArray in = Scalars.times(previous, 2).sub(1);
                in.attach(rowScope);
                Shape one = new Shape(1, 1);
                for (int l = 0; l < v.size(); l++) {
                    MaskedConv2d.Frozen f = v.get(l);
                    NDArray[] rows = kept[l];
                    NDArray band = in;
                    if (rows.length > 0) {
                        NDList parts = new NDList(rows.length + 1);
                        parts.addAll(new NDList(rows));
                        parts.add(in);
                        band = NDArrays.concat(parts, 2);
                        band.attach(rowScope);
                    }
                    // the kernel's rows cover the band exactly: one output row, the columns padded as in context()
                    NDArray vPre = Conv2d.conv2d(band, f.weight(), f.bias(), one, new Shape(0, f.pad().get(1)), one);
                    if (vPre.getShape().get(3) != config.width()) {
                        vPre = vPre.get(new NDIndex(":, :, :, 0:{}", config.width()));
                    }
                    context.add(channelsLast(verticalToHorizontal.get(l).apply(vh.get(l), vPre)));
                    if (rows.length > 0) {
                        rows[0].close();
                        System.arraycopy(rows, 1, rows, 0, rows.length - 1);
                        in.attach(state);
                        rows[rows.length - 1] = in;
                    }
                    if (l + 1 < v.size()) {
                        NDArray c = condition(ps, l, labels, false);
                        in = gate(c == null ? vPre : vPre.add(c));
                    }
                }
                row++;
                return context;
            }
        }

        /**
         * Row i's pixels one at a time, each from the pixels to its left through cached activations ({@link
         * PixelCnnSampler#PIXEL_CACHED}): call {@link PixelSteps#conditionals} for the next pixel, draw it, pass the draw
         * to {@link PixelSteps#drawn}, and so on across the row.
         *
         * @param context {@link #context} of the rows above row i
         * @param labels (N) int labels, or null for an unconditional model
         * @param rowScope the manager of the row's scratch arrays; close it after the row
         * @return the row's stepper, at pixel 0. It writes its activations into buffers this row sampler keeps for
         *     every row (made again when the batch size changes), so one row is stepped at a time: the steps of an
         *     earlier row refuse to go on once these are made
         */
        public PixelSteps pixels(NDList context, NDArray labels, NDManager rowScope) {
            if (context.size() != h.size()) {
                throw new IllegalArgumentException("context must have one array per layer (" + h.size() + "), got "
                        + context.size());
            }
            checkLabels(labels);
            if (pixelForm == null) {
                pixelForm = new PixelForm();
            }
            long n = context.head().getShape().get(0);
            if (pixelForm.buffers == null || pixelForm.buffers.n != n) {
                if (pixelForm.buffers != null) {
                    pixelForm.buffers.close();
                }
                pixelForm.buffers = new PixelBuffers(pixelForm, n, pixelForm.taps[0].getDataType());
            }
            return new PixelSteps(pixelForm, pixelForm.buffers, context, labels, rowScope);
        }

        /**
         * The horizontal stack and the head rearranged for one pixel at a time, made once per row sampler from the
         * frozen row forms.
         * <ul>
         *   <li>Constant parts. A layer's input is written u = ũ + a with a a constant vector: for the first layer
         *       u = 2x − 1 with ũ = x (the drawn pixels, no operation) and the kernel doubled; for layer l the residual
         *       stream h_{l−1} = h̃_{l−1} + C_{l−1}. The constants are chosen so that no layer adds a bias: C_last = 0
         *       (the head reads h̃ itself), C_{l−1} = C_l − b_out,l, and the first layer's output convolution carries
         *       b_out,0 − C_0 = Σ_l b_out,l. The constant part of a layer's pre-activation, b_l + Σ_t W_t a over the
         *       taps that fall inside the row, depends on the pixel's column only through which taps do: one (W, C_out)
         *       table per layer ({@link #offsets}), added to the row's context once per row.
         *   <li>The gate. tanh(f)·σ(g) = (2σ(2f) − 1)·σ(g) = 2·s_f·s_g − s_g with s = σ of the pre-activation whose f
         *       half is doubled (the f rows of the kernels, the offsets and the context scaled by 2): one σ, s_f·s_g
         *       written over s_f in place, and the output convolution as [2·W_out, −W_out] on [s_f·s_g, s_g].
         * </ul>
         * So a pixel's layer is one product of its taps' ũ with the context as the product's addend, one σ, one
         * in-place product and one product with h̃_{l−1} as its addend, each written into {@link PixelBuffers}.
         */
        private final class PixelForm {
            /**
             * [layer]: the transposed matrix of the taps that may be read, (end·C_in, C_out), tap-major rows; the first
             * layer's doubled.
             */
            final NDArray[] taps;
            /** [layer]: the taps that may be read: the first layer's stop before the pixel itself (mask A). */
            final int[] end;
            /** [layer]: the columns before the pixel the first tap reads. */
            final int[] pad;
            /** Every layer's constant term per column, side by side, (W, L·C_out), the f halves doubled. */
            final NDArray offsets;
            /** (L·C_out): 2 on every layer's f half, 1 on its g half. */
            final NDArray contextScale;
            /** [layer]: [2·W_out, −W_out] transposed, (C_out, C). */
            final NDArray[] outWeights;
            /** The head's first 1×1 kernel transposed, (C, C). */
            final NDArray head1Weight;
            /** [layer]: C_in. */
            final long[] channels;
            /** The buffers of the last {@link PixelSteps}, reused while the batch size stays. */
            private PixelBuffers buffers;
            /** The first layer's output bias, Σ_l b_out,l. */
            final NDArray firstBias;
            final MaskedConv2d.RowLinear head1 = out1;
            final MaskedConv2d.RowLinear head2 = out2;

            PixelForm() {
                int layers = h.size();
                int width = config.width();
                taps = new NDArray[layers];
                channels = new long[layers];
                end = new int[layers];
                pad = new int[layers];
                outWeights = new NDArray[layers];
                long gated = 2L * config.hidden();
                float[] doubled = new float[(int) gated];
                java.util.Arrays.fill(doubled, 0, config.hidden(), 2f);
                java.util.Arrays.fill(doubled, config.hidden(), (int) gated, 1f);
                DataType type = h.get(0).weight().getDataType();
                NDArray scale = own(scope.create(doubled).toType(type, false));
                // C_l, from the last layer's 0 down; a 1x1 kernel's frozen bias is the parameter itself, so the sums
                // start in the scope
                NDArray[] constant = new NDArray[layers];
                constant[layers - 1] = own(scope.zeros(new Shape(config.hidden()), type));
                for (int l = layers - 1; l > 0; l--) {
                    constant[l - 1] = own(constant[l].sub(hOut.get(l).bias()));
                }
                firstBias = own(hOut.get(0).bias().sub(constant[0]));
                NDList tables = new NDList(layers);
                for (int l = 0; l < layers; l++) {
                    MaskedConv2d.RowLinear form = h.get(l);
                    Shape ws = form.weight().getShape();
                    int kernelTaps = form.taps();
                    pad[l] = form.leftPad();
                    long out = ws.get(0);
                    long in = ws.get(1) / kernelTaps;
                    // tap t reads column j − pad + t; the first layer's taps at or right of the pixel are masked (A)
                    end[l] = l == 0 ? Math.min(kernelTaps, pad[l]) : kernelTaps;
                    NDArray kernel = form.weight().mul(scale.reshape(out, 1));
                    if (l == 0) {
                        kernel = Scalars.times(kernel, 2);
                    }
                    channels[l] = in;
                    this.taps[l] = own(kernel.get(new NDIndex(":, 0:{}", end[l] * in)).transpose());
                    NDArray a = l == 0 ? scope.full(new Shape(in, 1), -1f, type) : constant[l - 1].reshape(in, 1);
                    // (C_out, K, C_in) · a -> W_t a per tap, (C_out, K)
                    NDArray perTap = form.weight().reshape(out, kernelTaps, in).matMul(a).reshape(out, kernelTaps);
                    float[] inside = new float[width * kernelTaps];
                    for (int j = 0; j < width; j++) {
                        for (int t = 0; t < end[l]; t++) {
                            inside[j * kernelTaps + t] = j - pad[l] + t >= 0 ? 1f : 0f;
                        }
                    }
                    NDArray mask = scope.create(inside, new Shape(width, kernelTaps)).toType(type, false);
                    tables.add(mask.matMul(perTap.transpose()).add(form.bias()).mul(scale));
                    NDArray w = hOut.get(l).weight();
                    outWeights[l] = own(NDArrays.concat(new NDList(Scalars.times(w, 2), w.neg()), 1).transpose());
                }
                head1Weight = own(out1.weight().transpose());
                offsets = own(NDArrays.concat(tables, 1));
                NDList scales = new NDList(layers);
                for (int l = 0; l < layers; l++) {
                    scales.add(scale);
                }
                contextScale = own(NDArrays.concat(scales, 0));
            }

            /** An array made here, moved into the row sampler's manager. */
            private NDArray own(NDArray a) {
                a.attach(scope);
                return a;
            }
        }

        /**
         * The arrays {@link PixelSteps} writes its activations into, made once per batch size and reused row after
         * row (a row's steps overwrite what the row before left), with a view per column made once: so a pixel makes
         * no new array but its conditionals. Each horizontal layer's input along the row is one (N, (pad + W)·C_in)
         * array whose first pad columns stay zero (the convolution's padding; the constant part of the input inside
         * the row is in the offset tables): a pixel's taps are one view of it, and the layer below writes its output
         * for the pixel's column straight into it.
         */
        private final class PixelBuffers {
            final long n;
            /** (W, N, L·2C): the row's context, offsets and label terms, copied in once per row. */
            final NDArray context;
            /** [column][layer]: (N, 2C) views of {@link #context}. */
            final NDArray[][] contexts;
            /** [layer][column]: the taps layer l reads for the pixel at that column, (N, end·C_in) views. */
            final NDArray[][] taps;
            /** [layer][column]: layer l's input at that column, (N, C_in) views ((N) for the first layer). */
            final NDArray[][] slots;
            /** The first layer's input: the row's drawn pixels behind pad zeros, (N, pad + W). */
            final NDArray drawn;
            /** A layer's pre-activation, then its gates: (N, 2C), and its two halves. */
            final NDArray pre;
            final NDArray preF;
            final NDArray preG;
            /** The last layer's output h̃, then the head's hidden activations: (N, C) each. */
            final NDArray last;
            final NDArray hidden;
            /** The steps that use these buffers now; earlier ones of this row sampler are done. */
            PixelSteps owner;
            private final List<NDArray> arrays = new ArrayList<>();

            PixelBuffers(PixelForm form, long n, DataType type) {
                this.n = n;
                int layers = form.taps.length;
                int width = config.width();
                long gated = 2L * config.hidden();
                context = own(scope.zeros(new Shape(width, n, layers * gated), type));
                contexts = new NDArray[width][layers];
                for (int j = 0; j < width; j++) {
                    for (int l = 0; l < layers; l++) {
                        contexts[j][l] = own(context.get(new NDIndex().addIndices(j).addAllDim()
                                .addSliceDim(l * gated, (l + 1) * gated)));
                    }
                }
                taps = new NDArray[layers][width];
                slots = new NDArray[layers][width];
                NDArray first = null;
                for (int l = 0; l < layers; l++) {
                    long c = form.channels[l];
                    long pad = form.pad[l];
                    NDArray input = own(scope.zeros(new Shape(n, (pad + width) * c), type));
                    for (int j = 0; j < width; j++) {
                        taps[l][j] = own(input.get(new NDIndex().addAllDim().addSliceDim(j * c, (j + form.end[l]) * c)));
                        slots[l][j] = own(l == 0 && c == 1 ? input.get(new NDIndex().addAllDim().addIndices(pad + j))
                                : input.get(new NDIndex().addAllDim().addSliceDim((pad + j) * c, (pad + j + 1) * c)));
                    }
                    if (l == 0) {
                        first = input;
                    }
                }
                drawn = first;
                pre = own(scope.zeros(new Shape(n, gated), type));
                NDList halves = pre.split(2, 1);
                preF = own(halves.get(0));
                preG = own(halves.get(1));
                last = own(scope.zeros(new Shape(n, config.hidden()), type));
                hidden = own(scope.zeros(new Shape(n, config.hidden()), type));
            }

            /** An array made here, moved into the row sampler's manager and closed with these buffers. */
            private NDArray own(NDArray a) {
                a.attach(scope);
                arrays.add(a);
                return a;
            }

            /** Closes the buffers (the views first); for a new batch size. */
            void close() {
                for (int i = arrays.size() - 1; i >= 0; i--) {
                    arrays.get(i).close();
                }
                arrays.clear();
            }
        }

        /** (N, C, 1, W) -> (N, W, C), a view. */
        private NDArray channelsLast(NDArray a) {
            Shape s = a.getShape();
            return a.reshape(s.get(0), s.get(1), s.get(3)).transpose(0, 2, 1);
        }
    }

    /**
     * One row of the {@link PixelCnnSampler#PIXEL_CACHED} sampler (fast generation, Ramachandran et al. 2017, as Fast
     * WaveNet is for WaveNet): the horizontal stack at column j reads only its input at columns j − pad … j of the
     * same row, so each layer's output at every column is computed once, when that column's pixel is next, and kept
     * for the columns after it. A pixel costs one product per layer on N vectors instead of the layer on the whole row.
     * The sums are those of {@link RowSampler#conditionals} grouped differently and the gate written with σ alone
     * (the conditionals agree to about 1e-6 relative in float32).
     *
     * <p>Every activation is written into arrays made once per sample, through the engine's {@link InPlaceOps}
     * ({@code addmm} into a view, σ, ReLU and the product in place): a pixel makes one new array, its conditionals,
     * and issues 4 operations per layer plus 4 for the head. With gen-pytorch these are libtorch's {@code addmm.out},
     * {@code sigmoid_}, {@code relu_} and {@code mul_}, which return nothing to wrap; without it the composed forms
     * compute the same values with about twice the operations.
     */
    public final class PixelSteps {

        private final RowSampler.PixelForm form;
        private final RowSampler.PixelBuffers buffers;
        private final InPlaceOps ops;
        private final int layers;
        private final long n;
        private int position;
        private boolean computed;

        private PixelSteps(RowSampler.PixelForm form, RowSampler.PixelBuffers buffers, NDList rowContext,
                NDArray labels, NDManager row) {
            this.form = form;
            this.buffers = buffers;
            layers = form.taps.length;
            n = buffers.n;
            ParameterStore local = new ParameterStore(row, false);
            NDList all = new NDList(layers);
            for (int l = 0; l < layers; l++) {
                NDArray c = rowContext.get(l);
                if (labels != null) {
                    NDArray e = embeddings.get(l).forward(local, new NDList(labels), false).head();
                    c = c.add(e.reshape(e.getShape().get(0), 1, e.getShape().get(1)));
                }
                all.add(c);
            }
            try (NDManager scratch = row.newSubManager()) {
                NDArray c = NDArrays.concat(all, 2);
                c.attach(scratch);
                NDArray context = c.mul(form.contextScale).add(form.offsets).transpose(1, 0, 2);
                context.attach(scratch);
                ops = Kernels.forArray(context).inPlace();
                ops.copy(buffers.context, context.stopGradient());
            }
            buffers.owner = this;
        }

        /** @return the column whose conditionals {@link #conditionals} gives next */
        public int position() {
            return position;
        }

        /**
         * The conditionals of the pixel at {@link #position()}, from the pixels drawn to its left.
         *
         * @param scope the manager of the result
         * @return (N, P): the output's parameters for this pixel
         * @throws IllegalStateException when the row is complete, or a later {@link RowSampler#pixels} of the same row
         *     sampler has taken the buffers these steps write into
         */
        public NDArray conditionals(NDManager scope) {
            int j = position;
            if (j >= config.width()) {
                throw new IllegalStateException("the row's " + config.width() + " pixels are drawn");
            }
            checkOwner();
            RowSampler.PixelBuffers b = buffers;
            NDArray[] contexts = b.contexts[j];
            for (int l = 0; l < layers; l++) {
                // pre = context + taps·W (the taps outside the row are the input's zero padding)
                if (form.end[l] > 0) {
                    ops.addmm(b.pre, contexts[l], b.taps[l][j], form.taps[l]);
                } else {
                    ops.copy(b.pre, contexts[l]);
                }
                // σ of [2f, g], then s_f·s_g over s_f: the gate's output convolution is [2·W_out, −W_out]
                ops.sigmoid(b.pre);
                ops.mul(b.preF, b.preG);
                // h̃_l = h̃_{l−1} + [s_f·s_g, s_g]·W, written where layer l + 1 reads it
                NDArray out = l + 1 < layers ? b.slots[l + 1][j] : b.last;
                ops.addmm(out, l == 0 ? form.firstBias : b.slots[l][j], b.pre, form.outWeights[l]);
            }
            computed = true;
            ops.relu(b.last);
            ops.addmm(b.hidden, form.head1.bias(), b.last, form.head1Weight);
            ops.relu(b.hidden);
            NDArray params = MaskedConv2d.applyRow(form.head2, b.hidden);
            params.attach(scope);
            return params;
        }

        /**
         * Records the pixel at {@link #position()} and moves to the next one.
         *
         * @param value (N) the drawn pixel in [0, 1]; copied (the caller keeps it)
         * @throws IllegalStateException when {@link #conditionals} has not been asked for this pixel
         */
        public void drawn(NDArray value) {
            if (!computed) {
                throw new IllegalStateException("conditionals of pixel " + position + " first");
            }
            Shape s = value.getShape();
            if (s.dimension() != 1 || s.get(0) != n) {
                throw new IllegalArgumentException("value must have shape (" + n + "), got " + s);
            }
            checkOwner();
            ops.copy(buffers.slots[0][position], value);
            computed = false;
            position++;
        }

        /**
         * @param scope the manager of the result
         * @return the drawn row, (N, 1, 1, W), once all its pixels are drawn: what {@link RowSampler.VerticalSteps#next}
         *     takes for the row below, and what the sampler writes into the image
         * @throws IllegalStateException before the row is complete
         */
        public NDArray row(NDManager scope) {
            if (position < config.width()) {
                throw new IllegalStateException("pixel " + position + " of " + config.width() + " is next");
            }
            checkOwner();
            long pad = form.pad[0];
            try (NDManager scratch = scope.newSubManager()) {
                NDArray view = buffers.drawn.get(new NDIndex().addAllDim().addSliceDim(pad, pad + config.width()));
                view.attach(scratch);
                NDArray copy = view.duplicate(); // the buffer is the next row's
                copy.attach(scratch);
                NDArray r = copy.reshape(n, 1, 1, config.width());
                r.attach(scope);
                return r;
            }
        }

        private void checkOwner() {
            if (buffers.owner != this) {
                throw new IllegalStateException("a later pixels() of this row sampler has taken over its buffers");
            }
        }
    }

    private void checkLabels(NDArray labels) {
        if ((labels != null) != (config.classes() > 0)) {
            throw new IllegalArgumentException(config.classes() > 0 ? "this PixelCNN is class-conditional: pass labels"
                    : "this PixelCNN is unconditional: labels must be null");
        }
    }

    /**
     * tanh(a) ⊙ σ(b) of the two halves of the channels. One split rather than two slices: the
     * gradient of a split is one concatenation, that of each slice a zero-filled array of the whole
     * input plus a copy, and the two are then added (docs/performance.md, session 8).
     */
    private static NDArray gate(NDArray pre) {
        return gate(pre, 1);
    }

    /** {@link #gate(NDArray)} over the halves of the given axis (the channels of a channels-last row: 2). */
    private static NDArray gate(NDArray pre, int axis) {
        NDList halves = pre.split(2, axis);
        return halves.get(0).tanh().mul(halves.get(1).getNDArrayInternal().sigmoid());
    }

    /**
     * x shifted down one row, zeros in row 0: a row of zeros above the first H − 1 rows, split off as
     * a view. Padding and then indexing (":, :, 0:H, :") gives the same array but costs, backward, a
     * zero-filled array of the padded size and a copy per index part (docs/performance.md, session 8).
     */
    private static NDArray shiftDown(NDArray x) {
        Shape s = x.getShape();
        long rows = s.get(2);
        if (rows == 1) {
            return x.zerosLike();
        }
        NDArray above = x.split(new long[] {rows - 1}, 2).get(0);
        return x.getManager().zeros(new Shape(s.get(0), s.get(1), 1, s.get(3)), x.getDataType()).concat(above, 2);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return new NDList(conditionals(ps, inputs.head(), inputs.size() > 1 ? inputs.get(1) : null, training));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (Block child : getChildren().values()) {
            child.initialize(manager, dataType, new Shape(1, 1, 1, 1));
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), config.output().channels(config.mixtures()), in.get(2), in.get(3))};
    }
}
