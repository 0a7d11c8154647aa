package io.gen4j.core.data;

/**
 * How 8-bit pixels {@code v} in {@code [0, 255]} become floats, and how floats map back to pixels.
 *
 * <ul>
 *   <li>{@link #ZERO_ONE}: {@code v / 255}, for Bernoulli decoders and sigmoid outputs;
 *   <li>{@link #MINUS_ONE_ONE}: {@code 2 v / 255 - 1}, the convention of DDPM (Ho et al. 2020) and of
 *       GANs with a tanh output;
 *   <li>{@link #BYTE}: {@code v} itself as a float, for arrays of images stored as floats in
 *       [0, 255] (what some samplers save, and a {@code --fake-range} choice of {@code gen4j eval}).
 * </ul>
 *
 * <p>The way back is {@link #toPixel(float)} / {@link #toPixel(double)}: the nearest of the 256
 * levels, {@code round(255 (x − low) / (high − low))} with halves rounded up, values outside the
 * range clamped to 0 or 255 (NaN maps to 0).
 */
public enum PixelRange {
    /** {@code x = v / 255}, in [0, 1]. */
    ZERO_ONE(0f, 1f),
    /** {@code x = 2 v / 255 - 1}, in [-1, 1]. */
    MINUS_ONE_ONE(-1f, 1f),
    /** {@code x = v}, in [0, 255]. */
    BYTE(0f, 255f);

    private final float low;
    private final float high;
    private final float[] table = new float[256];

    PixelRange(float low, float high) {
        this.low = low;
        this.high = high;
        for (int v = 0; v < 256; v++) {
            table[v] = low + (high - low) * v / 255f;
        }
    }

    /** @return the float of pixel value 0 */
    public float low() {
        return low;
    }

    /** @return the float of pixel value 255 */
    public float high() {
        return high;
    }

    /**
     * Maps one pixel.
     *
     * @param value the pixel in [0, 255]
     * @return the float in [{@link #low()}, {@link #high()}]
     */
    public float toFloat(int value) {
        if (value < 0 || value > 255) {
            throw new IllegalArgumentException("pixel value must be in [0, 255], got " + value);
        }
        return table[value];
    }

    /**
     * Maps a float back to the nearest 8-bit pixel, clamping values outside the range (the
     * inverse used when saving samples), in float arithmetic.
     *
     * @param x the float
     * @return the pixel in [0, 255]
     */
    public int toPixel(float x) {
        float unit = (x - low) / (high - low);
        long v = Math.round(unit * 255.0);
        return (int) Math.max(0, Math.min(255, v));
    }

    /**
     * Maps a double back to the nearest 8-bit pixel, clamping values outside the range, in double
     * arithmetic (for float64 arrays read back for evaluation).
     *
     * @param x the value
     * @return the pixel in [0, 255]
     */
    public int toPixel(double x) {
        double unit = (x - low) / ((double) high - low);
        long v = Math.round(unit * 255.0);
        return (int) Math.max(0, Math.min(255, v));
    }

    /** Lookup table used by the bulk conversions (index: unsigned byte). */
    float tableValue(byte b) {
        return table[b & 0xFF];
    }
}
