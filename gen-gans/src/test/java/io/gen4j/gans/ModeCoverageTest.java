package io.gen4j.gans;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gen4j.core.data.toy.EightGaussians;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Mode coverage on samples whose answer is known. */
class ModeCoverageTest {

    static final EightGaussians RING = EightGaussians.defaults();
    static final double[][] MEANS = ModeCoverage.means(RING);

    @Test
    void allSamplesOnOneModeCoverOneWithReverseKlLogK() {
        double[][] s = new double[100][];
        for (int i = 0; i < s.length; i++) {
            s[i] = MEANS[3].clone();
        }
        ModeCoverage c = ModeCoverage.measure(s, MEANS, RING.sigma(), ModeCoverage.DEFAULT_MIN_SHARE);
        assertEquals(1, c.covered());
        assertEquals(1.0, c.highQualityFraction());
        assertEquals(Math.log(8), c.reverseKl(), 1e-12);
    }

    @Test
    void twoModesEquallyGiveLogFourAndFarPointsAreLowQuality() {
        double[][] s = new double[40][];
        for (int i = 0; i < 30; i++) {
            s[i] = MEANS[i % 2].clone();
        }
        for (int i = 30; i < 40; i++) {
            s[i] = new double[] {0, 0}; // the centre: 2 from every mode = 5.7σ
        }
        ModeCoverage c = ModeCoverage.measure(s, MEANS, RING.sigma(), ModeCoverage.DEFAULT_MIN_SHARE);
        assertEquals(2, c.covered());
        assertEquals(0.75, c.highQualityFraction(), 1e-12);
        assertEquals(Math.log(4), c.reverseKl(), 1e-12);
    }

    @Test
    void theTrueMixtureCoversEveryModeWithTheGaussianShareWithin3Sigma() {
        double[][] s = RING.sample(40_000, new Random(1));
        ModeCoverage c = ModeCoverage.measure(s, MEANS, RING.sigma(), ModeCoverage.DEFAULT_MIN_SHARE);
        assertEquals(8, c.covered());
        // P(|x − μ| <= 3σ) in 2-D = 1 − e^{−9/2} = 0.98889; the standard error at N = 40000 is 5e-4
        assertEquals(1 - Math.exp(-4.5), c.highQualityFraction(), 0.003);
        // multinomial noise only: E[KL] ≈ (K − 1)/(2N) = 9e-5
        assertEquals(0, c.reverseKl(), 1e-3);
    }

    @Test
    void aStrayModeWithOneSampleIsNotCovered() {
        double[][] s = new double[801][];
        for (int i = 0; i < 800; i++) {
            s[i] = MEANS[i % 4].clone();
        }
        s[800] = MEANS[6].clone();
        ModeCoverage c = ModeCoverage.measure(s, MEANS, RING.sigma(), ModeCoverage.DEFAULT_MIN_SHARE);
        assertEquals(4, c.covered());
        assertEquals(1, c.counts()[6]);
    }

    @Test
    void theGridHas25ModesCoveredByItsOwnSamples() {
        GaussianGrid grid = GaussianGrid.defaults();
        ModeCoverage c = ModeCoverage.measure(grid.sample(20_000, new Random(2)), grid.means(), grid.sigma(),
                ModeCoverage.DEFAULT_MIN_SHARE);
        assertEquals(25, c.covered());
        assertEquals(1 - Math.exp(-4.5), c.highQualityFraction(), 0.004);
    }
}
