package io.gen4j.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TrainingRecipeTest {

    @Test
    void theScheduleWarmsUpToThePeakAndDecaysToTheFinalRate() {
        TrainingRecipe r = TrainingRecipe.of(1000, 64, 1e-3, 1e-5, 100, 1.0);
        LearningRateSchedule s = r.schedule();
        assertEquals(1e-3 / 100, s.rate(0), 1e-12); // linear warm-up: (t + 1) / warmup of the peak
        assertEquals(1e-3, s.rate(100), 1e-12); // the peak right after warm-up
        assertEquals(1e-5 + (1e-3 - 1e-5) / 2, s.rate(550), 1e-9); // half-way: the cosine's midpoint
        assertEquals(1e-5, s.rate(1000), 1e-12); // the final rate
    }

    @Test
    void withStepsKeepsTheWarmUpFractionAndEndsTheDecayAtTheNewLastStep() {
        TrainingRecipe r = TrainingRecipe.of(1000, 64, 1e-3, 1e-5, 100, 1.0).withSteps(200);
        assertEquals(200, r.steps());
        assertEquals(20, r.warmupSteps());
        assertEquals(1e-5, r.schedule().rate(200), 1e-12);
        assertEquals(0, TrainingRecipe.of(10, 1, 1e-3, 0, 5, 0).withSteps(1).warmupSteps());
    }

    @Test
    void badValuesNameTheField() {
        assertEquals("warmupSteps must be in [0, steps = 10), got 10",
                assertThrows(IllegalArgumentException.class, () -> TrainingRecipe.of(10, 1, 1e-3, 0, 10, 0)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> TrainingRecipe.of(10, 1, 1e-3, 2e-3, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> TrainingRecipe.of(10, 0, 1e-3, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> TrainingRecipe.of(10, 1, Double.NaN, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> TrainingRecipe.of(10, 1, 1e-3, 0, 0, -1));
    }
}
