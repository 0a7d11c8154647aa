package io.gen4j.diffusion.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gen4j.diffusion.TimeGrid;
import org.junit.jupiter.api.Test;

/** A distillation preset's teacher grid halves to the documented student grids, at a constant rate. */
class DistillationPresetTest {

    @Test
    void threeRoundsFromEightTrailingStepsEndInOneStep() {
        DistillationPreset p = DistillationPreset.of(8, 3, 60, 32, 2e-4);
        TimeGrid grid = p.teacherGrid(1000);
        // trailing spacing: t_i = T - 1 - round(i T / n) for i < n, here 999, 874, ..., 124 (indices of 0..T-1)
        assertEquals(8, grid.size());
        assertEquals(999, grid.steps()[0]);
        for (int round = 0; round < p.rounds(); round++) {
            grid = ProgressiveDistillation.halve(grid);
        }
        assertEquals(1, grid.size());
        assertArrayEquals(new int[] {999}, grid.steps());
        for (long t = 0; t < 60; t += 7) {
            assertEquals(2e-4, p.training().schedule().rate(t));
        }
        assertEquals(1.0, p.training().maxGradNorm());
    }
}
