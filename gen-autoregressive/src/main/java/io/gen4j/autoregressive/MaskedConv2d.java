package io.gen4j.autoregressive;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.gen4j.core.nn.Conv2d;
import io.gen4j.core.nn.ConvNd;
import io.gen4j.core.nn.FanInUniform;
import io.gen4j.core.runtime.ConvGuard;

/**
 * A 2-D convolution whose k×k kernel is multiplied by a mask of {@link AutoregressiveMasks} (mask
 * A/B, vertical or horizontal stack) before gen-core's guarded {@link Conv2d#conv2d} runs it with
 * "same" padding; a null mask gives a dense convolution (1×1 heads). The channel counts are fixed at
 * construction, so the parameters' shapes are known without an input.
 *
 * <p>Only the bounding box of the mask's nonzero taps is convolved: the masked kernel is cut to that
 * box and the input padded to match, which gives the same output as the full k×k convolution
 * without multiplying the zeros. The horizontal stack's 3×3 kernel (mask B) becomes 1×2 and the
 * vertical stack's 2×3: about half the arithmetic of a gated PixelCNN layer.
 */
public final class MaskedConv2d extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int kernel;
    private final float[] mask;
    /** The nonzero taps' bounding box: rows box[0]..box[1], columns box[2]..box[3] (inclusive). */
    private final int[] box;
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
        ConvGuard.prepare(); // the guard's canary runs here, outside any GradientCollector
        this.kernel = kernel;
        this.mask = mask == null ? null : mask.clone();
        this.box = mask == null ? null : box(mask, kernel);
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
        if (box == null) {
            return Conv2d.conv2d(x, wm, b, new Shape(1, 1), new Shape(p, p), new Shape(1, 1));
        }
        NDArray wc = wm.get(new NDIndex(":, :, {}:{}, {}:{}", box[0], box[1] + 1, box[2], box[3] + 1));
        return Conv2d.conv2d(padToBox(x), wc, b, new Shape(1, 1), new Shape(0, 0), new Shape(1, 1));
    }

    /**
     * out(i, j) = Σ_{a, c in the box} w[a, c] x[i + a − p, j + c − p]: x padded p − r0 above, r1 − p below, p − c0
     * left and c1 − p right (a negative amount drops input rows or columns no tap reaches), for a convolution of
     * the box without padding.
     */
    private NDArray padToBox(NDArray x) {
        int p = kernel / 2;
        int top = p - box[0];
        int bottom = box[1] - p;
        int left = p - box[2];
        int right = box[3] - p;
        NDArray in = ConvNd.zeroPad(x, new Shape(Math.max(0, left), Math.max(0, right), Math.max(0, top),
                Math.max(0, bottom)));
        if (top < 0 || bottom < 0 || left < 0 || right < 0) {
            long rows = in.getShape().get(2);
            long cols = in.getShape().get(3);
            in = in.get(new NDIndex(":, :, {}:{}, {}:{}", Math.max(0, -top), rows - Math.max(0, -bottom),
                    Math.max(0, -left), cols - Math.max(0, -right)));
        }
        return in;
    }

    /**
     * This convolution with its parameters fixed for a run of calls that do not train them (a sampler's loop):
     * the masked kernel cut to its box, made once by {@link #freeze} instead of once per call.
     *
     * @param weight the masked kernel's box (C_out, C_in, r1 − r0 + 1, c1 − c0 + 1), or the whole kernel
     * @param bias (C_out)
     * @param pad the convolution's own (symmetric) padding (rows, columns), when {@code padInput} is false
     * @param padInput pad the input to the box instead (a box the symmetric padding cannot place)
     */
    public record Frozen(NDArray weight, NDArray bias, Shape pad, boolean padInput) {}

    /**
     * @param ps the parameter store
     * @param scope the manager of the masked kernel (and its device)
     * @return the kernel and bias for {@link #apply(Frozen, NDArray)}
     */
    public Frozen freeze(ParameterStore ps, NDManager scope) {
        NDArray w = ps.getValue(weight, scope.getDevice(), false);
        NDArray b = ps.getValue(bias, scope.getDevice(), false);
        int p = kernel / 2;
        NDArray wm = mask == null ? w : AutoregressiveMasks.apply(w, mask, new Shape(1, 1, kernel, kernel), scope);
        if (box == null) {
            return new Frozen(wm, b, new Shape(p, p), false);
        }
        NDArray wc = wm.get(new NDIndex(":, :, {}:{}, {}:{}", box[0], box[1] + 1, box[2], box[3] + 1));
        // symmetric padding P = p − r0 (p − c0) puts output (i, j) at index (i, j) when the box reaches no further
        // past the centre than before it (r0 + r1 <= 2p): the output is then at least H (W) long and is cut there
        boolean symmetric = box[0] + box[1] <= 2 * p && box[2] + box[3] <= 2 * p;
        return new Frozen(wc, b, new Shape(p - box[0], p - box[2]), !symmetric);
    }

    /**
     * The same convolution as {@link #apply(ParameterStore, NDArray, boolean)} with a {@link #freeze frozen} kernel:
     * no mask product per call, and the zero padding done by the convolution (the output cut to the input's size, a
     * view) instead of a padded copy of the input. Not for training (the cut's gradient would zero-fill).
     *
     * @param frozen from {@link #freeze}
     * @param x (N, in, H, W)
     * @return (N, out, H, W) in the manager of x
     */
    public NDArray apply(Frozen frozen, NDArray x) {
        Shape one = new Shape(1, 1);
        if (frozen.padInput()) {
            return Conv2d.conv2d(padToBox(x), frozen.weight(), frozen.bias(), one, new Shape(0, 0), one);
        }
        NDArray y = Conv2d.conv2d(x, frozen.weight(), frozen.bias(), one, frozen.pad(), one);
        long h = x.getShape().get(2);
        long w = x.getShape().get(3);
        return y.getShape().get(2) == h && y.getShape().get(3) == w ? y
                : y.get(new NDIndex(":, :, 0:{}, 0:{}", h, w));
    }

    /**
     * This convolution on a single row, as one matrix product, for a mask whose taps all lie in the centre row at or
     * left of the centre (PixelCNN's horizontal stack) or a 1×1 kernel, with its parameters fixed (see {@link
     * #freeze}). On a row stored channels-last, (N, W, C_in), the K taps of columns j + c0 − p … j + c1 − p are K
     * column-shifted copies of the row side by side, (N, W, K·C_in), and the convolution is their product with the
     * kernel as a (C_out, K·C_in) matrix plus the bias: one GEMM instead of a convolution call, whose fixed cost
     * dominates at one row.
     *
     * @param weight (C_out, K·C_in): tap-major, the channels of tap 0 first
     * @param bias (C_out)
     * @param taps K, the box's width
     * @param leftPad p − c0, the zero columns in front of the row
     */
    public record RowLinear(NDArray weight, NDArray bias, int taps, int leftPad) {}

    /**
     * @param ps the parameter store
     * @param scope the manager of the matrix (and its device)
     * @return the row form for {@link #applyRow}
     * @throws IllegalStateException when the mask has taps outside the centre row or right of the centre
     */
    public RowLinear rowLinear(ParameterStore ps, NDManager scope) {
        int p = kernel / 2;
        boolean oneByOne = kernel == 1;
        if (!oneByOne && (box == null || box[0] != p || box[1] != p || box[3] > p)) {
            throw new IllegalStateException("only a 1x1 kernel or a mask in the centre row up to the centre has a row"
                    + " form");
        }
        Frozen f = freeze(ps, scope);
        Shape ws = f.weight().getShape(); // (C_out, C_in, 1, K)
        long out = ws.get(0);
        long in = ws.get(1);
        int taps = (int) ws.get(3);
        // (C_out, C_in, 1, K) -> (C_out, K, C_in) -> (C_out, K·C_in); a copy, made once. The first view is moved to
        // the scope at once: without a mask the weight is the parameter, whose manager is the model's
        NDArray w3 = f.weight().reshape(out, in, taps);
        w3.attach(scope);
        NDArray w = w3.transpose(0, 2, 1).reshape(out, (long) taps * in);
        return new RowLinear(w, f.bias(), taps, oneByOne ? 0 : p - box[2]);
    }

    /**
     * The convolution of one row by its {@link #rowLinear row form}.
     *
     * @param row (N, W, C_in), the row channels-last
     * @param form from {@link #rowLinear}
     * @return (N, W, C_out) in the manager of the row
     */
    public static NDArray applyRow(RowLinear form, NDArray row) {
        NDArray in = row;
        if (form.taps() > 1 || form.leftPad() > 0) {
            long width = row.getShape().get(1);
            // pad() takes (before, after) pairs from the last axis: channels none, columns leftPad in front
            NDArray padded = ConvNd.zeroPad(row, new Shape(0, 0, form.leftPad(), 0));
            NDList shifted = new NDList(form.taps());
            for (int t = 0; t < form.taps(); t++) {
                shifted.add(padded.get(new NDIndex(":, {}:{}, :", t, t + width)));
            }
            in = form.taps() == 1 ? shifted.head() : NDArrays.concat(shifted, 2);
        }
        return Linear.linear(in, form.weight(), form.bias()).head();
    }

    /**
     * @return {r0, r1, c0, c1} of the nonzero taps, or null when that is the whole kernel (or the
     *     mask is all zeros): then the full convolution runs
     */
    private static int[] box(float[] mask, int k) {
        int r0 = k;
        int r1 = -1;
        int c0 = k;
        int c1 = -1;
        for (int r = 0; r < k; r++) {
            for (int c = 0; c < k; c++) {
                if (mask[r * k + c] != 0f) {
                    r0 = Math.min(r0, r);
                    r1 = Math.max(r1, r);
                    c0 = Math.min(c0, c);
                    c1 = Math.max(c1, c);
                }
            }
        }
        boolean full = r0 == 0 && c0 == 0 && r1 == k - 1 && c1 == k - 1;
        return r1 < 0 || full ? null : new int[] {r0, r1, c0, c1};
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
