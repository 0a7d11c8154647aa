package io.gen4j.core.viz;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Paint;
import java.awt.geom.Ellipse2D;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogarithmicAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYItemRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Charts written as PNG with JFreeChart, headless: loss curves, 2-D scatter plots of samples and
 * density heat maps (2-D histograms of samples, or a density evaluated on a grid).
 */
public final class Plots {

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private Plots() {}

    /**
     * Line plot of one or more series (loss curves).
     *
     * @param series the curves
     * @param spec title, labels, size
     * @param logY logarithmic y axis (points with y &lt;= 0 or non-finite are dropped)
     * @param file the PNG file
     * @throws IOException when writing fails
     */
    public static void line(List<Series> series, PlotSpec spec, boolean logY, Path file)
            throws IOException {
        XYSeriesCollection data = collection(series, logY);
        JFreeChart chart = ChartFactory.createXYLineChart(spec.title(), spec.xLabel(),
                spec.yLabel(), data, PlotOrientation.VERTICAL, series.size() > 1, false, false);
        XYPlot plot = chart.getXYPlot();
        style(plot);
        if (logY) {
            LogarithmicAxis axis = new LogarithmicAxis(spec.yLabel());
            axis.setStrictValuesFlag(false);
            axis.setExpTickLabelsFlag(false);
            plot.setRangeAxis(axis);
        } else {
            ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
        }
        XYItemRenderer r = plot.getRenderer();
        for (int i = 0; i < series.size(); i++) {
            r.setSeriesStroke(i, new BasicStroke(1.5f));
        }
        save(chart, spec, file);
    }

    /**
     * Plots every metric column of a metrics CSV (header {@code step,<names>}, as written by
     * {@code MetricsLog}) against the step.
     *
     * @param csv the metrics file
     * @param spec title, labels, size
     * @param logY logarithmic y axis
     * @param file the PNG file
     * @throws IOException when reading or writing fails
     */
    public static void metricsCsv(Path csv, PlotSpec spec, boolean logY, Path file)
            throws IOException {
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        if (lines.isEmpty()) {
            throw new IOException(csv + " is empty");
        }
        String[] header = lines.get(0).split(",");
        int rows = lines.size() - 1;
        double[] step = new double[rows];
        double[][] values = new double[header.length - 1][rows];
        for (int r = 0; r < rows; r++) {
            String[] cells = lines.get(r + 1).split(",", -1);
            step[r] = Double.parseDouble(cells[0]);
            for (int c = 1; c < header.length; c++) {
                values[c - 1][r] = c < cells.length && !cells[c].isEmpty()
                        ? Double.parseDouble(cells[c]) : Double.NaN;
            }
        }
        List<Series> series = new ArrayList<>();
        for (int c = 1; c < header.length; c++) {
            series.add(new Series(header[c], step, values[c - 1]));
        }
        line(series, spec, logY, file);
    }

    /**
     * Scatter plot of 2-D points, e.g. real data and generated samples.
     *
     * @param series the point sets
     * @param spec title, labels, size
     * @param file the PNG file
     * @throws IOException when writing fails
     */
    public static void scatter(List<Series> series, PlotSpec spec, Path file) throws IOException {
        JFreeChart chart = ChartFactory.createScatterPlot(spec.title(), spec.xLabel(),
                spec.yLabel(), collection(series, false), PlotOrientation.VERTICAL,
                series.size() > 1, false, false);
        XYPlot plot = chart.getXYPlot();
        style(plot);
        for (int i = 0; i < series.size(); i++) {
            plot.getRenderer().setSeriesShape(i, new Ellipse2D.Double(-1.5, -1.5, 3, 3));
        }
        save(chart, spec, file);
    }

    /**
     * Heat map of the empirical density of 2-D points: a {@code bins x bins} histogram over
     * [xMin, xMax] x [yMin, yMax], normalised to integrate to 1 (points outside are ignored).
     *
     * @param x x coordinates
     * @param y y coordinates
     * @param bins bins per axis, in [2, 1000]
     * @param xMin left edge
     * @param xMax right edge, &gt; xMin
     * @param yMin bottom edge
     * @param yMax top edge, &gt; yMin
     * @param spec title, labels, size
     * @param file the PNG file
     * @throws IOException when writing fails
     */
    public static void density(double[] x, double[] y, int bins, double xMin, double xMax,
            double yMin, double yMax, PlotSpec spec, Path file) throws IOException {
        if (x.length != y.length) {
            throw new IllegalArgumentException("x and y must have the same length");
        }
        double[][] grid = histogram(x, y, bins, xMin, xMax, yMin, yMax);
        densityGrid(grid, xMin, xMax, yMin, yMax, spec, file);
    }

    /**
     * The normalised 2-D histogram used by {@link #density}.
     *
     * @param x x coordinates
     * @param y y coordinates
     * @param bins bins per axis, in [2, 1000]
     * @param xMin left edge
     * @param xMax right edge, &gt; xMin
     * @param yMin bottom edge
     * @param yMax top edge, &gt; yMin
     * @return density[j][i] of the cell in row j (y, row 0 at {@code yMin}) and column i (x), the
     *     layout of {@link #densityGrid} and of {@code Toy2d.densityGrid}
     */
    public static double[][] histogram(double[] x, double[] y, int bins, double xMin,
            double xMax, double yMin, double yMax) {
        if (bins < 2 || bins > 1000) {
            throw new IllegalArgumentException("bins must be in [2, 1000], got " + bins);
        }
        checkRange(xMin, xMax, yMin, yMax);
        double[][] grid = new double[bins][bins];
        double dx = (xMax - xMin) / bins;
        double dy = (yMax - yMin) / bins;
        for (int k = 0; k < x.length; k++) {
            int i = (int) Math.floor((x[k] - xMin) / dx);
            int j = (int) Math.floor((y[k] - yMin) / dy);
            if (i >= 0 && i < bins && j >= 0 && j < bins) {
                grid[j][i]++;
            }
        }
        double scale = x.length == 0 ? 0 : 1.0 / (x.length * dx * dy);
        for (double[] row : grid) {
            for (int i = 0; i < row.length; i++) {
                row[i] *= scale;
            }
        }
        return grid;
    }

    /**
     * Heat map of values on a regular grid (a known density evaluated at cell centres, or a
     * histogram).
     *
     * @param values values[j][i] for row j (y, row 0 at {@code yMin}) and column i (x), the layout
     *     of {@code Toy2d.densityGrid}; all rows the same length
     * @param xMin left edge
     * @param xMax right edge, &gt; xMin
     * @param yMin bottom edge
     * @param yMax top edge, &gt; yMin
     * @param spec title, labels, size
     * @param file the PNG file
     * @throws IOException when writing fails
     */
    public static void densityGrid(double[][] values, double xMin, double xMax, double yMin,
            double yMax, PlotSpec spec, Path file) throws IOException {
        checkRange(xMin, xMax, yMin, yMax);
        int ny = values.length;
        int nx = ny == 0 ? 0 : values[0].length;
        if (nx == 0 || ny == 0) {
            throw new IllegalArgumentException("values must be a non-empty grid");
        }
        double dx = (xMax - xMin) / nx;
        double dy = (yMax - yMin) / ny;
        double[] xs = new double[nx * ny];
        double[] ys = new double[nx * ny];
        double[] zs = new double[nx * ny];
        double max = 0;
        for (int j = 0; j < ny; j++) {
            if (values[j].length != nx) {
                throw new IllegalArgumentException("row " + j + " has " + values[j].length
                        + " columns, expected " + nx);
            }
            for (int i = 0; i < nx; i++) {
                int k = j * nx + i;
                xs[k] = xMin + (i + 0.5) * dx;
                ys[k] = yMin + (j + 0.5) * dy;
                zs[k] = values[j][i];
                if (Double.isFinite(zs[k])) {
                    max = Math.max(max, zs[k]);
                }
            }
        }
        DefaultXYZDataset data = new DefaultXYZDataset();
        data.addSeries("density", new double[][] {xs, ys, zs});
        NumberAxis xAxis = new NumberAxis(spec.xLabel());
        xAxis.setRange(xMin, xMax);
        NumberAxis yAxis = new NumberAxis(spec.yLabel());
        yAxis.setRange(yMin, yMax);
        XYBlockRenderer renderer = new XYBlockRenderer();
        renderer.setBlockWidth(dx);
        renderer.setBlockHeight(dy);
        Viridis scale = new Viridis(max > 0 ? max : 1.0);
        renderer.setPaintScale(scale);
        XYPlot plot = new XYPlot(data, xAxis, yAxis, renderer);
        plot.setBackgroundPaint(scale.getPaint(0));
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        JFreeChart chart = new JFreeChart(spec.title(), JFreeChart.DEFAULT_TITLE_FONT, plot, false);
        chart.setBackgroundPaint(Color.WHITE);
        NumberAxis legendAxis = new NumberAxis();
        legendAxis.setRange(0, max > 0 ? max : 1.0);
        PaintScaleLegend legend = new PaintScaleLegend(scale, legendAxis);
        legend.setPosition(RectangleEdge.RIGHT);
        legend.setStripWidth(12);
        chart.addSubtitle(legend);
        save(chart, spec, file);
    }

    private static void checkRange(double xMin, double xMax, double yMin, double yMax) {
        if (!(xMax > xMin) || !(yMax > yMin)) {
            throw new IllegalArgumentException("need xMin < xMax and yMin < yMax, got x ["
                    + xMin + ", " + xMax + "], y [" + yMin + ", " + yMax + "]");
        }
    }

    private static XYSeriesCollection collection(List<Series> series, boolean positiveOnly) {
        if (series.isEmpty()) {
            throw new IllegalArgumentException("at least one series is needed");
        }
        XYSeriesCollection data = new XYSeriesCollection();
        for (Series s : series) {
            XYSeries xy = new XYSeries(s.name(), false, true);
            for (int i = 0; i < s.x().length; i++) {
                double v = s.y()[i];
                if (Double.isFinite(v) && Double.isFinite(s.x()[i]) && (!positiveOnly || v > 0)) {
                    xy.add(s.x()[i], v, false);
                }
            }
            data.addSeries(xy);
        }
        return data;
    }

    private static void style(XYPlot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    }

    private static void save(JFreeChart chart, PlotSpec spec, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        ChartUtils.saveChartAsPNG(file.toFile(), chart, spec.width(), spec.height());
    }

    /** The viridis colour map (matplotlib), linear from 0 to an upper bound. */
    private static final class Viridis implements PaintScale {
        private static final int[][] STOPS = {
            {68, 1, 84}, {72, 40, 120}, {62, 74, 137}, {49, 104, 142}, {38, 130, 142},
            {31, 158, 137}, {53, 183, 121}, {109, 205, 89}, {180, 222, 44}, {253, 231, 37}
        };
        private final double upper;

        Viridis(double upper) {
            this.upper = upper;
        }

        @Override
        public double getLowerBound() {
            return 0;
        }

        @Override
        public double getUpperBound() {
            return upper;
        }

        @Override
        public Paint getPaint(double value) {
            double t = Double.isFinite(value) ? Math.max(0, Math.min(1, value / upper)) : 0;
            double pos = t * (STOPS.length - 1);
            int i = Math.min(STOPS.length - 2, (int) Math.floor(pos));
            double f = pos - i;
            int[] a = STOPS[i];
            int[] b = STOPS[i + 1];
            return new Color((int) Math.round(a[0] + f * (b[0] - a[0])),
                    (int) Math.round(a[1] + f * (b[1] - a[1])),
                    (int) Math.round(a[2] + f * (b[2] - a[2])));
        }
    }
}
