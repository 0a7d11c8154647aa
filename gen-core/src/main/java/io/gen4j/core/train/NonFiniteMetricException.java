package io.gen4j.core.train;

/**
 * Thrown by {@link Fit} when a step returns a metric (loss, gradient norm, ...) that is NaN or
 * infinite. Training stops before any checkpoint of that step is written, so the last checkpoint on
 * disk is the last good one.
 */
public final class NonFiniteMetricException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final long step;
    private final String metric;
    private final double value;

    /**
     * @param step the 0-based index of the failing step
     * @param metric the metric's name
     * @param value its value (NaN or infinite)
     */
    public NonFiniteMetricException(long step, String metric, double value) {
        super("metric '" + metric + "' is " + value + " at step " + step
                + "; training stopped, the last checkpoint written before this step is intact");
        this.step = step;
        this.metric = metric;
        this.value = value;
    }

    /** @return the 0-based index of the failing step */
    public long step() {
        return step;
    }

    /** @return the metric's name */
    public String metric() {
        return metric;
    }

    /** @return the non-finite value */
    public double value() {
        return value;
    }
}
