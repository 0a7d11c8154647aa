package io.gen4j.core.data.audio;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A sum of sinusoids plus white Gaussian noise:
 *
 * <pre>
 *   x[n] = sum_k a_k sin(2 pi f_k n / sampleRate + phi_k) + noiseStd * eps_n,  eps_n ~ N(0, 1)
 * </pre>
 *
 * The noise is drawn from {@code new Random(seed)}, so the record is the whole generator.
 *
 * @param sampleRate samples per second, at least 1
 * @param durationSeconds duration, positive
 * @param tones the sinusoids, each below the Nyquist frequency {@code sampleRate / 2}
 * @param noiseStd the standard deviation of the added noise, at least 0
 * @param seed the noise seed
 */
public record SineMixture(
        int sampleRate, double durationSeconds, List<Tone> tones, double noiseStd, long seed)
        implements SyntheticAudio {

    /** Validates the parameters and copies the tone list. */
    public SineMixture {
        AudioChecks.validate(sampleRate, durationSeconds, noiseStd);
        tones = List.copyOf(tones);
        for (Tone t : tones) {
            AudioChecks.checkFrequency("tone frequency", t.frequencyHz(), sampleRate);
        }
    }

    /**
     * Draws a random generator: {@code count} tones with log-uniform frequencies in {@code [minHz,
     * maxHz]}, amplitudes uniform in [0.1, 1] rescaled so that they sum to {@code peak}, phases
     * uniform in [0, 2 pi). The returned record is the known generator of the clip.
     *
     * @param sampleRate samples per second
     * @param durationSeconds duration
     * @param count the number of tones, at least 1
     * @param minHz lowest frequency, positive
     * @param maxHz highest frequency, below Nyquist and at least {@code minHz}
     * @param peak the sum of amplitudes (a bound on |x| without noise), positive
     * @param noiseStd the noise standard deviation
     * @param seed the seed of both the parameters and the noise
     * @return the generator
     */
    public static SineMixture random(
            int sampleRate,
            double durationSeconds,
            int count,
            double minHz,
            double maxHz,
            double peak,
            double noiseStd,
            long seed) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be >= 1, got " + count);
        }
        if (!(minHz > 0) || !(maxHz >= minHz)) {
            throw new IllegalArgumentException(
                    "need 0 < minHz <= maxHz, got minHz=" + minHz + ", maxHz=" + maxHz);
        }
        if (!(peak > 0)) {
            throw new IllegalArgumentException("peak must be positive, got " + peak);
        }
        Random random = new Random(seed);
        double[] amps = new double[count];
        double sum = 0;
        for (int k = 0; k < count; k++) {
            amps[k] = 0.1 + 0.9 * random.nextDouble();
            sum += amps[k];
        }
        List<Tone> tones = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            double f = minHz * Math.pow(maxHz / minHz, random.nextDouble());
            tones.add(new Tone(f, peak * amps[k] / sum, 2 * Math.PI * random.nextDouble()));
        }
        return new SineMixture(sampleRate, durationSeconds, tones, noiseStd, random.nextLong());
    }

    @Override
    public float[] render() {
        int n = sampleCount();
        float[] out = new float[n];
        Random noise = new Random(seed);
        for (int i = 0; i < n; i++) {
            double t = (double) i / sampleRate;
            double v = 0;
            for (Tone tone : tones) {
                v += tone.amplitude() * Math.sin(2 * Math.PI * tone.frequencyHz() * t + tone.phase());
            }
            if (noiseStd > 0) {
                v += noiseStd * noise.nextGaussian();
            }
            out[i] = (float) v;
        }
        return out;
    }
}
