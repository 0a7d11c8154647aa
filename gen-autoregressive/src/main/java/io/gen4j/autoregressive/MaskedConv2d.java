package io.gen4j.autoregressive;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
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
        // out(i, j) = Σ_{a, c in the box} w[a, c] x[i + a − p, j + c − p]: pad p − r0 above, r1 − p below,
        // p − c0 left and c1 − p right (a negative amount drops input rows or columns no tap reaches)
        NDArray wc = wm.get(new NDIndex(":, :, {}:{}, {}:{}", box[0], box[1] + 1, box[2], box[3] + 1));
        int top = p - box[0];
        int bottom = box[1] - p;
        int left = p - box[2];
        int right = box[3] - p;
        NDArray in = x.pad(new Shape(Math.max(0, left), Math.max(0, right), Math.max(0, top), Math.max(0, bottom)), 0);
        if (top < 0 || bottom < 0 || left < 0 || right < 0) {
            long rows = in.getShape().get(2);
            long cols = in.getShape().get(3);
            in = in.get(new NDIndex(":, :, {}:{}, {}:{}", Math.max(0, -top), rows - Math.max(0, -bottom),
                    Math.max(0, -left), cols - Math.max(0, -right)));
        }
        return Conv2d.conv2d(in, wc, b, new Shape(1, 1), new Shape(0, 0), new Shape(1, 1));
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
