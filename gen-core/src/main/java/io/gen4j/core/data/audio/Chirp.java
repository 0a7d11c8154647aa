package io.gen4j.core.data.audio;

import java.util.Random;

/**
 * A linear chirp (frequency sweep) plus white Gaussian noise:
 *
 * <pre>
 *   f(t) = startHz + (endHz - startHz) t / T
 *   x(t) = amplitude * sin(2 pi (startHz t + (endHz - startHz) t^2 / (2 T)) + phase) + noiseStd * eps
 * </pre>
 *
 * where {@code T} is the duration; the phase argument is the integral of {@code 2 pi f(t)}.
 *
 * @param sampleRate samples per second, at least 1
 * @param durationSeconds duration T, positive
 * @param startHz frequency at t = 0, below Nyquist
 * @param endHz frequency at t = T, below Nyquist
 * @param amplitude the amplitude, at least 0
 * @param phase the phase at t = 0, radians
 * @param noiseStd the standard deviation of the added noise, at least 0
 * @param seed the noise seed
 */
public record Chirp(
        int sampleRate,
        double durationSeconds,
        double startHz,
        double endHz,
        double amplitude,
        double phase,
        double noiseStd,
        long seed)
        implements SyntheticAudio {

    /** Validates the parameters. */
    public Chirp {
        AudioChecks.validate(sampleRate, durationSeconds, noiseStd);
        AudioChecks.checkFrequency("startHz", startHz, sampleRate);
        AudioChecks.checkFrequency("endHz", endHz, sampleRate);
        if (!(amplitude >= 0) || Double.isInfinite(amplitude)) {
            throw new IllegalArgumentException("amplitude must be >= 0 and finite, got " + amplitude);
        }
        if (!Double.isFinite(phase)) {
            throw new IllegalArgumentException("phase must be finite, got " + phase);
        }
    }

    /**
     * @param t time in seconds
     * @return the instantaneous frequency {@code f(t)} in Hz
     */
    public double frequencyAt(double t) {
        return startHz + (endHz - startHz) * t / durationSeconds;
    }

    @Override
    public float[] render() {
        int n = sampleCount();
        float[] out = new float[n];
        Random noise = new Random(seed);
        double sweep = (endHz - startHz) / (2 * durationSeconds);
        for (int i = 0; i < n; i++) {
            double t = (double) i / sampleRate;
            double v = amplitude * Math.sin(2 * Math.PI * (startHz * t + sweep * t * t) + phase);
            if (noiseStd > 0) {
                v += noiseStd * noise.nextGaussian();
            }
            out[i] = (float) v;
        }
        return out;
    }
}
