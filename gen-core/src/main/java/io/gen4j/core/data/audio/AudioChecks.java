package io.gen4j.core.data.audio;

/** Parameter checks shared by the {@link SyntheticAudio} generators. */
final class AudioChecks {

    private AudioChecks() {}

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
