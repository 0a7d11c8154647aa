package io.gen4j.autoregressive;

import io.gen4j.core.train.TrainingRecipe;
import java.util.Objects;

/**
 * A PixelCNN and how to train it: the settings of the course's topic 11-10 (and of the family comparison,
 * {@code gen4j compare}) on binarised 28×28 images, so that code outside the CLI gets what the topic
 * measured (docs/topics/11-10-autoregressive.md has the figures and a complete snippet).
 *
 * <p>Training is Adam on the recipe's schedule: no warm-up, cosine decay from the peak rate to 5 % of it,
 * gradient-norm clip 10.
 *
 * @param config the network: image size, architecture, width, depth, kernels, output
 * @param training steps, batch, learning rates, clip
 */
public record PixelCnnPreset(PixelCnnConfig config, TrainingRecipe training) {

    /** Validates the parts. */
    public PixelCnnPreset {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(training, "training");
    }

    /**
     * Topic 11-10's gated PixelCNN at the CPU profile, for binarised 28×28 images in {0, 1}: 32 channels,
     * a 7×7 masked first layer then 4 gated layers of 3×3, Bernoulli pixels, unconditional; 500 Adam updates
     * of 32 images, 2e-3 decaying to 1e-4 on a cosine, clip 10.
     *
     * @return the preset
     */
    public static PixelCnnPreset binarized28() {
        return of(32, 4, 500);
    }

    /**
     * The same at the GPU profile: 64 channels, 8 gated layers, 30,000 updates.
     *
     * @return the preset
     */
    public static PixelCnnPreset binarized28Long() {
        return of(64, 8, 30_000);
    }

    private static PixelCnnPreset of(int hidden, int layers, long steps) {
        double lr = 2e-3;
        return new PixelCnnPreset(new PixelCnnConfig(28, 28, PixelCnnConfig.Architecture.GATED, hidden, layers, 7, 3,
                PixelOutput.BERNOULLI, 1, 0), TrainingRecipe.of(steps, 32, lr, lr * 0.05, 0, 10));
    }

    /**
     * @param height image height
     * @param width image width
     * @return a copy for images of that size, everything else equal
     */
    public PixelCnnPreset withSize(int height, int width) {
        PixelCnnConfig c = config;
        return new PixelCnnPreset(new PixelCnnConfig(height, width, c.architecture(), c.hidden(), c.layers(),
                c.firstKernel(), c.kernel(), c.output(), c.mixtures(), c.classes()), training);
    }

    /**
     * @param recipe another training recipe
     * @return a copy with that recipe
     */
    public PixelCnnPreset withTraining(TrainingRecipe recipe) {
        return new PixelCnnPreset(config, recipe);
    }
}
