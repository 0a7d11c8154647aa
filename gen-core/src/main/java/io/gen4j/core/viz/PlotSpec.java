package io.gen4j.core.viz;

import java.util.Objects;

/**
 * Title, axis labels and pixel size of a {@link Plots} chart.
 *
 * @param title chart title ("" for none)
 * @param xLabel x-axis label
 * @param yLabel y-axis label
 * @param width PNG width in pixels, in [50, 10000]
 * @param height PNG height in pixels, in [50, 10000]
 */
public record PlotSpec(String title, String xLabel, String yLabel, int width, int height) {

    /** Validates the fields. */
    public PlotSpec {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(xLabel, "xLabel");
        Objects.requireNonNull(yLabel, "yLabel");
        if (width < 50 || width > 10_000 || height < 50 || height > 10_000) {
            throw new IllegalArgumentException("width and height must be in [50, 10000], got "
                    + width + "x" + height);
        }
    }

    /**
     * @param title the title
     * @return a 800x500 chart with axes "x" and "y"
     */
    public static PlotSpec of(String title) {
        return new PlotSpec(title, "x", "y", 800, 500);
    }

    /**
     * @param xLabel x-axis label
     * @param yLabel y-axis label
     * @return a copy with these labels
     */
    public PlotSpec withLabels(String xLabel, String yLabel) {
        return new PlotSpec(title, xLabel, yLabel, width, height);
    }

    /**
     * @param width width in pixels
     * @param height height in pixels
     * @return a copy with this size
     */
    public PlotSpec withSize(int width, int height) {
        return new PlotSpec(title, xLabel, yLabel, width, height);
    }
}
