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

    /**
     * T = 1000, n = 10: Lin et al. 2024, table 2 (1-based there: linspace 1, 112, …, 1000; leading
     * 1, 101, …, 901; trailing 100, 200, …, 1000), shifted to gen4j's 0-based steps.
     */
    @Test
    void tenOfAThousandStepsMatchTheTableOfLinEtAl() {
        assertArrayEquals(new int[] {999, 888, 777, 666, 555, 444, 333, 222, 111, 0},
                TimeGrid.spaced(1000, 10, Spacing.LINSPACE).steps());
        assertArrayEquals(new int[] {900, 800, 700, 600, 500, 400, 300, 200, 100, 0},
                TimeGrid.spaced(1000, 10, Spacing.LEADING).steps());
        assertArrayEquals(new int[] {999, 899, 799, 699, 599, 499, 399, 299, 199, 99},
                TimeGrid.spaced(1000, 10, Spacing.TRAILING).steps());
        // round((i/9)² · 999): 12.33, 49.33, 111, 197.33, 308.33, 444, 604.33, 789.33, 999.
        assertArrayEquals(new int[] {999, 789, 604, 444, 308, 197, 111, 49, 12, 0},
                TimeGrid.spaced(1000, 10, Spacing.QUADRATIC).steps());
    }

    /**
     * Ratios that are not integers, computed by hand: rounding is half to even (numpy's), the
     * leading ratio is the integer ⌊T/n⌋ and the trailing one the real T/n.
     */
    @Test
    void nonIntegerRatiosRoundLikeNumpy() {
        // 999/6 = 166.5: 166.5 -> 166, 499.5 -> 500, 832.5 -> 832 (half to even).
        assertArrayEquals(new int[] {999, 832, 666, 500, 333, 166, 0},
                TimeGrid.spaced(1000, 7, Spacing.LINSPACE).steps());
        // ⌊1000/7⌋ = 142: 0, 142, …, 852 — the noisiest step is far from 999.
        assertArrayEquals(new int[] {852, 710, 568, 426, 284, 142, 0},
                TimeGrid.spaced(1000, 7, Spacing.LEADING).steps());
        // 1000 − i·62.5 = 937.5 -> 938, 812.5 -> 812, …; minus 1.
        assertArrayEquals(new int[] {999, 937, 874, 811, 749, 687, 624, 561, 499, 437, 374, 311,
                249, 187, 124, 61}, TimeGrid.spaced(1000, 16, Spacing.TRAILING).steps());
        // 1000 − i·333.33: 1000, 666.67, 333.33 -> 1000, 667, 333; minus 1.
        assertArrayEquals(new int[] {999, 666, 332},
                TimeGrid.spaced(1000, 3, Spacing.TRAILING).steps());
        assertArrayEquals(new int[] {99, 74, 50, 25, 0},
                TimeGrid.spaced(100, 5, Spacing.LINSPACE).steps());
        assertArrayEquals(new int[] {9, 4, 1, 0}, TimeGrid.spaced(10, 4, Spacing.QUADRATIC).steps());
        assertArrayEquals(new int[] {999}, TimeGrid.spaced(1000, 1, Spacing.TRAILING).steps());
        assertArrayEquals(new int[] {0}, TimeGrid.spaced(1000, 1, Spacing.LEADING).steps());
    }

    @Property(tries = 300, seed = "20261205")
    void spacedGridsAreStrictlyDecreasingAndHaveTheirSpacingsEnds(
            @ForAll @IntRange(min = 2, max = 1200) int total,
            @ForAll @IntRange(min = 2, max = 1200) int n,
            @ForAll Spacing spacing) {
        int m = Math.min(n, total);
        TimeGrid g = TimeGrid.spaced(total, m, spacing);
        assertEquals(m, g.size());
        for (int i = 1; i < m; i++) {
            assertTrue(g.step(i) < g.step(i - 1));
        }
        assertTrue(g.step(m - 1) >= 0 && g.step(0) <= total - 1);
        boolean hasLast = g.step(0) == total - 1;
        boolean hasZero = g.step(m - 1) == 0;
        switch (spacing) {
            case LEADING:
                assertTrue(hasZero);
                assertEquals(m == total, hasLast);
                assertEquals((m - 1) * (total / m), g.step(0));
                break;
            case TRAILING:
                assertTrue(hasLast);
                // 0 only when T/n rounds to 1 (n = T, or T/n < 1.5).
                assertEquals(Math.rint((double) total / m) == 1, hasZero);
                assertEquals((int) Math.rint((double) total / m) - 1, g.step(m - 1));
                break;
            default:
                assertTrue(hasLast && hasZero);
        }
        if (m == total) {
            assertEquals(TimeGrid.full(total), g);
        }
    }

    @Test
    void rejectsNonDecreasingGrids() {
        assertThrows(IllegalArgumentException.class, () -> new TimeGrid(new int[] {3, 3}));
        assertThrows(IllegalArgumentException.class, () -> new TimeGrid(new int[] {}));
        assertThrows(IllegalArgumentException.class,
                () -> TimeGrid.spaced(10, 11, Spacing.LINSPACE));
        assertThrows(IllegalArgumentException.class,
                () -> TimeGrid.spaced(10, 1, Spacing.LINSPACE));
        assertThrows(IllegalArgumentException.class,
                () -> TimeGrid.spaced(10, 0, Spacing.TRAILING));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TimeGrid.spaced(10, 1, Spacing.QUADRATIC));
        assertTrue(e.getMessage().contains("[2, 10]") && e.getMessage().contains("got 1"),
                e.getMessage());
    }
}
