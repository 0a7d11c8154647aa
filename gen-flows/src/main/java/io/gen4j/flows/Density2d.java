package io.gen4j.flows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * Views of a flow on 2-D data: its density on a grid (for heat maps, and to check that it
 * integrates to 1) and the layer-by-layer warp of base samples into data space.
 */
public final class Density2d {

    private Density2d() {}

    /**
     * A density evaluated at the centres of a regular grid.
     *
     * @param xs x coordinates of the cell centres (columns)
     * @param ys y coordinates of the cell centres (rows)
     * @param density p(x, y) as {@code density[row][column]}
     * @param cellArea area of one cell
     */
    public record Grid(double[] xs, double[] ys, double[][] density, double cellArea) {
        /** @return Σ p · ΔA, the Riemann sum of the density over the grid (≈ 1 if it covers the mass) */
        public double integral() {
            double sum = 0;
            for (double[] row : density) {
                for (double p : row) {
                    sum += p;
                }
            }
            return sum * cellArea;
        }
    }

    /**
     * Evaluates {@code exp(log p(x))} on a {@code resolution × resolution} grid over a rectangle.
     *
     * @param flow an initialised flow over 2-D vectors
     * @param manager where temporaries live (closed before returning)
     * @param xMin left edge
     * @param xMax right edge, &gt; xMin
     * @param yMin bottom edge
     * @param yMax top edge, &gt; yMin
     * @param resolution cells per axis, at least 2
     * @return the grid
     */
    public static Grid densityGrid(
            NormalizingFlow flow, NDManager manager, double xMin, double xMax, double yMin, double yMax,
            int resolution) {
        if (!(xMax > xMin) || !(yMax > yMin)) {
            throw new IllegalArgumentException(
                    "need xMax > xMin and yMax > yMin, got [" + xMin + ", " + xMax + "] x [" + yMin + ", " + yMax + "]");
        }
        if (resolution < 2) {
            throw new IllegalArgumentException("resolution must be >= 2, got " + resolution);
        }
        double dx = (xMax - xMin) / resolution;
        double dy = (yMax - yMin) / resolution;
        double[] xs = new double[resolution];
        double[] ys = new double[resolution];
        for (int i = 0; i < resolution; i++) {
            xs[i] = xMin + (i + 0.5) * dx;
            ys[i] = yMin + (i + 0.5) * dy;
        }
        float[] points = new float[resolution * resolution * 2];
        int k = 0;
        for (int r = 0; r < resolution; r++) {
            for (int c = 0; c < resolution; c++) {
                points[k++] = (float) xs[c];
                points[k++] = (float) ys[r];
            }
        }
        double[][] density = new double[resolution][resolution];
        try (NDManager scope = manager.newSubManager()) {
            DataType type = flowType(flow);
            NDArray x = scope.create(points, new Shape((long) resolution * resolution, 2)).toType(type, false);
            double[] logP = flow.logLikelihood(x).toType(DataType.FLOAT64, false).toDoubleArray();
            for (int r = 0; r < resolution; r++) {
                for (int c = 0; c < resolution; c++) {
                    density[r][c] = Math.exp(logP[r * resolution + c]);
                }
            }
        }
        return new Grid(xs, ys, density, dx * dy);
    }

    /**
     * The layer-by-layer warp: n base samples pushed through the inverse transforms one at a time.
     * Element 0 is the base sample, the last element the model's samples.
     *
     * @param flow an initialised flow over 2-D vectors whose transform is a {@link
     *     CompositeTransform}
     * @param manager where temporaries live (closed before returning)
     * @param n number of points, at least 1
     * @return for each stage, the points as {@code [n][2]}
     */
    public static List<double[][]> warp(NormalizingFlow flow, NDManager manager, int n) {
        if (!(flow.transform() instanceof CompositeTransform composite)) {
            throw new IllegalArgumentException(
                    "the warp needs a CompositeTransform, got " + flow.transform().getClass().getSimpleName());
        }
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1, got " + n);
        }
        List<double[][]> stages = new ArrayList<>();
        try (NDManager scope = manager.newSubManager()) {
            NDArray z = flow.base().sample(scope, new Shape(n, 2), 1.0, flowType(flow));
            for (NDArray h : composite.inverseTrace(z)) {
                stages.add(toPoints(h));
            }
        }
        return stages;
    }

    /**
     * @param a (n, 2)
     * @return the points as {@code [n][2]}
     */
    public static double[][] toPoints(NDArray a) {
        double[] flat = a.toType(DataType.FLOAT64, false).toDoubleArray();
        double[][] p = new double[flat.length / 2][2];
        for (int i = 0; i < p.length; i++) {
            p[i][0] = flat[2 * i];
            p[i][1] = flat[2 * i + 1];
        }
        return p;
    }

    private static DataType flowType(NormalizingFlow flow) {
        return flow.getParameters().isEmpty()
                ? DataType.FLOAT32
                : flow.getParameters().valueAt(0).getArray().getDataType();
    }
}
