package io.gen4j.core.data.toy;

/** Small numerical helpers of the toy densities. */
final class GaussianMath {

    static final double LOG_2PI = Math.log(2 * Math.PI);

    private GaussianMath() {}

    /** {@code log N(d; 0, sigma^2 I_2)} for a squared distance {@code d2}. */
    static double logNormal2d(double d2, double sigma) {
        return -LOG_2PI - 2 * Math.log(sigma) - d2 / (2 * sigma * sigma);
    }

    /**
     * {@code log sum exp(a_i)} over the first {@code n} entries, stable; terms more than 40 below the
     * largest (relative contribution below 1e-17) are skipped without calling {@code exp}.
     */
    static double logSumExp(double[] a, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, a[i]);
        }
        if (max == Double.NEGATIVE_INFINITY) {
            return max;
        }
        double s = 0;
        double cut = max - 40;
        for (int i = 0; i < n; i++) {
            if (a[i] > cut) {
                s += Math.exp(a[i] - max);
            }
        }
        return max + Math.log(s);
    }

    static void requirePositive(String name, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be positive and finite, got " + value);
        }
    }
}
