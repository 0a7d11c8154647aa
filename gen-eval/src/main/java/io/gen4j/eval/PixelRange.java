package io.gen4j.eval;

/**
 * Value range of float image arrays read back for evaluation (e.g. samples saved in a {@code .npz});
 * 8-bit arrays need none.
 *
 * <p>Kept next to {@link io.gen4j.core.data.PixelRange} (which maps 8-bit pixels to model inputs in
 * [0, 1] or [-1, 1]) because evaluation must also accept float arrays already in [0, 255]
 * ({@link #BYTE}, a {@code --fake-range} choice of the CLI) and quantises doubles with {@link #toByte(double)}.
 */
public enum PixelRange {
    /** Values in [0, 1]. */
    UNIT(0.0, 1.0),
    /** Values in [−1, 1], the usual output range of a tanh generator or a diffusion model. */
    SYMMETRIC(-1.0, 1.0),
    /** Values in [0, 255] stored as floats. */
    BYTE(0.0, 255.0);

    private final double low;
    private final double high;

    PixelRange(double low, double high) {
        this.low = low;
        this.high = high;
    }

    /**
     * Maps a value of this range to an 8-bit level by rounding, clipping to [0, 255].
     *
     * @param v a value nominally in this range
     * @return the 8-bit level
     */
    public int toByte(double v) {
        double unit = (v - low) / (high - low);
        long level = Math.round(unit * 255.0);
        return (int) Math.max(0, Math.min(255, level));
    }
}
