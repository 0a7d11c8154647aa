package io.gen4j.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.math.Scalars;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A set of 8-bit images held compactly on the Java heap, NCHW, for feature extraction.
 *
 * <p>Real datasets and PNG samples are 8-bit already; float samples are quantised by rounding when
 * the set is built ({@link ImageSets}), which is the same quantisation the extractors apply.
 *
 * @param count N
 * @param channels C, 1 or 3
 * @param height H
 * @param width W
 * @param pixels N·C·H·W unsigned bytes, NCHW order
 */
public record ImageSet(int count, int channels, int height, int width, byte[] pixels) {

    /** Validates the shape. */
    public ImageSet {
        if (count < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException(
                    "count, height, width must be >= 1, got " + count + ", " + height + ", " + width);
        }
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
        }
        if (pixels.length != (long) count * channels * height * width) {
            throw new IllegalArgumentException("pixels must have N*C*H*W = "
                    + ((long) count * channels * height * width) + " bytes, got " + pixels.length);
        }
    }

    /** @return C·H·W */
    public int imageSize() {
        return channels * height * width;
    }

    /**
     * @param manager owner of the result
     * @param from first image, inclusive
     * @param to last image, exclusive
     * @return float32 (to − from, C, H, W) with values k/255 in [0, 1]
     */
    public NDArray batch(NDManager manager, int from, int to) {
        if (from < 0 || to > count || from >= to) {
            throw new IndexOutOfBoundsException("range [" + from + ", " + to + ") not in [0, " + count + ")");
        }
        int size = imageSize();
        ByteBuffer buffer = ByteBuffer.allocateDirect((to - from) * size);
        buffer.put(pixels, from * size, (to - from) * size);
        buffer.rewind();
        NDArray bytes = manager.create(buffer, new Shape(to - from, channels, height, width), DataType.UINT8);
        NDArray x = Scalars.dividedByInPlace(bytes.toType(DataType.FLOAT32, false), 255f);
        bytes.close();
        return x;
    }

    /**
     * @param indices images to keep, in order
     * @return a new set of those images
     */
    public ImageSet subset(int[] indices) {
        int size = imageSize();
        byte[] out = new byte[indices.length * size];
        for (int r = 0; r < indices.length; r++) {
            System.arraycopy(pixels, indices[r] * size, out, r * size, size);
        }
        return new ImageSet(indices.length, channels, height, width, out);
    }

    /**
     * @param n number of leading images
     * @return the first n images
     */
    public ImageSet head(int n) {
        if (n < 1 || n > count) {
            throw new IllegalArgumentException("n must be in [1, " + count + "], got " + n);
        }
        return new ImageSet(n, channels, height, width, Arrays.copyOf(pixels, n * imageSize()));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImageSet s && s.count == count && s.channels == channels && s.height == height
                && s.width == width && Arrays.equals(s.pixels, pixels);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(pixels) + 31 * count;
    }

    @Override
    public String toString() {
        return "ImageSet[" + count + " x " + channels + " x " + height + " x " + width + "]";
    }
}
