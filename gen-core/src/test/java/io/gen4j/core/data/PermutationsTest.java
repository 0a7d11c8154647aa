package io.gen4j.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The one seeded sampler against golden values of {@code src/test/python/java_random.py}, which
 * re-implements {@code java.util.Random} and the shuffle from their specifications.
 */
class PermutationsTest {

    @Test
    void goldenValuesOfTheIndependentReimplementation() {
        assertArrayEquals(new int[] {4, 6, 2, 1, 7, 9, 8, 5, 3, 0}, Permutations.permutation(10, new Random(42)));
        assertArrayEquals(new int[] {6, 5, 4, 0, 1, 3, 2}, Permutations.permutation(7, new Random(-3)));
        Random r = new Random(5);
        assertArrayEquals(new int[] {5, 19, 12, 8, 3, 7}, Permutations.sample(20, 6, r));
        assertArrayEquals(new int[] {5, 6, 4}, Permutations.sample(9, 3, r)); // the generator carries on
        assertArrayEquals(new int[] {446, 990, 800, 543, 930, 736, 413, 65},
                Arrays.copyOf(Permutations.permutation(1000, new Random(1)), 8));
    }

    @Test
    void batchOrderKeepsItsOrder() {
        // epoch 0 of BatchOrder(seed 42) is Permutations.permutation(10, new Random(42)): the golden above
        BatchOrder order = new BatchOrder(10, 4, 42, false);
        assertArrayEquals(new int[] {4, 6, 2, 1}, order.indices(0));
        assertArrayEquals(new int[] {7, 9, 8, 5}, order.indices(1));
        assertArrayEquals(new int[] {3, 0}, order.indices(2));
        assertArrayEquals(Arrays.copyOf(Permutations.permutation(10, new Random(43)), 4), order.indices(3));
    }

    @Test
    void aSampleIsTheTailOfThePermutationOfTheSameSeed() {
        for (int n = 0; n < 40; n++) {
            for (int m = 0; m <= n; m++) {
                int[] full = Permutations.permutation(n, new Random(1000L * n + m));
                int[] part = Permutations.sample(n, m, new Random(1000L * n + m));
                assertArrayEquals(Arrays.copyOfRange(full, n - m, n), part, "n=" + n + " m=" + m);
            }
        }
    }

    @Test
    void drawsAreDistinctAndTheGeneratorAdvancesByMinMAndNMinusOne() {
        Random r = new Random(9);
        Random twin = new Random(9);
        int[] s = Permutations.sample(50, 20, r);
        assertEquals(20, Arrays.stream(s).distinct().count());
        assertTrue(Arrays.stream(s).allMatch(i -> i >= 0 && i < 50));
        for (int i = 0; i < 20; i++) {
            twin.nextInt(2);
        }
        assertEquals(twin.nextLong(), r.nextLong());
        Random a = new Random(3);
        Random b = new Random(3);
        Permutations.permutation(8, a);
        for (int i = 0; i < 7; i++) {
            b.nextInt(2);
        }
        assertEquals(b.nextLong(), a.nextLong());
        int[] sorted = Permutations.sortedSample(50, 20, new Random(9));
        int[] copy = Permutations.sample(50, 20, new Random(9));
        Arrays.sort(copy);
        assertArrayEquals(copy, sorted);
    }

    @Test
    void everyOrderIsAboutEquallyLikely() {
        // 3! = 6 orders, 60000 draws: each count within 5 standard deviations of 10000
        int[] counts = new int[6];
        Random r = new Random(11);
        for (int t = 0; t < 60_000; t++) {
            int[] p = Permutations.permutation(3, r);
            counts[p[0] * 2 + (p[1] > p[2] ? 1 : 0)]++;
        }
        double sd = Math.sqrt(60_000 * (1 / 6.0) * (5 / 6.0));
        for (int c : counts) {
            assertEquals(10_000, c, 5 * sd, Arrays.toString(counts));
        }
    }

    @Test
    void rejectsBadSizes() {
        assertThrows(IllegalArgumentException.class, () -> Permutations.sample(3, 4, new Random(0)));
        assertThrows(IllegalArgumentException.class, () -> Permutations.sample(3, -1, new Random(0)));
        assertThrows(IllegalArgumentException.class, () -> Permutations.permutation(-1, new Random(0)));
    }
}
