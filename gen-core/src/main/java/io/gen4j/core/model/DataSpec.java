package io.gen4j.core.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.gen4j.core.data.PixelRange;
import java.util.Arrays;

/**
 * What one example of a model's data looks like: its shape without the batch axis, and for images
 * the pixel range the model works in (how 8-bit pixels were mapped to its inputs, and how its
 * samples map back). Part of every {@link ModelSpec}, so that a loaded model can say what it
 * samples: {@code sample} writes PNGs for images and arrays for everything else.
 *
 * @param shape the shape of one example, e.g. {@code [1, 28, 28]} or {@code [2]}; every entry &gt;=
 *     1
 * @param pixels the pixel range of image data, or null for data that are not images (2-D points,
 *     audio)
 */
public record DataSpec(long[] shape, PixelRange pixels) {

    /** Validates and copies the shape. */
    public DataSpec {
        if (shape == null || shape.length == 0) {
            throw new IllegalArgumentException("shape must have at least one dimension");
        }
        shape = shape.clone();
        for (long d : shape) {
            if (d < 1) {
                throw new IllegalArgumentException("every dimension must be >= 1, got " + Arrays.toString(shape));
            }
        }
        if (pixels != null && (shape.length != 3 || (shape[0] != 1 && shape[0] != 3))) {
            throw new IllegalArgumentException(
                    "image data have shape (C, H, W) with C = 1 or 3, got " + Arrays.toString(shape));
        }
    }

    /**
     * @param channels C, 1 or 3
     * @param height H
     * @param width W
     * @param pixels the range the model works in
     * @return image data
     */
    public static DataSpec image(int channels, int height, int width, PixelRange pixels) {
        if (pixels == null) {
            throw new IllegalArgumentException("images need a pixel range");
        }
        return new DataSpec(new long[] {channels, height, width}, pixels);
    }

    /**
     * @param dims D, the length of one vector
     * @return vectors of D numbers (2-D points, flattened data)
     */
    public static DataSpec vector(int dims) {
        return new DataSpec(new long[] {dims}, null);
    }

    /** @return a copy of the shape */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** @return true for image data (a pixel range is set) */
    @JsonIgnore
    public boolean isImage() {
        return pixels != null;
    }

    /** @return the number of numbers in one example */
    public long size() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DataSpec d && Arrays.equals(shape, d.shape) && pixels == d.pixels;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + (pixels == null ? 0 : pixels.hashCode());
    }

    @Override
    public String toString() {
        return "DataSpec" + Arrays.toString(shape) + (pixels == null ? "" : " " + pixels);
    }
}
