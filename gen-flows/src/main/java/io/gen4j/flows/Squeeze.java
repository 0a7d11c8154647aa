package io.gen4j.flows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

/**
 * The squeeze of RealNVP (Dinh et al. 2017, §3.6): each 2×2 spatial block becomes four channels,
 * (N, C, H, W) → (N, 4C, H/2, W/2). A permutation of coordinates, so log|det J| = 0.
 *
 * <pre>
 *   y[n, 4c + 2i + j, h, w] = x[n, c, 2h + i, 2w + j]
 * </pre>
 *
 * <p>It trades spatial size for channels, so that channel-wise masks can couple neighbouring
 * pixels. H and W must be even. {@link Unsqueeze} is its inverse as a transform.
 */
public class Squeeze extends FlowTransform {

    private static final byte VERSION = 1;

    /** Creates the (parameter-free) squeeze. */
    public Squeeze() {
        super(VERSION);
    }

    /**
     * @param x (N, C, H, W), H and W even
     * @return (N, 4C, H/2, W/2)
     */
    public static NDArray squeeze(NDArray x) {
        Shape s = x.getShape();
        if (s.dimension() != 4 || s.get(2) % 2 != 0 || s.get(3) % 2 != 0) {
            throw new IllegalArgumentException("squeeze expects (N, C, H, W) with H and W even, got " + s);
        }
        long n = s.get(0);
        long c = s.get(1);
        long h = s.get(2) / 2;
        long w = s.get(3) / 2;
        return x.reshape(n, c, h, 2, w, 2).transpose(0, 1, 3, 5, 2, 4).reshape(n, c * 4, h, w);
    }

    /**
     * @param y (N, 4C, H, W)
     * @return (N, C, 2H, 2W), the inverse of {@link #squeeze}
     */
    public static NDArray unsqueeze(NDArray y) {
        Shape s = y.getShape();
        if (s.dimension() != 4 || s.get(1) % 4 != 0) {
            throw new IllegalArgumentException("unsqueeze expects (N, 4C, H, W), got " + s);
        }
        long n = s.get(0);
        long c = s.get(1) / 4;
        long h = s.get(2);
        long w = s.get(3);
        return y.reshape(n, c, 2, 2, h, w).transpose(0, 1, 4, 2, 5, 3).reshape(n, c, h * 2, w * 2);
    }

    static Shape squeezeShape(Shape s) {
        if (s.dimension() != 4 || s.get(2) % 2 != 0 || s.get(3) % 2 != 0) {
            throw new IllegalArgumentException("squeeze expects (N, C, H, W) with H and W even, got " + s);
        }
        return new Shape(s.get(0), s.get(1) * 4, s.get(2) / 2, s.get(3) / 2);
    }

    static Shape unsqueezeShape(Shape s) {
        if (s.dimension() != 4 || s.get(1) % 4 != 0) {
            throw new IllegalArgumentException("unsqueeze expects (N, 4C, H, W), got " + s);
        }
        return new Shape(s.get(0), s.get(1) / 4, s.get(2) * 2, s.get(3) * 2);
    }

    @Override
    public Transformed forward(ParameterStore ps, NDArray x, boolean training) {
        return new Transformed(squeeze(x), zeroLogDet(x));
    }

    @Override
    public Transformed inverse(ParameterStore ps, NDArray y, boolean training) {
        return new Transformed(unsqueeze(y), zeroLogDet(y));
    }

    @Override
    public Shape outputShape(Shape input) {
        return squeezeShape(input);
    }
}
