package io.gen4j.eval;

import java.util.EnumSet;
import java.util.Set;

/**
 * What an {@link Evaluation} computes and with which settings.
 *
 * @param metrics the metrics to compute, not empty
 * @param kid KID subsets and seed
 * @param inceptionScore IS splits and seed
 * @param precisionRecallK neighbour rank of precision/recall (3 in the paper)
 * @param densityCoverageK neighbour rank of density/coverage (5 in the paper)
 * @param seed seed of the real-vs-real split used for the floors
 * @param withFloor whether to compute every metric also between two disjoint real subsets
 */
public record EvaluationConfig(Set<Metric> metrics, KidConfig kid, InceptionScoreConfig inceptionScore,
        int precisionRecallK, int densityCoverageK, long seed, boolean withFloor) {

    /** Validates the settings. */
    public EvaluationConfig {
        if (metrics == null || metrics.isEmpty()) {
            throw new IllegalArgumentException("metrics must not be empty");
        }
        metrics = Set.copyOf(metrics);
        if (precisionRecallK < 1 || densityCoverageK < 1) {
            throw new IllegalArgumentException("k must be >= 1, got precision/recall k " + precisionRecallK
                    + " and density/coverage k " + densityCoverageK);
        }
    }

    /** @return all metrics, paper settings, seed 0, with floors */
    public static EvaluationConfig defaults() {
        return new EvaluationConfig(EnumSet.allOf(Metric.class), KidConfig.defaults(), InceptionScoreConfig.defaults(),
                PrecisionRecall.DEFAULT_K, DensityCoverage.DEFAULT_K, 0L, true);
    }

    /**
     * @param chosen the metrics
     * @param newSeed seed of every random choice (KID subsets, IS shuffle, floor split)
     * @return the defaults with these metrics and this seed
     */
    public static EvaluationConfig of(Set<Metric> chosen, long newSeed) {
        return new EvaluationConfig(chosen, KidConfig.defaults().withSeed(newSeed),
                new InceptionScoreConfig(InceptionScoreConfig.defaults().splits(), newSeed),
                PrecisionRecall.DEFAULT_K, DensityCoverage.DEFAULT_K, newSeed, true);
    }
}
