package io.gen4j.core.data;

import io.gen4j.core.data.transform.CenterCrop;
import io.gen4j.core.data.transform.ColorConversion;
import io.gen4j.core.data.transform.Compose;
import io.gen4j.core.data.transform.ImageTransform;
import io.gen4j.core.data.transform.Resize;
import java.util.Locale;
import java.util.Objects;

/**
 * How images become a model's input, the gen4j counterpart of a torchvision transform pipeline,
 * split where it runs:
 *
 * <ul>
 *   <li>{@code load}: applied once to every image when a dataset is read (resize, crop to the
 *       model's size, grayscale or RGB), see {@link ImageSource#read} and {@link
 *       ImageDataset#transform};
 *   <li>{@code augment}: applied afresh to every image of every training batch (a random
 *       horizontal flip, a padded random crop), see {@link ShuffledBatches#withAugmentation}; it
 *       must keep the image shape;
 *   <li>{@code range}: how the 8-bit pixels become floats, [−1, 1] (DDPM, GANs with tanh) or
 *       [0, 1] (Bernoulli decoders).
 * </ul>
 *
 * <p>{@link #describe()} is the line a run records in its config. Example: {@code
 * ImagePreprocessing.square(32, ColorMode.RGB).withAugment(HorizontalFlip.random())} is
 * torchvision's {@code Compose([Resize(32), CenterCrop(32), RandomHorizontalFlip(),
 * ToTensor(), Normalize(0.5, 0.5)])}.
 *
 * @param load the transform of every image when read
 * @param augment the transform of every image of every training batch
 * @param range the float range of the pixels
 */
public record ImagePreprocessing(ImageTransform load, ImageTransform augment, PixelRange range) {

    /** Checks the parts. */
    public ImagePreprocessing {
        Objects.requireNonNull(load, "load");
        Objects.requireNonNull(augment, "augment");
        Objects.requireNonNull(range, "range");
    }

    /** @return images as they are, no augmentation, pixels in [−1, 1] */
    public static ImagePreprocessing defaults() {
        return new ImagePreprocessing(ImageTransform.identity(), ImageTransform.identity(), PixelRange.MINUS_ONE_ONE);
    }

    /**
     * Resize the shorter side to {@code size}, centre-crop to {@code size x size}, and convert to
     * the colour mode (when not {@code null}); no augmentation; pixels in [−1, 1].
     *
     * @param size the model's image side, at least 1
     * @param mode the channels wanted, or {@code null} to keep the images' own
     * @return the preprocessing
     */
    public static ImagePreprocessing square(int size, ColorMode mode) {
        ImageTransform load = Compose.of(new Resize(size), new CenterCrop(size));
        if (mode != null) {
            load = load.andThen(new ColorConversion(mode));
        }
        return new ImagePreprocessing(load, ImageTransform.identity(), PixelRange.MINUS_ONE_ONE);
    }

    /**
     * @param newLoad the transform applied when reading
     * @return this preprocessing with that read-time transform
     */
    public ImagePreprocessing withLoad(ImageTransform newLoad) {
        return new ImagePreprocessing(newLoad, augment, range);
    }

    /**
     * @param newAugment the per-batch augmentation
     * @return this preprocessing with that augmentation
     */
    public ImagePreprocessing withAugment(ImageTransform newAugment) {
        return new ImagePreprocessing(load, newAugment, range);
    }

    /**
     * @param newRange the float range
     * @return this preprocessing with that range
     */
    public ImagePreprocessing withRange(PixelRange newRange) {
        return new ImagePreprocessing(load, augment, newRange);
    }

    /**
     * @return e.g. {@code "read: resize(32) -> center-crop(32) -> rgb; per batch: horizontal-flip(p=0.5);
     *     pixels: [-1, 1]"}
     */
    public String describe() {
        return "read: " + load.describe() + "; per batch: " + augment.describe() + "; pixels: "
                + String.format(Locale.ROOT, "[%s, %s]", trim(range.low()), trim(range.high()));
    }

    private static String trim(float v) {
        return v == Math.rint(v) ? Integer.toString((int) v) : Float.toString(v);
    }
}
