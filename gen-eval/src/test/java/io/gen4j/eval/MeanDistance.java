package io.gen4j.eval;

import ai.djl.ndarray.NDManager;
import java.util.List;

/**
 * A metric that exists only in the tests, written against the public {@link Metric} contract as a
 * user would: the Euclidean distance between the mean features of the reference and the samples.
 */
public record MeanDistance() implements Metric {

    @Override
    public List<MetricValue> evaluate(MetricInput input, NDManager manager) {
        return List.of(MetricValue.of("mean-distance", distance(input.reference(), input.samples())));
    }

    /**
     * @param a a set
     * @param b another set, same dimension
     * @return |mean(a) − mean(b)|
     */
    static double distance(Features a, Features b) {
        double s = 0;
        for (int j = 0; j < a.dim(); j++) {
            double d = mean(a, j) - mean(b, j);
            s += d * d;
        }
        return Math.sqrt(s);
    }

    private static double mean(Features x, int column) {
        double s = 0;
        for (int i = 0; i < x.count(); i++) {
            s += x.get(i, column);
        }
        return s / x.count();
    }

    /** Offers the metric to {@link MetricRegistry#installed()} through {@code META-INF/services}. */
    public static final class Provider implements MetricProvider {

        /** Needed by the service loader. */
        public Provider() {}

        @Override
        public String name() {
            return "mean-distance";
        }

        @Override
        public Metric create(long seed) {
            return new MeanDistance();
        }
    }
}
