package io.gen4j.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class NoiseScheduleTest {

    @ParameterizedTest
    @EnumSource(value = NoiseSchedule.Type.class, names = {"LINEAR", "COSINE"})
    void alphaBarIsStrictlyDecreasingFromNearOneToNearZero(NoiseSchedule.Type type) {
        NoiseSchedule s = type.create(1000);
        assertEquals(1000, s.steps());
        assertEquals(1.0, s.alphaBar(-1));
        assertEquals(1.0 - s.beta(0), s.alphaBar(0), 1e-15);
        assertTrue(s.alphaBar(0) > 0.999, "alphaBar(0) = " + s.alphaBar(0));
        assertTrue(s.alphaBar(999) < 1e-4, "alphaBar(T-1) = " + s.alphaBar(999));
        assertTrue(s.alphaBar(999) > 0);
        for (int t = 1; t < 1000; t++) {
            assertTrue(s.alphaBar(t) < s.alphaBar(t - 1), "not decreasing at t=" + t);
            assertTrue(s.snr(t) < s.snr(t - 1));
            assertEquals(s.alphaBar(t - 1) * (1 - s.beta(t)), s.alphaBar(t), 1e-14);
        }
    }

    @Test
    void linearHasHoEtAlEndpoints() {
        NoiseSchedule s = NoiseSchedule.linear(1000);
        assertEquals(1e-4, s.beta(0), 1e-15);
        assertEquals(0.02, s.beta(999), 1e-15);
        assertEquals(NoiseSchedule.Type.LINEAR, s.type());
        // Known value: alphaBar_{T-1} of Ho et al.'s schedule is about 4.04e-5.
        assertEquals(4.04e-5, s.alphaBar(999), 0.05e-5);
    }

    @Test
    void cosineFollowsTheClosedFormAlphaBar() {
        NoiseSchedule s = NoiseSchedule.cosine(1000);
        double f0 = Math.pow(Math.cos(0.008 / 1.008 * Math.PI / 2), 2);
        for (int t : new int[] {0, 100, 500, 900}) {
            double u = (t + 1) / 1000.0;
            double expected = Math.pow(Math.cos((u + 0.008) / 1.008 * Math.PI / 2), 2) / f0;
            assertEquals(expected, s.alphaBar(t), 1e-9, "t=" + t);
        }
        assertTrue(s.beta(999) <= 0.999);
    }

    @ParameterizedTest
    @EnumSource(value = NoiseSchedule.Type.class, names = {"LINEAR", "COSINE"})
    void posteriorMatchesBayesRule(NoiseSchedule.Type type) {
        NoiseSchedule s = type.create(200);
        assertEquals(0.0, s.posteriorVariance(0));
        for (int t = 1; t < 200; t += 7) {
            // q(x_{t-1}|x_t,x0) ∝ N(x_t; √α_t x_{t-1}, β_t) · N(x_{t-1}; √ᾱ_{t-1} x0, 1-ᾱ_{t-1})
            double precision = s.alpha(t) / s.beta(t) + 1.0 / (1.0 - s.alphaBar(t - 1));
            double var = 1.0 / precision;
            assertEquals(var, s.posteriorVariance(t), 1e-12 * Math.max(1, var));
            double coefXt = var * Math.sqrt(s.alpha(t)) / s.beta(t);
            double coefX0 = var * Math.sqrt(s.alphaBar(t - 1)) / (1.0 - s.alphaBar(t - 1));
            assertEquals(coefXt, s.posteriorMeanCoefXt(t), 1e-9);
            assertEquals(coefX0, s.posteriorMeanCoefX0(t), 1e-9);
            assertTrue(s.posteriorVariance(t) <= s.beta(t));
        }
    }

    @Test
    void rejectsBadArgumentsWithTheValidRange() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> NoiseSchedule.linear(1));
        assertTrue(e.getMessage().contains("got 1"));
        assertThrows(IllegalArgumentException.class, () -> NoiseSchedule.linear(10, 0.5, 0.1));
        assertThrows(IllegalArgumentException.class, () -> NoiseSchedule.cosine(10, 1.5));
        NoiseSchedule s = NoiseSchedule.linear(10);
        e = assertThrows(IllegalArgumentException.class, () -> s.beta(10));
        assertTrue(e.getMessage().contains("[0, 9]"));
        assertThrows(IllegalArgumentException.class, () -> s.alphaBar(-2));
    }

    @Test
    void arraysAreDefensiveCopies() {
        NoiseSchedule s = NoiseSchedule.linear(10);
        s.betas()[0] = 42;
        s.alphaBars()[0] = 42;
        assertEquals(s.beta(0), s.betas()[0]);
        assertEquals(NoiseSchedule.linear(10), s);
    }

    @Test
    void fromBetasFollowsTheRunningProduct() {
        NoiseSchedule s = NoiseSchedule.fromBetas(new double[] {0.1, 0.2, 0.5});
        assertEquals(NoiseSchedule.Type.CUSTOM, s.type());
        assertEquals(3, s.steps());
        // ᾱ = 0.9, 0.9·0.8, 0.9·0.8·0.5
        assertEquals(0.9, s.alphaBar(0), 1e-15);
        assertEquals(0.72, s.alphaBar(1), 1e-15);
        assertEquals(0.36, s.alphaBar(2), 1e-15);
        assertEquals(0.36 / 0.64, s.snr(2), 1e-14);
        // β̃_2 = (1 − ᾱ_1)/(1 − ᾱ_2)·β_2 = 0.28/0.64·0.5
        assertEquals(0.28 / 0.64 * 0.5, s.posteriorVariance(2), 1e-15);
    }

    @Test
    void fromAlphaBarsTakesRatiosOfConsecutiveValues() {
        NoiseSchedule s = NoiseSchedule.fromAlphaBars(new double[] {0.9, 0.72, 0.36});
        assertEquals(NoiseSchedule.Type.CUSTOM, s.type());
        // β_t = 1 − ᾱ_t/ᾱ_{t−1}, ᾱ_{−1} = 1
        assertArrayEquals(new double[] {0.1, 0.2, 0.5}, s.betas(), 1e-15);
        assertArrayEquals(new double[] {0.9, 0.72, 0.36}, s.alphaBars(), 1e-15);
    }

    @Test
    void betasToAlphaBarsToBetasRoundTrips() {
        for (NoiseSchedule s : new NoiseSchedule[] {NoiseSchedule.linear(1000),
                NoiseSchedule.cosine(1000), NoiseSchedule.linear(50, 1e-3, 0.3),
                NoiseSchedule.cosine(300, 0.02)}) {
            NoiseSchedule rebuilt = NoiseSchedule.fromAlphaBars(s.alphaBars());
            double[] expected = s.betas();
            double[] actual = rebuilt.betas();
            for (int t = 0; t < s.steps(); t++) {
                // 1 − ᾱ_t/ᾱ_{t−1} loses about ulp(1)/β_t of relative precision.
                assertEquals(expected[t], actual[t], 1e-10 * expected[t], s + " beta at t=" + t);
                assertEquals(s.alphaBar(t), rebuilt.alphaBar(t), 1e-12 * s.alphaBar(t),
                        s + " alphaBar at t=" + t);
            }
            NoiseSchedule fromBetas = NoiseSchedule.fromBetas(s.betas());
            assertEquals(s, fromBetas);
            assertEquals(s.hashCode(), fromBetas.hashCode());
            // Same β, same running product: bit-identical ᾱ.
            assertArrayEquals(s.alphaBars(), fromBetas.alphaBars(), 0.0);
        }
    }

    /**
     * The storage recipe of the javadoc: (type, steps) when that rebuilds the schedule, the β
     * array otherwise; non-default parameters must not collapse onto the defaults.
     */
    @Test
    void schedulesRebuildExactlyFromTypeAndStepsOrFromTheirBetas() {
        NoiseSchedule[] all = {NoiseSchedule.linear(1000), NoiseSchedule.cosine(1000),
                NoiseSchedule.linear(1000, 1e-4, 0.03), NoiseSchedule.cosine(1000, 0.01),
                NoiseSchedule.fromBetas(NoiseSchedule.linear(1000).betas()),
                NoiseSchedule.fromBetas(new double[] {0.3, 0.1, 0.6, 0.2})};
        boolean[] isDefault = {true, true, false, false, false, false};
        for (int i = 0; i < all.length; i++) {
            NoiseSchedule s = all[i];
            assertEquals(isDefault[i], s.isDefault(), s.toString());
            NoiseSchedule restored = s.isDefault()
                    ? s.type().create(s.steps())
                    : NoiseSchedule.fromBetas(s.betas());
            assertEquals(s, restored);
            assertArrayEquals(s.alphaBars(), restored.alphaBars(), 0.0);
        }
        assertNotEquals(NoiseSchedule.linear(1000), NoiseSchedule.linear(1000, 1e-4, 0.03));
        assertNotEquals(NoiseSchedule.cosine(1000), NoiseSchedule.cosine(1000, 0.01));
        assertEquals(NoiseSchedule.linear(1000), NoiseSchedule.linear(1000, 1e-4, 0.02));
        assertTrue(NoiseSchedule.linear(1000, 1e-4, 0.02).isDefault());
        // Equality is by β alone: a CUSTOM copy of the default equals it.
        assertEquals(NoiseSchedule.linear(1000), all[4]);
        assertFalse(all[4].isDefault());
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> NoiseSchedule.Type.CUSTOM.create(10));
        assertTrue(e.getMessage().contains("fromBetas"), e.getMessage());
    }

    @Test
    void explicitSchedulesAreValidatedWithTheBadValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NoiseSchedule.fromBetas(new double[] {0.1, 0.2, 1.0}));
        assertTrue(e.getMessage().contains("(0, 1)") && e.getMessage().contains("got 1.0 at t=2"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> NoiseSchedule.fromBetas(new double[] {0.0, 0.2}));
        assertThrows(IllegalArgumentException.class,
                () -> NoiseSchedule.fromBetas(new double[] {Double.NaN, 0.2}));
        assertThrows(IllegalArgumentException.class,
                () -> NoiseSchedule.fromBetas(new double[] {0.5}));
        assertThrows(IllegalArgumentException.class, () -> NoiseSchedule.fromBetas(null));
        double[] destructive = new double[2000];
        java.util.Arrays.fill(destructive, 0.9);
        e = assertThrows(IllegalArgumentException.class,
                () -> NoiseSchedule.fromBetas(destructive));
        assertTrue(e.getMessage().contains("underflows"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class,
                () -> NoiseSchedule.fromAlphaBars(new double[] {0.9, 0.95, 0.3}));
        assertTrue(e.getMessage().contains("got 0.95 at t=1"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> NoiseSchedule.fromAlphaBars(new double[] {1.0, 0.5}));
        assertThrows(IllegalArgumentException.class,
                () -> NoiseSchedule.fromAlphaBars(new double[] {0.5, 0.5}));
        assertThrows(IllegalArgumentException.class,
                () -> NoiseSchedule.fromAlphaBars(new double[] {0.5, 0.0}));
        NoiseSchedule tight = NoiseSchedule.fromAlphaBars(new double[] {0.5, Math.nextDown(0.5)});
        assertTrue(tight.beta(1) > 0 && tight.beta(1) < 1e-15, "beta " + tight.beta(1));
    }

    @Test
    void explicitArraysAreCopied() {
        double[] betas = {0.1, 0.2};
        NoiseSchedule s = NoiseSchedule.fromBetas(betas);
        betas[0] = 0.5;
        assertEquals(0.1, s.beta(0));
    }
}
