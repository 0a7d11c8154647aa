package io.gen4j.core.data;

import java.util.Arrays;
import java.util.Random;

/**
 * Seeded random permutations and subsets of {@code [0, n)}: the one Fisher–Yates implementation of
 * gen4j, used by every batch source ({@link BatchOrder}), the evaluation metrics (KID subsets,
 * Inception Score splits, real-vs-real floors) and the CLI.
 *
 * <p>Durstenfeld's shuffle run from the last position down (Knuth, TAOCP vol. 2, Algorithm P):
 * <pre>
 *   p = (0, 1, …, n−1)
 *   for i = n−1 down to 1:  j = random.nextInt(i + 1);  swap p[i], p[j]
 * </pre>
 * After the step for i, the positions i … n−1 never change again, so stopping after m steps gives a
 * uniformly drawn m-subset in uniformly random order: {@link #sample(int, int, Random)} returns
 * {@code p[n−m … n−1]}. Hence {@code sample(n, m, new Random(s))} equals the last m entries of
 * {@code permutation(n, new Random(s))}. The order is a pure function of the {@link Random}'s
 * state; {@code src/test/python/java_random.py} re-implements both (and {@code java.util.Random}) for
 * reference values.
 */
public final class Permutations {

    private Permutations() {}

    /**
     * A uniformly random permutation.
     *
     * @param n size, at least 0
     * @param random the generator, advanced by max(n − 1, 0) draws of {@code nextInt}
     * @return the permutation of [0, n)
     */
    public static int[] permutation(int n, Random random) {
        return sample(n, n, random);
    }

    /**
     * m distinct indices drawn uniformly without replacement (a partial Fisher–Yates shuffle).
     *
     * @param n population size, at least 0
     * @param m sample size, in [0, n]
     * @param random the generator, advanced by min(m, n − 1) draws of {@code nextInt}
     * @return m distinct indices of [0, n), in random order
     */
    public static int[] sample(int n, int m, Random random) {
        if (n < 0) {
            throw new IllegalArgumentException("population size must be >= 0, got " + n);
        }
        if (m < 0 || m > n) {
            throw new IllegalArgumentException("sample size must be in [0, " + n + "], got " + m);
        }
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        int last = Math.max(n - m, 1);
        for (int i = n - 1; i >= last; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return m == n ? p : Arrays.copyOfRange(p, n - m, n);
    }

    /**
     * {@link #sample(int, int, Random)} in increasing order, e.g. to take rows of a set in their
     * original order.
     *
     * @param n population size
     * @param m sample size, in [0, n]
     * @param random the generator
     * @return m distinct indices of [0, n), sorted
     */
    public static int[] sortedSample(int n, int m, Random random) {
        int[] s = sample(n, m, random);
        Arrays.sort(s);
        return s;
    }
}
