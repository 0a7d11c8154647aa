package io.gen4j.spark;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * The points of a hyperparameter sweep: every combination of some values (grid search) or draws from
 * ranges (random search, Bergstra &amp; Bengio 2012). A point maps each parameter's name to its value.
 */
public final class SweepSpace {

    private SweepSpace() {}

    /**
     * A range of a random search.
     *
     * @param low the smallest value
     * @param high the largest, &gt; low
     * @param logScale draw log(x) uniformly (for learning rates, weights over decades); needs low &gt; 0
     */
    public record Range(double low, double high, boolean logScale) {

        /** Validates. */
        public Range {
            if (!(high > low) || Double.isInfinite(low) || Double.isInfinite(high)) {
                throw new IllegalArgumentException("a range needs finite low < high, got [" + low + ", " + high + "]");
            }
            if (logScale && !(low > 0)) {
                throw new IllegalArgumentException("a log-scale range needs low > 0, got " + low);
            }
        }

        double draw(Random random) {
            double u = random.nextDouble();
            return logScale ? Math.exp(Math.log(low) + u * (Math.log(high) - Math.log(low))) : low + u * (high - low);
        }
    }

    /**
     * Grid search: the Cartesian product, the first parameter varying slowest.
     *
     * @param values each parameter's values (insertion order kept), each list non-empty
     * @return every combination
     */
    public static List<Map<String, Double>> grid(LinkedHashMap<String, List<Double>> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("a grid needs at least one parameter");
        }
        List<Map<String, Double>> points = new ArrayList<>();
        points.add(new TreeMap<>());
        for (Map.Entry<String, List<Double>> e : values.entrySet()) {
            if (e.getValue().isEmpty()) {
                throw new IllegalArgumentException("parameter '" + e.getKey() + "' has no values");
            }
            List<Map<String, Double>> next = new ArrayList<>();
            for (Map<String, Double> p : points) {
                for (double v : e.getValue()) {
                    Map<String, Double> q = new TreeMap<>(p);
                    q.put(e.getKey(), v);
                    next.add(q);
                }
            }
            points = next;
        }
        return points;
    }

    /**
     * Random search: n independent draws, each parameter from its range.
     *
     * @param ranges each parameter's range (draws follow the map's order)
     * @param n how many points, at least 1
     * @param seed the seed of the draws
     * @return the points
     */
    public static List<Map<String, Double>> random(LinkedHashMap<String, Range> ranges, int n, long seed) {
        if (ranges.isEmpty() || n < 1) {
            throw new IllegalArgumentException("a random search needs at least one range and n >= 1, got "
                    + ranges.size() + " ranges and n = " + n);
        }
        Random random = new Random(seed);
        List<Map<String, Double>> points = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, Double> p = new TreeMap<>();
            for (Map.Entry<String, Range> e : ranges.entrySet()) {
                p.put(e.getKey(), e.getValue().draw(random));
            }
            points.add(p);
        }
        return points;
    }
}
