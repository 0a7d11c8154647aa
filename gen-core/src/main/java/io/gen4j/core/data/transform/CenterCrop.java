package io.gen4j.core.data.transform;

import java.util.Random;

/**
 * Cuts the central {@code size x size} square out of an image, torchvision's {@code
 * CenterCrop(size)}: the crop starts at row {@code floor((H - size) / 2)} and column {@code
 * floor((W - size) / 2)} (an odd extra row or column is dropped at the bottom or right). The image
 * must be at least {@code size} on both sides: put a {@link Resize} of the same size first.
 *
 * @param size the side of the crop, at least 1
 */
public record CenterCrop(int size) implements ImageTransform {

    /** Validates the size. */
    public CenterCrop {
        if (size < 1) {
            throw new IllegalArgumentException("center crop size must be >= 1, got " + size);
        }
    }

    @Override
    public ByteImage apply(ByteImage image, Random random) {
        if (image.height() < size || image.width() < size) {
            throw new IllegalArgumentException("center-crop(" + size + ") needs an image of at least " + size + "x"
                    + size + ", got " + image.width() + "x" + image.height() + " (width x height); resize first");
        }
        if (image.height() == size && image.width() == size) {
            return image;
        }
        return crop(image, (image.height() - size) / 2, (image.width() - size) / 2, size);
    }

    /**
     * Copies a square out of an image; rows and columns outside the image read as 0.
     *
     * @param image the image
     * @param top first row (may be negative, for zero padding)
     * @param left first column (may be negative)
     * @param size side of the square
     * @return the square
     */
    static ByteImage crop(ByteImage image, int top, int left, int size) {
        int c = image.channels();
        byte[] out = new byte[c * size * size];
        byte[] in = image.pixels();
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < size; y++) {
                int sy = top + y;
                if (sy < 0 || sy >= image.height()) {
                    continue;
                }
                for (int x = 0; x < size; x++) {
                    int sx = left + x;
                    if (sx >= 0 && sx < image.width()) {
                        out[(ch * size + y) * size + x] = in[(ch * image.height() + sy) * image.width() + sx];
                    }
                }
            }
        }
        return new ByteImage(c, size, size, out);
    }

    @Override
    public String describe() {
        return "center-crop(" + size + ")";
    }
}
