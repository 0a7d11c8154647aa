package io.gen4j.autoregressive;

import java.util.Objects;

/**
 * The hyperparameters of a {@link PixelCnn} for one-channel images.
 *
 * @param height H
 * @param width W
 * @param architecture masked (original, has a blind spot) or gated with two stacks (no blind spot)
 * @param hidden channels of every layer
 * @param layers layers after the first
 * @param firstKernel odd kernel side of the first layer (7 in the papers)
 * @param kernel odd kernel side of the later layers (3)
 * @param output the pixel distribution
 * @param mixtures K of {@link PixelOutput#LOGISTIC_MIXTURE} (1 otherwise)
 * @param classes number of classes for class conditioning, 0 for an unconditional model
 */
public record PixelCnnConfig(int height, int width, Architecture architecture, int hidden, int layers,
        int firstKernel, int kernel, PixelOutput output, int mixtures, int classes) {

    /** The two PixelCNNs. */
    public enum Architecture {
        /**
         * Mask A then mask B convolutions with ReLUs and residual connections (van den Oord et al.
         * 2016a); the receptive field misses a wedge of pixels to the upper right (the blind spot).
         */
        MASKED,
        /**
         * The gated PixelCNN (van den Oord et al. 2016b): a vertical stack (rows above) and a
         * horizontal stack (the row so far) with tanh·sigmoid gates; no blind spot.
         */
        GATED
    }

    /** Validates. */
    public PixelCnnConfig {
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(output, "output");
        if (height < 1 || width < 1 || hidden < 1 || layers < 0) {
            throw new IllegalArgumentException("height, width, hidden must be >= 1 and layers >= 0, got " + height
                    + ", " + width + ", " + hidden + ", " + layers);
        }
        if (firstKernel % 2 == 0 || kernel % 2 == 0 || firstKernel < 1 || kernel < 1) {
            throw new IllegalArgumentException("kernels must be odd, got " + firstKernel + " and " + kernel);
        }
        if (mixtures < 1 || (output != PixelOutput.LOGISTIC_MIXTURE && mixtures != 1)) {
            throw new IllegalArgumentException("mixtures must be >= 1 (1 unless LOGISTIC_MIXTURE), got " + mixtures);
        }
        if (classes < 0) {
            throw new IllegalArgumentException("classes must be >= 0, got " + classes);
        }
    }

    /**
     * @param height H
     * @param width W
     * @param output the pixel distribution
     * @return a gated PixelCNN, 32 channels, 1 + 5 layers, unconditional
     */
    public static PixelCnnConfig gated(int height, int width, PixelOutput output) {
        return new PixelCnnConfig(height, width, Architecture.GATED, 32, 5, 7, 3, output,
                output == PixelOutput.LOGISTIC_MIXTURE ? 5 : 1, 0);
    }

    /** @return how many rows above a pixel its conditional can see (its receptive field's height − 1) */
    public int rowsAbove() {
        int reach = firstKernel / 2 + layers * (kernel / 2);
        return architecture == Architecture.GATED ? reach + 1 : reach;
    }

    /**
     * @param newClasses K, or 0
     * @return this config with class conditioning on K classes
     */
    public PixelCnnConfig withClasses(int newClasses) {
        return new PixelCnnConfig(height, width, architecture, hidden, layers, firstKernel, kernel, output, mixtures,
                newClasses);
    }
}
