package io.gen4j.core.data.toy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class Toy2dTest {

    /** Midpoint-rule integral of p over the toy's box with cells at most {@code h} wide. */
    static double integral(Toy2d toy, int n) {
        Box b = toy.box();
        double[][] grid = toy.densityGrid(n, n);
        double sum = 0;
        for (double[] row : grid) {
            for (double v : row) {
                sum += v;
            }
        }
        return sum * b.area() / ((double) n * n);
    }

    @ParameterizedTest
    @EnumSource(Toy2dKind.class)
    void defaultDensitiesIntegrateToOne(Toy2dKind kind) {
        assertEquals(1.0, integral(kind.create(), 200), 2e-3, kind.id());
    }

    @Property(tries = 25, seed = "42")
    void gaussianMixturesIntegrateToOne(
            @ForAll @IntRange(min = 1, max = 9) int modes,
            @ForAll @DoubleRange(min = 0, max = 3) double radius,
            @ForAll @DoubleRange(min = 0.1, max = 1) double sigma) {
        Toy2d toy = new EightGaussians(modes, radius, sigma);
        int n = (int) Math.ceil(toy.box().width() / (sigma / 2));
        assertEquals(1.0, integral(toy, n), 1e-3);
    }

    @Property(tries = 25, seed = "43")
    void ringsIntegrateToOne(
            @ForAll @IntRange(min = 1, max = 5) int count,
            @ForAll @DoubleRange(min = 0.5, max = 2) double minRadius,
            @ForAll @DoubleRange(min = 0, max = 2) double extra,
            @ForAll @DoubleRange(min = 0.1, max = 0.3) double sigmaOverRadius) {
        // sigma <= 0.3 r keeps the integrable 1/s singularity at the origin negligible for a grid rule
        double sigma = sigmaOverRadius * minRadius;
        Toy2d toy = new Rings(count, minRadius, count == 1 ? minRadius : minRadius + extra, sigma);
        int n = 2 * (int) Math.ceil(toy.box().width() / (sigma / 1.5)); // even: no midpoint at s = 0
        assertEquals(1.0, integral(toy, n), 1e-3);
    }

    @Property(tries = 10, seed = "44")
    void checkerboardsIntegrateToOne(
            @ForAll @IntRange(min = 1, max = 4) int halfCells,
            @ForAll @DoubleRange(min = 0.1, max = 3) double cellSize) {
        Toy2d toy = new Checkerboard(2 * halfCells, cellSize);
        assertEquals(1.0, integral(toy, 2 * halfCells * 25), 1e-9);
    }

    @ParameterizedTest
    @EnumSource(Toy2dKind.class)
    void samplesMatchDensityHistogram(Toy2dKind kind) {
        Toy2d toy = kind.create();
        int bins = 6;
        int fine = 20;
        double[][] grid = toy.densityGrid(bins * fine, bins * fine);
        Box b = toy.box();
        double cell = b.area() / ((double) bins * fine * bins * fine);
        double[][] expected = new double[bins][bins];
        for (int j = 0; j < bins * fine; j++) {
            for (int i = 0; i < bins * fine; i++) {
                expected[j / fine][i / fine] += grid[j][i] * cell;
            }
        }
        int n = 20_000;
        double[][] x = toy.sample(n, 7L);
        double[][] observed = new double[bins][bins];
        for (double[] p : x) {
            int i = (int) Math.floor((p[0] - b.xMin()) / b.width() * bins);
            int j = (int) Math.floor((p[1] - b.yMin()) / b.height() * bins);
            if (i >= 0 && i < bins && j >= 0 && j < bins) {
                observed[j][i] += 1.0 / n;
            }
        }
        double tv = 0;
        for (int j = 0; j < bins; j++) {
            for (int i = 0; i < bins; i++) {
                tv += Math.abs(observed[j][i] - expected[j][i]) / 2;
            }
        }
        assertTrue(tv < 0.02, kind.id() + " total variation " + tv);
    }

    @Test
    void singleGaussianEntropyIsClosedForm() {
        double sigma = 0.7;
        OracleEntropy.Estimate e = OracleEntropy.estimate(new EightGaussians(1, 2.0, sigma), 20_000, 1);
        double exact = 1 + Math.log(2 * Math.PI) + 2 * Math.log(sigma);
        assertEquals(exact, e.nats(), 4 * e.standardError());
        assertTrue(e.standardError() < 0.01, "se " + e.standardError());
        OracleEntropy.Estimate centred = OracleEntropy.estimate(new EightGaussians(8, 0.0, sigma), 20_000, 2);
        assertEquals(exact, centred.nats(), 4 * centred.standardError());
    }

    @Test
    void separatedMixtureEntropyAddsLogModes() {
        double sigma = 0.05;
        OracleEntropy.Estimate e = OracleEntropy.estimate(new EightGaussians(8, 3.0, sigma), 20_000, 3);
        double exact = Math.log(8) + 1 + Math.log(2 * Math.PI) + 2 * Math.log(sigma);
        assertEquals(exact, e.nats(), 4 * e.standardError() + 1e-6);
    }

    @Test
    void checkerboardEntropyIsLogArea() {
        OracleEntropy.Estimate e = OracleEntropy.of(Checkerboard.defaults());
        assertEquals(Math.log(8), e.nats(), 1e-12);
        assertEquals(0.0, e.standardError(), 1e-12);
        assertEquals(3.0, e.bits(), 1e-12);
        assertSame(e, OracleEntropy.of(new Checkerboard(4, 1.0)));
    }

    @Test
    void thinRingEntropyIsLengthTimesGaussian() {
        double r = 5;
        double sigma = 0.05;
        OracleEntropy.Estimate e = OracleEntropy.estimate(new Rings(1, r, r, sigma), 20_000, 4);
        double approx = Math.log(2 * Math.PI * r) + 0.5 * (1 + Math.log(2 * Math.PI) + 2 * Math.log(sigma));
        assertEquals(approx, e.nats(), 4 * e.standardError() + 1e-3);
    }

    @Test
    void moonsQuadratureMatchesBruteForce() {
        Moons moons = new Moons(0.08);
        double[][] points = {{0, 1}, {1, -0.5}, {0.5, 0.25}, {2.5, 2.5}, {-1.05, 0.02}};
        for (double[] p : points) {
            int m = 200_000;
            double sum = 0;
            for (int i = 0; i < m; i++) {
                double t = Math.PI * (i + 0.5) / m;
                sum += gauss(p, Math.cos(t), Math.sin(t), 0.08) + gauss(p, 1 - Math.cos(t), 0.5 - Math.sin(t), 0.08);
            }
            double brute = Math.log(sum / (2.0 * m));
            // within 1e-6 in log near the data; the far point (log p = -336) within 1e-3
            assertEquals(brute, moons.logDensity(p[0], p[1]), Math.abs(brute) > 50 ? 1e-3 : 1e-6,
                    "at " + p[0] + "," + p[1]);
        }
    }

    private static double gauss(double[] p, double cx, double cy, double s) {
        double d2 = (p[0] - cx) * (p[0] - cx) + (p[1] - cy) * (p[1] - cy);
        return Math.exp(-d2 / (2 * s * s)) / (2 * Math.PI * s * s);
    }

    @Test
    void checkerboardSupport() {
        Checkerboard c = Checkerboard.defaults();
        assertEquals(-Math.log(8), c.logDensity(-1.5, -1.5));
        assertEquals(Double.NEGATIVE_INFINITY, c.logDensity(-0.5, -1.5));
        assertEquals(Double.NEGATIVE_INFINITY, c.logDensity(2.5, 0));
        for (double[] p : c.sample(2000, 5L)) {
            assertTrue(c.logDensity(p[0], p[1]) > Double.NEGATIVE_INFINITY);
        }
    }

    @ParameterizedTest
    @EnumSource(Toy2dKind.class)
    void samplingIsSeeded(Toy2dKind kind) {
        Toy2d toy = kind.create();
        assertArrayEquals(toy.sampleFlat(50, 9L), toy.sampleFlat(50, 9L));
        float[] f = toy.sampleFlat(3, 1L);
        double[][] d = toy.sample(3, 1L);
        assertEquals((float) d[2][1], f[5]);
    }

    @Test
    void validationAndNames() {
        assertThrows(IllegalArgumentException.class, () -> new Moons(0));
        assertThrows(IllegalArgumentException.class, () -> new Checkerboard(3, 1));
        assertThrows(IllegalArgumentException.class, () -> new Rings(1, 1, 2, 0.1));
        assertThrows(IllegalArgumentException.class, () -> new EightGaussians(0, 1, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TwoSpirals(1, 2, 1, 0.1));
        assertTrue(e.getMessage().contains("tMin=2.0"));
        assertEquals(Toy2dKind.TWO_SPIRALS, Toy2dKind.parse("two-spirals"));
        assertEquals(Toy2dKind.SWISS_ROLL, Toy2dKind.parse("SWISS_ROLL"));
        assertThrows(IllegalArgumentException.class, () -> Toy2dKind.parse("blob"));
    }
}
