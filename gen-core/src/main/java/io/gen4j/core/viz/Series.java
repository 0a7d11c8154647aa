package io.gen4j.core.viz;

import java.util.Objects;

/**
 * A named list of points (x[i], y[i]) for a line or scatter plot.
 *
 * @param name the legend entry
 * @param x x values
 * @param y y values, as many as x
 */
public record Series(String name, double[] x, double[] y) {

    /** Validates the lengths. */
    public Series {
        Objects.requireNonNull(name, "name");
        if (x.length != y.length) {
            throw new IllegalArgumentException(
                    "x and y must have the same length, got " + x.length + " and " + y.length);
        }
    }

    /**
     * Points of an (N, 2) row-major array, as 2-D samples are stored.
     *
     * @param name the legend entry
     * @param xy x0, y0, x1, y1, ...
     * @return the series
     */
    public static Series ofPairs(String name, float[] xy) {
        if (xy.length % 2 != 0) {
            throw new IllegalArgumentException("xy must hold pairs, got " + xy.length + " values");
        }
        double[] x = new double[xy.length / 2];
        double[] y = new double[xy.length / 2];
        for (int i = 0; i < x.length; i++) {
            x[i] = xy[2 * i];
            y[i] = xy[2 * i + 1];
        }
        return new Series(name, x, y);
    }
}
