package io.gen4j.core.train;

import java.util.Map;

/**
 * What {@link Fit} tells its listeners after each step.
 *
 * @param step the 0-based index of the step just done
 * @param totalSteps the index at which the run ends (exclusive)
 * @param startStep the index this run (or resumed run) started at
 * @param metrics the metrics the step returned
 * @param elapsedNanos time since this run started
 */
public record StepEnd(
        long step, long totalSteps, long startStep, Map<String, Double> metrics,
        long elapsedNanos) {

    /** @return the number of steps done so far in this run (not counting resumed ones) */
    public long stepsThisRun() {
        return step + 1 - startStep;
    }

    /** @return steps per second in this run, 0 before any time has passed */
    public double stepsPerSecond() {
        return elapsedNanos <= 0 ? 0.0 : stepsThisRun() * 1e9 / elapsedNanos;
    }

    /** @return the estimated seconds until the end, NaN when unknown */
    public double etaSeconds() {
        double rate = stepsPerSecond();
        return rate <= 0 ? Double.NaN : (totalSteps - step - 1) / rate;
    }
}
