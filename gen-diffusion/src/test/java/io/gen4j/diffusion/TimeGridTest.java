package io.gen4j.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class TimeGridTest {

    @Test
    void fullGridVisitsEveryStepDownward() {
        TimeGrid g = TimeGrid.full(5);
        assertArrayEquals(new int[] {4, 3, 2, 1, 0}, g.steps());
        assertEquals(-1, g.next(4));
        assertEquals(3, g.next(0));
    }

    @Test
    void uniformAndQuadraticSpacing() {
        assertArrayEquals(new int[] {999, 666, 333, 0},
                TimeGrid.spaced(1000, 4, Spacing.UNIFORM).steps());
        int[] q = TimeGrid.spaced(1000, 4, Spacing.QUADRATIC).steps();
        assertArrayEquals(new int[] {999, 444, 111, 0}, q);
    }

    @Property(tries = 200)
    void spacedGridsAreStrictlyDecreasingAndCoverTheEnds(
            @ForAll @IntRange(min = 2, max = 1200) int total,
            @ForAll @IntRange(min = 2, max = 1200) int n,
            @ForAll Spacing spacing) {
        int m = Math.min(n, total);
        TimeGrid g = TimeGrid.spaced(total, m, spacing);
        assertEquals(m, g.size());
        assertEquals(total - 1, g.step(0));
        assertEquals(0, g.step(m - 1));
        for (int i = 1; i < m; i++) {
            assertTrue(g.step(i) < g.step(i - 1));
        }
    }

    @Test
    void rejectsNonDecreasingGrids() {
        assertThrows(IllegalArgumentException.class, () -> new TimeGrid(new int[] {3, 3}));
        assertThrows(IllegalArgumentException.class, () -> new TimeGrid(new int[] {}));
        assertThrows(IllegalArgumentException.class, () -> TimeGrid.spaced(10, 11, Spacing.UNIFORM));
    }
}
