package io.gen4j.core.data.transform;

import java.util.Random;

/**
 * Mirrors an image left to right with probability {@code p}, torchvision's {@code
 * RandomHorizontalFlip(p)}: one {@code random.nextDouble()} is drawn per image and the image is
 * flipped when it is below {@code p}. Output pixel {@code (c, y, x)} is input {@code (c, y, W-1-x)}.
 *
 * @param probability the flip probability p in [0, 1]
 */
public record HorizontalFlip(double probability) implements ImageTransform {

    /** Validates the probability. */
    public HorizontalFlip {
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("flip probability must be in [0, 1], got " + probability);
        }
    }

    /** @return a flip with probability 1/2, the usual training augmentation */
    public static HorizontalFlip random() {
        return new HorizontalFlip(0.5);
    }

    @Override
    public ByteImage apply(ByteImage image, Random random) {
        if (random.nextDouble() >= probability) {
            return image;
        }
        int c = image.channels();
        int h = image.height();
        int w = image.width();
        byte[] in = image.pixels();
        byte[] out = new byte[in.length];
        for (int row = 0; row < c * h; row++) {
            int base = row * w;
            for (int x = 0; x < w; x++) {
                out[base + x] = in[base + w - 1 - x];
            }
        }
        return new ByteImage(c, h, w, out);
    }

    @Override
    public String describe() {
        return "horizontal-flip(p=" + probability + ")";
    }
}
