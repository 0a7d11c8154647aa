package io.gen4j.examples.cli;

import io.gen4j.core.data.ColorMode;
import io.gen4j.core.data.transform.CenterCrop;
import io.gen4j.core.data.transform.ColorConversion;
import io.gen4j.core.data.transform.Compose;
import io.gen4j.core.data.transform.ImageTransform;
import io.gen4j.core.data.transform.RandomCrop;
import io.gen4j.core.data.transform.Resize;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The read-time image options every command that reads image data shares: resize and crop to {@code
 * --image-size}, {@code --channels 1|3}. Training commands add {@code --hflip} ({@link
 * ImageDataOptions}); {@code eval} and {@code eval train-classifier} take these alone, so that real and
 * generated images are brought to the same shape the same way.
 */
public class ImageShapeOptions {

    /** How the square window is chosen. */
    enum Crop {
        /** The centre. */
        CENTER,
        /** A random window per image, drawn once when the images are read (seeded). */
        RANDOM
    }

    @Option(names = "--image-size", description = "Resize the shorter side of every image to this many pixels and "
            + "crop a square (see --crop); default: the images' own size, which must then be one for all.")
    Integer imageSize;

    @Option(names = "--crop", defaultValue = "center", converter = CropConverter.class,
            description = "center (default) or random: which square --image-size keeps.")
    Crop crop = Crop.CENTER;

    @Option(names = "--channels", description = "1 (grayscale) or 3 (RGB); default: the images' own.")
    Integer channels;

    /**
     * @return the read-time transform the options ask for (resize and crop, then the colour
     *     conversion), or empty when neither {@code --image-size} nor {@code --channels} was given
     * @throws IllegalArgumentException naming the option when a value is out of range
     */
    public Optional<ImageTransform> loadTransform() {
        if (imageSize != null && (imageSize < 4 || imageSize > 1024)) {
            throw new IllegalArgumentException("--image-size must be in [4, 1024], got " + imageSize);
        }
        if (channels != null && channels != 1 && channels != 3) {
            throw new IllegalArgumentException("--channels must be 1 or 3, got " + channels);
        }
        if (imageSize == null && channels == null) {
            return Optional.empty();
        }
        ImageTransform load = ImageTransform.identity();
        if (imageSize != null) {
            load = Compose.of(new Resize(imageSize),
                    crop == Crop.CENTER ? new CenterCrop(imageSize) : RandomCrop.of(imageSize));
        }
        if (channels != null) {
            load = load.andThen(new ColorConversion(channels == 1 ? ColorMode.GRAYSCALE : ColorMode.RGB));
        }
        return Optional.of(load);
    }

    /** Parses {@code --crop} case-insensitively. */
    static final class CropConverter implements picocli.CommandLine.ITypeConverter<Crop> {
        @Override
        public Crop convert(String value) {
            try {
                return Crop.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown crop '" + value + "', expected center or random");
            }
        }
    }
}
