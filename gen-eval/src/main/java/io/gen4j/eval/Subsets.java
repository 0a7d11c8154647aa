package io.gen4j.eval;

import java.util.Random;

/** Seeded sampling of row indices without replacement (partial Fisher–Yates). */
final class Subsets {

    private Subsets() {}

    /**
     * @param n population size
     * @param m sample size, m <= n
     * @param random the generator, advanced by exactly m draws
     * @return m distinct indices in [0, n), in random order
     */
    static int[] sample(int n, int m, Random random) {
        if (m > n || m < 0) {
            throw new IllegalArgumentException("sample size must be in [0, " + n + "], got " + m);
        }
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        for (int i = 0; i < m; i++) {
            int j = i + random.nextInt(n - i);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        int[] out = new int[m];
        System.arraycopy(perm, 0, out, 0, m);
        return out;
    }

    /**
     * @param n size
     * @param random the generator
     * @return a random permutation of [0, n)
     */
    static int[] permutation(int n, Random random) {
        return sample(n, n, random);
    }
}
