package io.gen4j.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Spatial upsampling by an integer factor (nearest or bilinear), differentiable. Followed by a 3x3
 * {@link Conv2d} it is the checkerboard-free alternative to a transposed convolution (Odena et al.
 * 2016), and the U-Net's up-sampling path.
 */
public class Upsample2d extends AbstractBlock {

    /** Interpolation mode. */
    public enum Mode {
        /** Copy each pixel into a factor x factor block. */
        NEAREST(0),
        /** Bilinear interpolation, corners not aligned (PyTorch's default). */
        BILINEAR(1);

        private final int code;

        Mode(int code) {
            this.code = code;
        }
    }

    private final int factor;
    private final Mode mode;

    /**
     * @param factor integer scale factor, at least 1
     * @param mode interpolation mode
     */
    public Upsample2d(int factor, Mode mode) {
        if (factor < 1) {
            throw new IllegalArgumentException("factor must be >= 1, got " + factor);
        }
        this.factor = factor;
        this.mode = mode;
    }

    /**
     * The functional twin.
     *
     * @param x (N, C, H, W)
     * @param factor scale factor
     * @param mode interpolation mode
     * @return (N, C, H·factor, W·factor)
     */
    public static NDArray upsample(NDArray x, int factor, Mode mode) {
        Shape s = x.getShape();
        long[] size = {s.get(2) * factor, s.get(3) * factor};
        return x.getNDArrayInternal().interpolation(size, mode.code, false);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(upsample(inputs.head(), factor, mode));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), s.get(1), s.get(2) * factor, s.get(3) * factor)};
    }
}
