package io.gen4j.eval;

import java.util.List;

/**
 * What an {@link Evaluation} computes and with which settings.
 *
 * <pre>{@code
 * EvaluationConfig config = EvaluationConfig.of(
 *         List.of(new Fid(), new Kid(KidConfig.defaults().withSeed(7)), new PrecisionRecall(3)), 7);
 * EvaluationConfig sameByName = EvaluationConfig.of(MetricRegistry.defaults().create(List.of("fid", "kid", "pr"), 7), 7);
 * }</pre>
 *
 * @param metrics the metrics to compute, in the order of the results; not empty. Each carries its own
 *     settings (KID subsets and seed, IS splits and seed, k of the k-NN metrics)
 * @param seed seed of the real-vs-real split (or draw) used for the floors
 * @param withFloor whether to compute every metric also between two disjoint real subsets
 */
public record EvaluationConfig(List<Metric> metrics, long seed, boolean withFloor) {

    /** Validates the settings. */
    public EvaluationConfig {
        if (metrics == null || metrics.isEmpty()) {
            throw new IllegalArgumentException("metrics must not be empty");
        }
        for (Metric m : metrics) {
            if (m == null) {
                throw new IllegalArgumentException("metrics must not contain null, got " + metrics);
            }
        }
        metrics = List.copyOf(metrics);
    }

    /** @return FID, KID, IS, precision/recall, density/coverage with the papers' settings, seed 0, with floors */
    public static EvaluationConfig defaults() {
        return of(MetricRegistry.defaults().create(MetricRegistry.DEFAULT_NAMES, 0L), 0L);
    }

    /**
     * @param metrics the metrics, in the order of the results
     * @param seed seed of the floor split
     * @return the metrics with floors
     */
    public static EvaluationConfig of(List<Metric> metrics, long seed) {
        return new EvaluationConfig(metrics, seed, true);
    }
}
