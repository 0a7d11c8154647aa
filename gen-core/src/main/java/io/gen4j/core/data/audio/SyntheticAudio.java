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

    /** Checks the parameters shared by all generators. */
    static void validate(int sampleRate, double durationSeconds, double noiseStd) {
        if (sampleRate < 1) {
            throw new IllegalArgumentException("sampleRate must be >= 1 Hz, got " + sampleRate);
        }
        if (!(durationSeconds > 0) || Double.isInfinite(durationSeconds)
                || sampleRate * durationSeconds > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(
                    "durationSeconds must be positive and fit in an array, got " + durationSeconds);
        }
        if (!(noiseStd >= 0) || Double.isInfinite(noiseStd)) {
            throw new IllegalArgumentException("noiseStd must be >= 0 and finite, got " + noiseStd);
        }
    }

    /** Checks a frequency against the Nyquist limit. */
    static void checkFrequency(String name, double hz, int sampleRate) {
        if (!(hz >= 0) || hz >= sampleRate / 2.0) {
            throw new IllegalArgumentException(
                    name + " must be in [0, " + sampleRate / 2.0 + ") Hz (below Nyquist), got " + hz);
        }
    }
}
