package io.gen4j.flows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Which coordinates a coupling layer leaves unchanged (mask b = 1) and conditions on (RealNVP, Dinh
 * et al. 2017, §3.4). The other coordinates (b = 0) are transformed.
 *
 * <p>For vectors (N, D) the index i plays the role of both the pixel and the channel; for images
 * (N, C, H, W) the masks follow RealNVP's figure 3.
 */
public enum CouplingMask {
    /**
     * Checkerboard: b = 1 where (h + w) is even (images) or i is even (vectors). Couples
     * neighbouring pixels; used before a squeeze.
     */
    CHECKERBOARD,
    /**
     * Channel-wise: b = 1 on the first half of the channels (images) or of the coordinates
     * (vectors). Used after a squeeze.
     */
    CHANNEL;

    /**
     * Builds the mask for one example.
     *
     * @param manager owner of the result
     * @param example shape of one example without the batch axis: (D) or (C, H, W)
     * @param flipped whether to swap the roles of the two halves (b ↦ 1 − b)
     * @param dataType dtype of the result
     * @return the 0/1 mask with shape (1, example...)
     */
    public NDArray build(NDManager manager, Shape example, boolean flipped, DataType dataType) {
        int size = Math.toIntExact(example.size());
        float[] b = new float[size];
        if (example.dimension() == 1) {
            long d = example.get(0);
            for (int i = 0; i < d; i++) {
                boolean keep = this == CHECKERBOARD ? i % 2 == 0 : i < d / 2;
                b[i] = keep ^ flipped ? 1f : 0f;
            }
        } else if (example.dimension() == 3) {
            long c = example.get(0);
            long h = example.get(1);
            long w = example.get(2);
            int k = 0;
            for (int ci = 0; ci < c; ci++) {
                for (int hi = 0; hi < h; hi++) {
                    for (int wi = 0; wi < w; wi++) {
                        boolean keep = this == CHECKERBOARD ? (hi + wi) % 2 == 0 : ci < c / 2;
                        b[k++] = keep ^ flipped ? 1f : 0f;
                    }
                }
            }
        } else {
            throw new IllegalArgumentException("masks are defined for (D) or (C, H, W) examples, got " + example);
        }
        long[] dims = new long[example.dimension() + 1];
        dims[0] = 1;
        System.arraycopy(example.getShape(), 0, dims, 1, example.dimension());
        return manager.create(b, new Shape(dims)).toType(dataType, false);
    }

    /**
     * Checks that the mask leaves at least one coordinate on each side.
     *
     * @param example shape of one example
     * @throws IllegalArgumentException when one side would be empty
     */
    public void validate(Shape example) {
        if (this == CHANNEL && example.get(0) < 2) {
            throw new IllegalArgumentException(
                    "a channel mask needs at least 2 channels (or coordinates), got shape " + example);
        }
        if (this == CHECKERBOARD && example.size() < 2) {
            throw new IllegalArgumentException("a checkerboard mask needs at least 2 coordinates, got " + example);
        }
    }
}
