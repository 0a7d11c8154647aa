package io.gen4j.eval;

/**
 * One number a {@link Metric} computed, before {@link Evaluation} adds its provenance
 * ({@link MetricResult}).
 *
 * @param name the metric's name without the extractor, e.g. {@code FID} or {@code precision};
 *     {@link ExtractorInfo#metricName(String)} makes the reported name ({@code FID-inception-v3})
 * @param value the value
 * @param std the standard deviation over subsets or splits (KID, IS), NaN when not applicable
 */
public record MetricValue(String name, double value, double std) {

    /** Validates the name. */
    public MetricValue {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a metric value needs a name, got '" + name + "'");
        }
    }

    /**
     * @param name the name
     * @param value the value
     * @return a value without a standard deviation
     */
    public static MetricValue of(String name, double value) {
        return new MetricValue(name, value, Double.NaN);
    }

    /**
     * @param name the name
     * @param estimate mean and population std over subsets or splits
     * @return the mean as the value, with its std
     */
    public static MetricValue of(String name, MeanStd estimate) {
        return new MetricValue(name, estimate.mean(), estimate.std());
    }
}
