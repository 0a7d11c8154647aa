package io.gen4j.eval;

/**
 * Settings of the Inception Score estimate.
 *
 * @param splits number of equal splits (10 in Salimans et al.); N / splits rows each, the remainder
 *     after a seeded shuffle is dropped
 * @param seed seed of the shuffle that precedes the split
 */
public record InceptionScoreConfig(int splits, long seed) {

    /** Validates the settings. */
    public InceptionScoreConfig {
        if (splits < 1) {
            throw new IllegalArgumentException("splits must be >= 1, got " + splits);
        }
    }

    /** @return 10 splits, seed 0 */
    public static InceptionScoreConfig defaults() {
        return new InceptionScoreConfig(10, 0L);
    }

    /**
     * @param newSeed the seed
     * @return a copy with another seed
     */
    public InceptionScoreConfig withSeed(long newSeed) {
        return new InceptionScoreConfig(splits, newSeed);
    }
}
