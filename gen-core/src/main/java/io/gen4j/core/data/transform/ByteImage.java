package io.gen4j.core.data.transform;

import java.util.Arrays;
import java.util.Objects;

/**
 * One 8-bit image, channels first ({@code C x H x W} unsigned bytes, row-major), the unit an
 * {@link ImageTransform} works on.
 *
 * @param channels C, 1 (grayscale) or 3 (RGB)
 * @param height H, at least 1
 * @param width W, at least 1
 * @param pixels {@code C * H * W} bytes; taken as they are (not copied)
 */
public record ByteImage(int channels, int height, int width, byte[] pixels) {

    /** Validates the shape. */
    public ByteImage {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
        }
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException(
                    "height and width must be >= 1, got " + height + "x" + width);
        }
        Objects.requireNonNull(pixels, "pixels");
        if (pixels.length != channels * height * width) {
            throw new IllegalArgumentException("pixels must hold C*H*W = " + channels * height * width
                    + " bytes, got " + pixels.length);
        }
    }

    /**
     * @param c the channel
     * @param y the row
     * @param x the column
     * @return the pixel value in [0, 255]
     */
    public int get(int c, int y, int x) {
        return pixels[(c * height + y) * width + x] & 0xFF;
    }

    /** @return {@code "CxHxW"}, e.g. {@code 3x32x32} */
    public String shapeText() {
        return channels + "x" + height + "x" + width;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ByteImage b && b.channels == channels && b.height == height
                && b.width == width && Arrays.equals(b.pixels, pixels);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(pixels) * 31 + channels * 961 + height * 31 + width;
    }

    @Override
    public String toString() {
        return "ByteImage[" + shapeText() + "]";
    }
}
