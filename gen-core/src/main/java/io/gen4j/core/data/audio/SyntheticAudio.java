package io.gen4j.core.data.audio;

/**
 * A synthetic waveform whose generator is fully known (a record of its parameters and seed), so
 * that a model's samples can be compared with the exact source.
 */
public sealed interface SyntheticAudio permits SineMixture, Chirp {

    /** @return samples per second */
    int sampleRate();

    /** @return the duration in seconds */
    double durationSeconds();

    /**
     * Renders the waveform (deterministic: the noise comes from the record's seed).
     *
     * @return {@link #sampleCount()} samples
     */
    float[] render();

    /** @return {@code round(sampleRate * durationSeconds)} */
    default int sampleCount() {
        return (int) Math.round(sampleRate() * durationSeconds());
    }
}
