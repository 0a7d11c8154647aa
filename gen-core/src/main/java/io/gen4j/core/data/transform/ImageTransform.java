package io.gen4j.core.data.transform;

import java.util.List;
import java.util.Random;

/**
 * One step of image preprocessing on 8-bit pixels, the counterpart of a torchvision transform
 * ({@code Resize}, {@code CenterCrop}, {@code RandomCrop}, {@code Grayscale},
 * {@code RandomHorizontalFlip}): {@link Resize}, {@link CenterCrop}, {@link RandomCrop}, {@link
 * ColorConversion}, {@link HorizontalFlip}. Steps compose with {@link #andThen} into a {@link
 * Compose}, like {@code transforms.Compose}.
 *
 * <p>Random steps draw only from the {@link Random} they are given, so a caller that seeds it per
 * image (and per batch position, for augmentation during training) gets the same pixels on every
 * run. Deterministic steps ignore it. {@link #describe()} is the text recorded in a run's config.
 * Users add their own steps by implementing this interface.
 */
public interface ImageTransform {

    /**
     * Transforms one image.
     *
     * @param image the input (not modified)
     * @param random the source of every random choice of this step
     * @return the output, a new image (or {@code image} itself when nothing changes)
     */
    ByteImage apply(ByteImage image, Random random);

    /** @return a short description with the parameters, e.g. {@code resize(32)} */
    String describe();

    /**
     * @param next the step applied after this one
     * @return both steps in order
     */
    default ImageTransform andThen(ImageTransform next) {
        return Compose.of(this, next);
    }

    /**
     * The {@link Random} of one image: seeded with a SplitMix64 mix of the seed and the keys (the
     * image's index; the batch position and slot for augmentation), so that neighbouring images get
     * unrelated draws (plain {@code new Random(seed + i)} gives nearly equal first doubles for
     * neighbouring {@code i}).
     *
     * @param seed the seed of the run or reading
     * @param keys what identifies the image
     * @return a fresh generator
     */
    static Random randomFor(long seed, long... keys) {
        long h = mix(seed);
        for (long k : keys) {
            h = mix(h ^ mix(k + 0x9E3779B97F4A7C15L));
        }
        return new Random(h);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** @return the transform that changes nothing, {@code Compose.of()} */
    static ImageTransform identity() {
        return new Compose(List.of());
    }
}
