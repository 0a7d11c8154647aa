package io.gen4j.autoregressive;

import io.gen4j.core.train.TrainingRecipe;
import java.util.Objects;

/**
 * A MADE and how to train it: the settings of the course's topic 11-10 (and of the family comparison,
 * {@code gen4j compare}) on binarised 28×28 images, so that code outside the CLI gets
 * what the topic measured (docs/topics/11-10-autoregressive.md has the figures and a complete snippet).
 *
 * <p>Training is Adam on the recipe's schedule: no warm-up, cosine decay from the peak rate to 5 % of it,
 * gradient-norm clip 10.
 *
 * @param config the network: D, hidden width and depth, output, ordering, masks
 * @param training steps, batch, learning rates, clip
 */
public record MadePreset(MadeConfig config, TrainingRecipe training) {

    /** Validates the parts. */
    public MadePreset {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(training, "training");
    }

    /**
     * Topic 11-10's MADE at the CPU profile, for binarised 28×28 images (D = 784) in {0, 1}: two hidden
     * layers of 500 units, Bernoulli conditionals, the natural order, one mask set (mask seed 7); 1500 Adam
     * updates of 64 images, 1e-3 decaying to 5e-5 on a cosine, clip 10.
     *
     * @return the preset
     */
    public static MadePreset binarized28() {
        return of(784, 500, 1500);
    }

    /**
     * The same at the GPU profile: two hidden layers of 1000 units, 30,000 updates.
     *
     * @return the preset
     */
    public static MadePreset binarized28Long() {
        return of(784, 1000, 30_000);
    }

    private static MadePreset of(int dims, int hidden, long steps) {
        double lr = 1e-3;
        return new MadePreset(new MadeConfig(dims, hidden, 2, MadeOutput.BERNOULLI, 1, MadeOrdering.NATURAL, 1, 7),
                TrainingRecipe.of(steps, 64, lr, lr * 0.05, 0, 10));
    }

    /**
     * @param dims D, the pixels of another image size (H·W)
     * @return a copy for that many dimensions, everything else equal
     */
    public MadePreset withDims(int dims) {
        MadeConfig c = config;
        return new MadePreset(new MadeConfig(dims, c.hidden(), c.layers(), c.output(), c.components(), c.ordering(),
                c.maskSets(), c.seed()), training);
    }

    /**
     * @param recipe another training recipe
     * @return a copy with that recipe
     */
    public MadePreset withTraining(TrainingRecipe recipe) {
        return new MadePreset(config, recipe);
    }
}
