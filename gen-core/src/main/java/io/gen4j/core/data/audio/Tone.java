package io.gen4j.core.data.audio;

/**
 * One sinusoid {@code amplitude * sin(2 pi frequencyHz t + phase)}.
 *
 * @param frequencyHz the frequency in Hz, at least 0
 * @param amplitude the amplitude, at least 0
 * @param phase the phase in radians
 */
public record Tone(double frequencyHz, double amplitude, double phase) {

    /** Validates the parameters. */
    public Tone {
        if (!(frequencyHz >= 0) || Double.isInfinite(frequencyHz)) {
            throw new IllegalArgumentException("frequencyHz must be >= 0 and finite, got " + frequencyHz);
        }
        if (!(amplitude >= 0) || Double.isInfinite(amplitude)) {
            throw new IllegalArgumentException("amplitude must be >= 0 and finite, got " + amplitude);
        }
        if (!Double.isFinite(phase)) {
            throw new IllegalArgumentException("phase must be finite, got " + phase);
        }
    }
}
