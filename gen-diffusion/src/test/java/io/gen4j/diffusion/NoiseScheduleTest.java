package io.gen4j.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class NoiseScheduleTest {

    @ParameterizedTest
    @EnumSource(NoiseSchedule.Type.class)
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
    @EnumSource(NoiseSchedule.Type.class)
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
}
