package io.gen4j.eval;

import ai.djl.ndarray.NDManager;
import java.util.List;

/**
 * A sample-quality metric: one or more named numbers computed from a reference set and a set of
 * samples, as features (and, for metrics such as the Inception Score, class probabilities).
 *
 * <p>{@link Evaluation} treats every metric alike: it calls {@link #evaluate} once on (generated
 * samples vs the real reference) for the value and once on (held-out real data vs the rest of the
 * real data) for the real-vs-real floor, and wraps each returned {@link MetricValue} in a {@link
 * MetricResult} with its provenance. gen-eval ships {@link Fid}, {@link Kid}, {@link InceptionScore},
 * {@link PrecisionRecall} and {@link DensityCoverage}; a metric of your own is an implementation of
 * this interface, passed to {@link EvaluationConfig} directly or registered by name in a {@link
 * MetricRegistry} (or through a {@link MetricProvider} on the class path, which is how the CLI's
 * {@code --metrics} finds it).
 *
 * <pre>{@code
 * Metric meanDistance = (input, manager) -> List.of(MetricValue.of("mean-distance",
 *         distance(mean(input.reference()), mean(input.samples()))));
 * }</pre>
 *
 * <p>A metric is a value: it holds its settings (k, subsets, seed), no state between calls. Work
 * that several metrics of one evaluation need (nearest-neighbour radii of the reference set) can be
 * shared through {@link MetricInput#shared}.
 */
@FunctionalInterface
public interface Metric {

    /**
     * Computes the metric. The names and their order must not depend on the input: the floor's
     * values are matched to the value's by position.
     *
     * @param input the reference set, the samples judged against it, and their class probabilities
     * @param manager scratch manager for engine products; nothing may be left in it
     * @return one or more named values, e.g. FID, or precision and recall
     * @throws IllegalArgumentException when the input cannot be evaluated (too few rows, missing
     *     probabilities), naming what is missing
     */
    List<MetricValue> evaluate(MetricInput input, NDManager manager);

    /**
     * Whether {@link #evaluate} can run on this input. {@link Evaluation} asks before computing a
     * floor, whose held-out set may be too small (then the floor is NaN); a value input that is not
     * accepted makes {@code evaluate} throw.
     *
     * @param input the input
     * @return true when both sets have at least two rows, by default
     */
    default boolean accepts(MetricInput input) {
        return input.reference().count() >= 2 && input.samples().count() >= 2;
    }

    /**
     * Whether the metric reads class probabilities ({@link MetricInput#sampleProbabilities()}); the
     * CLI extracts them only when a chosen metric does.
     *
     * @return false by default
     */
    default boolean needsProbabilities() {
        return false;
    }
}
