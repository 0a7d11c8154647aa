package io.gen4j.core.viz;

/**
 * The range of the floats an image or sample grid holds, mapped linearly to 8-bit pixels (values
 * outside are clamped).
 */
public enum ValueRange {
    /** {@code pixel = round(255 x)}, x in [0, 1]: sigmoid outputs, Bernoulli decoders. */
    ZERO_ONE(0f, 1f),
    /** {@code pixel = round(255 (x + 1) / 2)}, x in [-1, 1]: DDPM and tanh generators. */
    MINUS_ONE_ONE(-1f, 1f);

    private final float low;
    private final float high;

    ValueRange(float low, float high) {
        this.low = low;
        this.high = high;
    }

    /**
     * @param x a value
     * @return the 8-bit pixel, clamped to [0, 255]; NaN maps to 0
     */
    public int toPixel(float x) {
        if (Float.isNaN(x)) {
            return 0;
        }
        long v = Math.round((x - low) / (high - low) * 255.0);
        return (int) Math.max(0, Math.min(255, v));
    }
}
