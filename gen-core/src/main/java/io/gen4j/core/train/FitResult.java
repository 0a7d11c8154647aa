package io.gen4j.core.train;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The outcome of a {@link Fit} run.
 *
 * @param startStep the step index the run started at (0, or the resumed step)
 * @param endStep the step index after the last step done (the step a later resume starts at)
 * @param lastMetrics the metrics of the last step (empty when no step ran)
 * @param elapsedNanos wall time of the run
 * @param lastCheckpoint the last checkpoint written by this run, if any
 */
public record FitResult(
        long startStep, long endStep, Map<String, Double> lastMetrics, long elapsedNanos,
        Optional<Path> lastCheckpoint) {}
