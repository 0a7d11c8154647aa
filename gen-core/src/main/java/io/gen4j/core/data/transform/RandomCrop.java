package io.gen4j.core.data.transform;

import java.util.Random;

/**
 * Cuts a {@code size x size} square at a uniformly random position out of the image padded with
 * {@code padding} black pixels on every side, torchvision's {@code RandomCrop(size, padding)}. With
 * {@code size} equal to the image side and a small padding (CIFAR-10's {@code RandomCrop(32, 4)}) it
 * is a shape-preserving augmentation for training batches; with a larger image and no padding it
 * picks a random window. The row offset is drawn first ({@code random.nextInt(H + 2p - size + 1)}),
 * then the column offset.
 *
 * @param size the side of the crop, at least 1
 * @param padding black pixels added on every side before cropping, at least 0
 */
public record RandomCrop(int size, int padding) implements ImageTransform {

    /** Validates the sizes. */
    public RandomCrop {
        if (size < 1 || padding < 0) {
            throw new IllegalArgumentException("random crop needs size >= 1 and padding >= 0, got size " + size
                    + ", padding " + padding);
        }
    }

    /**
     * @param size the side of the crop
     * @return a random crop without padding
     */
    public static RandomCrop of(int size) {
        return new RandomCrop(size, 0);
    }

    @Override
    public ByteImage apply(ByteImage image, Random random) {
        int rows = image.height() + 2 * padding - size + 1;
        int cols = image.width() + 2 * padding - size + 1;
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException("random-crop(" + size + ") with padding " + padding + " needs an image "
                    + "of at least " + (size - 2 * padding) + "x" + (size - 2 * padding) + ", got " + image.width()
                    + "x" + image.height() + " (width x height); resize first");
        }
        int top = random.nextInt(rows) - padding;
        int left = random.nextInt(cols) - padding;
        return CenterCrop.crop(image, top, left, size);
    }

    @Override
    public String describe() {
        return padding == 0 ? "random-crop(" + size + ")" : "random-crop(" + size + ", padding " + padding + ")";
    }
}
