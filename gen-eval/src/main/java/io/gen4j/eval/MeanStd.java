package io.gen4j.eval;

/**
 * A metric estimated over several subsets or splits: the mean and the population standard deviation
 * (divisor n, as numpy's default {@code np.std}) of the per-subset values.
 *
 * @param mean mean over subsets
 * @param std population standard deviation over subsets (0 for a single subset)
 * @param subsets number of subsets or splits
 */
public record MeanStd(double mean, double std, int subsets) {

    /** Validates the subset count. */
    public MeanStd {
        if (subsets < 1) {
            throw new IllegalArgumentException("subsets must be >= 1, got " + subsets);
        }
    }

    /**
     * @param values per-subset values, at least one
     * @return their mean and population standard deviation
     */
    public static MeanStd of(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("values must not be empty");
        }
        double mean = 0;
        for (double v : values) {
            mean += v;
        }
        mean /= values.length;
        double var = 0;
        for (double v : values) {
            var += (v - mean) * (v - mean);
        }
        return new MeanStd(mean, Math.sqrt(var / values.length), values.length);
    }
}
