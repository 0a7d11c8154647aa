package io.gen4j.core.data.toy;

import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Monte-Carlo entropy of a {@link Toy2d}, {@code H = -E_p[log p(x)]}, in nats: the lowest
 * expected test NLL any model of the toy can reach (the NLL of a model q is {@code H + KL(p || q)}),
 * reported next to a model's NLL so the gap is its KL divergence.
 *
 * <pre>
 *   H_hat = -1/n sum_i log p(x_i),  x_i ~ p,  standard error = std(log p(x_i)) / sqrt(n)
 * </pre>
 *
 * Estimates are cached per (toy parameters, n, seed): toys are records, equal parameters share one
 * estimate.
 */
public final class OracleEntropy {

    /** Sample size of {@link #of(Toy2d)}. */
    public static final int DEFAULT_SAMPLES = 20_000;

    /** Seed of {@link #of(Toy2d)}. */
    public static final long DEFAULT_SEED = 20_260_101L;

    private static final Map<Key, Estimate> CACHE = new ConcurrentHashMap<>();

    private OracleEntropy() {}

    /**
     * An entropy estimate.
     *
     * @param nats the estimate {@code H_hat}, in nats
     * @param standardError its Monte-Carlo standard error, in nats
     * @param samples the number of samples
     */
    public record Estimate(double nats, double standardError, int samples) {

        /** @return the estimate in bits ({@code nats / ln 2}) */
        public double bits() {
            return nats / Math.log(2);
        }
    }

    private record Key(Toy2d toy, int samples, long seed) {}

    /**
     * The cached estimate with {@link #DEFAULT_SAMPLES} samples and {@link #DEFAULT_SEED}.
     *
     * @param toy the distribution
     * @return the estimate
     */
    public static Estimate of(Toy2d toy) {
        return estimate(toy, DEFAULT_SAMPLES, DEFAULT_SEED);
    }

    /**
     * The cached estimate for a sample size and seed.
     *
     * @param toy the distribution
     * @param samples the number of samples, at least 2
     * @param seed the sampling seed
     * @return the estimate
     */
    public static Estimate estimate(Toy2d toy, int samples, long seed) {
        if (samples < 2) {
            throw new IllegalArgumentException("samples must be >= 2, got " + samples);
        }
        return CACHE.computeIfAbsent(new Key(toy, samples, seed), k -> compute(toy, samples, seed));
    }

    private static Estimate compute(Toy2d toy, int samples, long seed) {
        double[][] x = toy.sample(samples, new Random(seed));
        double mean = 0;
        double m2 = 0;
        for (int i = 0; i < samples; i++) {
            double v = -toy.logDensity(x[i][0], x[i][1]);
            double delta = v - mean;
            mean += delta / (i + 1);
            m2 += delta * (v - mean);
        }
        double variance = m2 / (samples - 1);
        return new Estimate(mean, Math.sqrt(variance / samples), samples);
    }
}
