package io.gen4j.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {

    @Test
    void constantIsConstant() {
        LearningRateSchedule s = LearningRateSchedule.constant(0.1);
        assertEquals(0.1, s.rate(0));
        assertEquals(0.1, s.rate(1_000_000));
    }

    @Test
    void linearWarmupRampsThenHolds() {
        LearningRateSchedule s = LearningRateSchedule.linearWarmup(1.0, 4);
        assertEquals(0.25, s.rate(0), 1e-12);
        assertEquals(0.5, s.rate(1), 1e-12);
        assertEquals(1.0, s.rate(3), 1e-12);
        assertEquals(1.0, s.rate(100), 1e-12);
        assertEquals(2.0, LearningRateSchedule.linearWarmup(2.0, 0).rate(0));
    }

    @Test
    void cosineHasClosedFormValues() {
        LearningRateSchedule s = LearningRateSchedule.cosine(1.0, 0.1, 10, 110);
        assertEquals(0.1, s.rate(0), 1e-12);
        assertEquals(1.0, s.rate(9), 1e-12);
        assertEquals(1.0, s.rate(10), 1e-12);
        // halfway through the decay: min + (base - min) / 2
        assertEquals(0.55, s.rate(60), 1e-12);
        assertEquals(0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * 0.25)), s.rate(35), 1e-12);
        assertEquals(0.1, s.rate(110), 1e-12);
        assertEquals(0.1, s.rate(500), 1e-12);
    }

    @Test
    void isStatelessAndMonotoneAfterWarmup() {
        LearningRateSchedule s = LearningRateSchedule.cosine(3e-4, 0, 100, 1000);
        double previous = Double.MAX_VALUE;
        for (long t = 100; t <= 1000; t++) {
            double r = s.rate(t);
            assertEquals(r, s.rate(t));
            assertEquals(true, r <= previous + 1e-15);
            previous = r;
        }
    }

    @Test
    void validatesArguments() {
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.constant(0));
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.linearWarmup(1, -1));
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.cosine(1, 2, 0, 10));
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.cosine(1, 0, 10, 10));
    }
}
