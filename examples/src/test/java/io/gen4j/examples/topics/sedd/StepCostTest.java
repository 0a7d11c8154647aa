package io.gen4j.examples.topics.sedd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The step counts for equal training time (the measurement itself is exercised by SeddTopicTest). */
class StepCostTest {

    @Test
    void equalTimeStepsSpendTheReferenceTime() {
        // 700 steps at 0.12 s = 84 s; at 0.08 s per step that is 1050 steps, at 0.3 s 280
        assertEquals(1050, StepCost.equalTimeSteps(700, 0.12, 0.08));
        assertEquals(280, StepCost.equalTimeSteps(700, 0.12, 0.3));
        assertEquals(700, StepCost.equalTimeSteps(700, 0.1, 0.1));
        assertEquals(1, StepCost.equalTimeSteps(1, 0.001, 5));
        assertThrows(IllegalArgumentException.class, () -> StepCost.equalTimeSteps(700, 0, 0.1));
        assertThrows(IllegalArgumentException.class, () -> StepCost.equalTimeSteps(700, 0.1, Double.NaN));
    }
}
