package io.gen4j.examples.cli;

import io.gen4j.core.data.ImagePreprocessing;
import io.gen4j.core.data.PixelRange;
import io.gen4j.core.data.transform.HorizontalFlip;
import io.gen4j.core.data.transform.ImageTransform;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The preprocessing options of commands that train on image data ({@code quickstart}, {@code topic}),
 * turned into gen-core's {@link ImagePreprocessing}: resize and crop to {@code --image-size}, {@code
 * --channels 1|3} ({@link ImageShapeOptions}, shared with {@code eval}) and {@code --hflip}. Without
 * any of them the data are used as they are and the model takes its shape from them.
 */
public final class ImageDataOptions extends ImageShapeOptions {

    @Option(names = "--hflip", description = "Flip training images left-right at random (p = 0.5), afresh in every "
            + "batch.")
    boolean hflip;

    /**
     * @param range the pixel range of the model
     * @return the preprocessing the options ask for, or empty when none was given
     * @throws IllegalArgumentException naming the option when a value is out of range
     */
    public Optional<ImagePreprocessing> preprocessing(PixelRange range) {
        Optional<ImageTransform> load = loadTransform();
        if (load.isEmpty() && !hflip) {
            return Optional.empty();
        }
        return Optional.of(new ImagePreprocessing(load.orElse(ImageTransform.identity()),
                hflip ? HorizontalFlip.random() : ImageTransform.identity(), range));
    }
}
