package io.gen4j.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.gen4j.core.data.Permutations;
import java.util.List;
import java.util.Random;

/**
 * Kernel Inception Distance (Bińkowski et al. 2018, "Demystifying MMD GANs").
 *
 * <p>The unbiased estimate of the squared maximum mean discrepancy with the cubic polynomial kernel
 * k(x, y) = (xᵀy / d + 1)³:
 * <pre>
 *   MMD²ᵤ = Σ_{i≠j} k(xᵢ,xⱼ) / (m(m−1)) + Σ_{i≠j} k(yᵢ,yⱼ) / (n(n−1)) − 2 Σ_{i,j} k(xᵢ,yⱼ) / (mn)
 * </pre>
 * averaged over {@link KidConfig#numSubsets()} pairs of random subsets of size
 * m = min({@link KidConfig#maxSubsetSize()}, N_real, N_gen), drawn without replacement from one
 * {@code new Random(seed)}: for each pair first m real rows, then m generated rows, with {@link
 * Permutations#sample}. Unlike FID the estimate is unbiased, so it can be negative for matching
 * distributions.
 *
 * <p>As a {@link Metric} it reports {@code KID}: the mean over subsets, with the population std.
 *
 * @param config subsets, their size cap and the seed
 */
public record Kid(KidConfig config) implements Metric {

    /** Validates the settings. */
    public Kid {
        if (config == null) {
            throw new IllegalArgumentException("config must not be null");
        }
    }

    @Override
    public List<MetricValue> evaluate(MetricInput input, NDManager manager) {
        return List.of(MetricValue.of("KID", compute(input.reference(), input.samples(), config, manager)));
    }

    /**
     * The subset size of the estimate.
     *
     * @param config the settings
     * @param realCount N_real
     * @param generatedCount N_gen
     * @return m = min(maxSubsetSize, N_real, N_gen)
     */
    public static int subsetSize(KidConfig config, int realCount, int generatedCount) {
        return Math.min(config.maxSubsetSize(), Math.min(realCount, generatedCount));
    }

    /**
     * KID over seeded random subsets.
     *
     * @param real real features
     * @param generated generated features, same dimension
     * @param config subsets and seed
     * @param manager scratch manager for the float64 products
     * @return mean and population std of MMD² over the subsets
     */
    public static MeanStd compute(Features real, Features generated, KidConfig config, NDManager manager) {
        if (real.dim() != generated.dim()) {
            throw new IllegalArgumentException(
                    "feature dimensions differ: " + real.dim() + " vs " + generated.dim());
        }
        int m = subsetSize(config, real.count(), generated.count());
        if (m < 2) {
            throw new IllegalArgumentException("KID needs at least 2 samples in each set, got subset size " + m);
        }
        Random random = new Random(config.seed());
        double[] values = new double[config.numSubsets()];
        for (int s = 0; s < values.length; s++) {
            Features x = real.rows(Permutations.sample(real.count(), m, random));
            Features y = generated.rows(Permutations.sample(generated.count(), m, random));
            values[s] = mmd2(x, y, manager);
        }
        return MeanStd.of(values);
    }

    /**
     * The unbiased MMD² with the cubic polynomial kernel between two whole sets.
     *
     * @param x first set, m >= 2 rows
     * @param y second set, n >= 2 rows, same dimension
     * @param manager scratch manager
     * @return MMD²ᵤ
     */
    public static double mmd2(Features x, Features y, NDManager manager) {
        int m = x.count();
        int n = y.count();
        if (m < 2 || n < 2) {
            throw new IllegalArgumentException("MMD needs >= 2 rows per set, got " + m + " and " + n);
        }
        if (x.dim() != y.dim()) {
            throw new IllegalArgumentException("feature dimensions differ: " + x.dim() + " vs " + y.dim());
        }
        double d = x.dim();
        try (NDManager scope = manager.newSubManager()) {
            NDArray a = x.toNDArray(scope);
            NDArray b = y.toNDArray(scope);
            double kxx = kernelSum(a.matMul(a.transpose()).toDoubleArray(), m, d, true);
            double kyy = kernelSum(b.matMul(b.transpose()).toDoubleArray(), n, d, true);
            double kxy = kernelSum(a.matMul(b.transpose()).toDoubleArray(), n, d, false);
            return kxx / ((double) m * (m - 1)) + kyy / ((double) n * (n - 1)) - 2 * kxy / ((double) m * n);
        }
    }

    /**
     * Σ (g/d + 1)³ over a Gram matrix, in Java (element-wise passes on the engine cost more than the
     * product here).
     *
     * @param gram row-major Gram matrix with {@code columns} columns
     * @param columns number of columns
     * @param d feature dimension
     * @param skipDiagonal whether to leave out the entries (i, i)
     * @return the kernel sum
     */
    private static double kernelSum(double[] gram, int columns, double d, boolean skipDiagonal) {
        double sum = 0;
        int rows = gram.length / columns;
        for (int i = 0; i < rows; i++) {
            int base = i * columns;
            for (int j = 0; j < columns; j++) {
                if (skipDiagonal && i == j) {
                    continue;
                }
                double k = gram[base + j] / d + 1;
                sum += k * k * k;
            }
        }
        return sum;
    }
}
