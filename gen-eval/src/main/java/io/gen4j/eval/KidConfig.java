package io.gen4j.eval;

/**
 * Settings of the Kernel Inception Distance estimate.
 *
 * @param numSubsets number of random subset pairs averaged (100 in Bińkowski et al. and clean-fid)
 * @param maxSubsetSize subset size cap; the size used is min(maxSubsetSize, N_real, N_gen)
 * @param seed seed of the subset sampling
 */
public record KidConfig(int numSubsets, int maxSubsetSize, long seed) {

    /** Validates the settings. */
    public KidConfig {
        if (numSubsets < 1) {
            throw new IllegalArgumentException("numSubsets must be >= 1, got " + numSubsets);
        }
        if (maxSubsetSize < 2) {
            throw new IllegalArgumentException("maxSubsetSize must be >= 2, got " + maxSubsetSize);
        }
    }

    /** @return 100 subsets of size min(1000, N), seed 0 */
    public static KidConfig defaults() {
        return new KidConfig(100, 1000, 0L);
    }

    /**
     * @param newSeed the seed
     * @return a copy with another seed
     */
    public KidConfig withSeed(long newSeed) {
        return new KidConfig(numSubsets, maxSubsetSize, newSeed);
    }
}
