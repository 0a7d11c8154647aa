package io.gen4j.autoregressive;

import io.gen4j.core.train.TrainingRecipe;
import java.util.Objects;

/**
 * A WaveNet and how to train it: the settings of the course's topic 11-10's audio part (synthetic sine
 * mixtures, μ-law classes), so that code outside the CLI gets what the topic measured
 * (docs/topics/11-10-autoregressive.md).
 *
 * <p>Training is Adam on the recipe's schedule: no warm-up, cosine decay from 3e-3 to 1e-4, gradient-norm
 * clip 10.
 *
 * @param config the network
 * @param sampleRate samples per second of the audio it is made for
 * @param training steps, batch (clips per update), learning rates, clip
 */
public record WaveNetPreset(WaveNetConfig config, int sampleRate, TrainingRecipe training) {

    /** Validates the parts. */
    public WaveNetPreset {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(training, "training");
        if (sampleRate < 1) {
            throw new IllegalArgumentException("sampleRate must be >= 1, got " + sampleRate);
        }
    }

    /**
     * Topic 11-10's WaveNet at the CPU profile, for 4 kHz audio: 32 residual and 64 skip channels, one
     * stack of 8 dilated layers of kernel 2 (receptive field 256 samples), 256 μ-law classes; 500 Adam
     * updates of 16 clips, 3e-3 decaying to 1e-4 on a cosine, clip 10.
     *
     * @return the preset
     */
    public static WaveNetPreset audio4k() {
        return new WaveNetPreset(new WaveNetConfig(32, 64, 8, 1, 2, 256), 4000, TrainingRecipe.of(500, 16, 3e-3, 1e-4, 0, 10));
    }

    /**
     * The topic's GPU profile, for 16 kHz audio: 64 residual and 128 skip channels, 3 stacks of 10 layers,
     * 50,000 updates of 32 clips.
     *
     * @return the preset
     */
    public static WaveNetPreset audio16k() {
        return new WaveNetPreset(new WaveNetConfig(64, 128, 10, 3, 2, 256), 16_000,
                TrainingRecipe.of(50_000, 32, 3e-3, 1e-4, 0, 10));
    }

    /**
     * @param clipLength L, samples per training clip
     * @return the model's description for clips of that length
     */
    public WaveNetSpec spec(int clipLength) {
        return WaveNetSpec.of(config, sampleRate, clipLength);
    }

    /**
     * @param recipe another training recipe
     * @return a copy with that recipe
     */
    public WaveNetPreset withTraining(TrainingRecipe recipe) {
        return new WaveNetPreset(config, sampleRate, recipe);
    }
}
