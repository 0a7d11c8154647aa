package io.gen4j.score.ebm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.math.Gaussians;
import java.util.function.Function;

/**
 * Numerical normalisation of a 2-D unnormalised density e^{−E(x)} on a box: the midpoint rule on an
 * R×R grid, log Z ≈ logsumexp_ij(−E(x_ij)) + log(Δx Δy). Then log p(x) = −E(x) − log Z is the density
 * of the model restricted to the box; its test NLL can be set against the oracle entropy of a toy.
 *
 * @param xMin left edge
 * @param xMax right edge
 * @param yMin bottom edge
 * @param yMax top edge
 * @param resolution R ≥ 2 cells per side
 */
public record GridDensity(double xMin, double xMax, double yMin, double yMax, int resolution) {

    /** Validates. */
    public GridDensity {
        if (!(xMax > xMin) || !(yMax > yMin) || resolution < 2) {
            throw new IllegalArgumentException("need a non-empty box and resolution >= 2");
        }
    }

    /** @return the cell centres, shape (R², 2), row-major in y then x, as floats */
    public float[] centres() {
        float[] p = new float[2 * resolution * resolution];
        double dx = (xMax - xMin) / resolution;
        double dy = (yMax - yMin) / resolution;
        int k = 0;
        for (int r = 0; r < resolution; r++) {
            for (int c = 0; c < resolution; c++) {
                p[k++] = (float) (xMin + (c + 0.5) * dx);
                p[k++] = (float) (yMin + (r + 0.5) * dy);
            }
        }
        return p;
    }

    /** @return Δx Δy */
    public double cellArea() {
        return (xMax - xMin) * (yMax - yMin) / ((double) resolution * resolution);
    }

    /**
     * @param energy E on points (N, 2) → (N)
     * @param manager scratch manager
     * @return −E at the cell centres, R×R (row = y)
     */
    public double[][] negativeEnergy(Function<NDArray, NDArray> energy, NDManager manager) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray points = scope.create(centres(), new Shape((long) resolution * resolution, 2));
            double[] e = energy.apply(points).toType(DataType.FLOAT64, false).toDoubleArray();
            double[][] out = new double[resolution][resolution];
            for (int r = 0; r < resolution; r++) {
                for (int c = 0; c < resolution; c++) {
                    out[r][c] = -e[r * resolution + c];
                }
            }
            return out;
        }
    }

    /**
     * @param energy E on points (N, 2) → (N)
     * @param manager scratch manager
     * @return log Z over the box
     */
    public double logPartition(Function<NDArray, NDArray> energy, NDManager manager) {
        double[][] g = negativeEnergy(energy, manager);
        double[] flat = new double[resolution * resolution];
        for (int r = 0; r < resolution; r++) {
            System.arraycopy(g[r], 0, flat, r * resolution, resolution);
        }
        return Gaussians.logSumExp(flat, flat.length) + Math.log(cellArea());
    }
}
