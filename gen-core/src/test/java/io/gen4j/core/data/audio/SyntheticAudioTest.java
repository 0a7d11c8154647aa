package io.gen4j.core.data.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.data.TensorBatches;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyntheticAudioTest {

    /** Power of the signal at frequency f (Goertzel / single DFT bin). */
    static double power(float[] x, double f, int sampleRate) {
        double re = 0;
        double im = 0;
        for (int n = 0; n < x.length; n++) {
            double a = 2 * Math.PI * f * n / sampleRate;
            re += x[n] * Math.cos(a);
            im -= x[n] * Math.sin(a);
        }
        return (re * re + im * im) / ((double) x.length * x.length);
    }

    @Test
    void sineMixtureMatchesFormula() {
        SineMixture s = new SineMixture(8000, 0.25,
                List.of(new Tone(440, 0.5, 0.3), new Tone(1000, 0.25, 0)), 0, 1);
        float[] x = s.render();
        assertEquals(2000, x.length);
        int n = 123;
        double t = n / 8000.0;
        double expected = 0.5 * Math.sin(2 * Math.PI * 440 * t + 0.3) + 0.25 * Math.sin(2 * Math.PI * 1000 * t);
        assertEquals(expected, x[n], 1e-6);
        // amplitude a appears as power a^2 / 4 in its DFT bin (integer number of periods)
        assertEquals(0.0625, power(x, 440, 8000), 1e-3);
        assertEquals(0.015625, power(x, 1000, 8000), 1e-3);
        assertTrue(power(x, 700, 8000) < 1e-3);
    }

    @Test
    void noiseIsSeededWithTheRightStd() {
        SineMixture s = new SineMixture(16000, 1.0, List.of(), 0.1, 5);
        float[] x = s.render();
        assertArrayEquals(x, s.render());
        double sum = 0;
        double sq = 0;
        for (float v : x) {
            sum += v;
            sq += v * v;
        }
        double mean = sum / x.length;
        assertEquals(0.0, mean, 0.003);
        assertEquals(0.1, Math.sqrt(sq / x.length - mean * mean), 0.003);
        float[] other = new SineMixture(16000, 1.0, List.of(), 0.1, 6).render();
        assertTrue(other[0] != x[0] || other[1] != x[1]);
    }

    @Test
    void randomGeneratorIsKnownAndSeeded() {
        SineMixture a = SineMixture.random(16000, 0.1, 3, 100, 2000, 0.9, 0.01, 42);
        SineMixture b = SineMixture.random(16000, 0.1, 3, 100, 2000, 0.9, 0.01, 42);
        assertEquals(a, b);
        assertEquals(3, a.tones().size());
        double sum = 0;
        for (Tone t : a.tones()) {
            assertTrue(t.frequencyHz() >= 100 && t.frequencyHz() <= 2000);
            sum += t.amplitude();
        }
        assertEquals(0.9, sum, 1e-12);
        float[] x = a.render();
        for (float v : x) {
            assertTrue(Math.abs(v) < 0.9 + 0.06);
        }
    }

    @Test
    void chirpSweepsLinearly() {
        Chirp c = new Chirp(16000, 1.0, 200, 2200, 0.8, 0, 0, 0);
        assertEquals(1200, c.frequencyAt(0.5), 1e-9);
        float[] x = c.render();
        // count zero crossings in a 50 ms window: about 2 f(t) * 0.05
        for (double t0 : new double[] {0.1, 0.5, 0.9}) {
            int from = (int) (t0 * 16000);
            int crossings = 0;
            for (int i = from + 1; i < from + 800; i++) {
                if ((x[i - 1] < 0) != (x[i] < 0)) {
                    crossings++;
                }
            }
            double f = c.frequencyAt(t0 + 0.025);
            assertEquals(2 * f * 0.05, crossings, 2.5, "at t=" + t0);
        }
        assertEquals(0.0, x[0], 1e-7);
    }

    @Test
    void validation() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SineMixture(8000, 1, List.of(new Tone(4000, 1, 0)), 0, 0));
        assertTrue(e.getMessage().contains("below Nyquist"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Chirp(8000, 0, 1, 2, 1, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Tone(100, -1, 0));
        assertThrows(IllegalArgumentException.class, () -> new SineMixture(8000, 1, List.of(), -0.1, 0));
    }

    @Test
    void clipsBecomeBatches() {
        List<SyntheticAudio> clips = List.of(
                new Chirp(8000, 0.01, 100, 200, 1, 0, 0, 0),
                new SineMixture(8000, 0.01, List.of(new Tone(300, 1, 0)), 0, 0),
                new SineMixture(8000, 0.01, List.of(new Tone(500, 1, 0)), 0, 0));
        TensorBatches batches = AudioClips.batches(clips, 2, 1, true);
        try (NDManager m = NDManager.newBaseManager()) {
            NDList b = batches.next(m);
            assertEquals(new Shape(2, 1, 80), b.get(0).getShape());
        }
        assertThrows(IllegalArgumentException.class, () -> AudioClips.render(List.of(
                new Chirp(8000, 0.01, 100, 200, 1, 0, 0, 0), new Chirp(8000, 0.02, 100, 200, 1, 0, 0, 0))));
    }
}
