package io.gen4j.core.data.toy;

import java.util.Random;

/**
 * A synthetic 2-D distribution with an exact density: seeded sampling and {@code log p(x, y)}.
 *
 * <p>The classic toys of the generative-model literature (moons, 8 Gaussians, checkerboard, circles,
 * spirals, swiss roll, rings; e.g. Grathwohl et al. 2019, FFJORD) are defined here so that their
 * density is computable: as Gaussian mixtures, as uniform densities on a union of squares, as
 * radial-Gaussian rings, or as a curve {@code c(t)} with {@code t} uniform convolved with isotropic
 * Gaussian noise, {@code p(x) = E_t[N(x; c(t), sigma^2 I)]}, evaluated by quadrature along the curve.
 * Knowing {@code p} gives the oracle entropy ({@link OracleEntropy}), the floor of any model's test
 * NLL, and lets tests compare a model's density with the truth.
 */
public interface Toy2d {

    /**
     * Draws points.
     *
     * @param n the number of points, at least 0
     * @param random the generator to draw from (carried by the caller)
     * @return {@code n} rows {@code {x, y}}
     */
    double[][] sample(int n, Random random);

    /**
     * The exact log-density (natural log).
     *
     * @param x first coordinate
     * @param y second coordinate
     * @return {@code log p(x, y)}, {@link Double#NEGATIVE_INFINITY} where the density is zero
     */
    double logDensity(double x, double y);

    /** @return a rectangle holding all but a negligible part (below 1e-6) of the mass */
    Box box();

    /**
     * Draws points with a fresh {@code new Random(seed)}.
     *
     * @param n the number of points
     * @param seed the seed
     * @return {@code n} rows {@code {x, y}}
     */
    default double[][] sample(int n, long seed) {
        return sample(n, new Random(seed));
    }

    /**
     * Draws points as a flat float array, the layout of an (n, 2) tensor.
     *
     * @param n the number of points
     * @param seed the seed
     * @return {@code 2n} floats {@code x0, y0, x1, y1, ...}
     */
    default float[] sampleFlat(int n, long seed) {
        double[][] rows = sample(n, seed);
        float[] out = new float[2 * n];
        for (int i = 0; i < n; i++) {
            out[2 * i] = (float) rows[i][0];
            out[2 * i + 1] = (float) rows[i][1];
        }
        return out;
    }

    /**
     * The density on the cell midpoints of a regular grid over {@link #box()} (for plots and
     * numerical integration: {@code sum * cellArea} should be close to 1).
     *
     * @param nx cells along x
     * @param ny cells along y
     * @return {@code p} as {@code [row y][column x]}, row 0 at {@code yMin}
     */
    default double[][] densityGrid(int nx, int ny) {
        if (nx < 1 || ny < 1) {
            throw new IllegalArgumentException("grid must be at least 1x1, got " + nx + "x" + ny);
        }
        Box b = box();
        double dx = b.width() / nx;
        double dy = b.height() / ny;
        double[][] out = new double[ny][nx];
        for (int j = 0; j < ny; j++) {
            double y = b.yMin() + (j + 0.5) * dy;
            for (int i = 0; i < nx; i++) {
                out[j][i] = Math.exp(logDensity(b.xMin() + (i + 0.5) * dx, y));
            }
        }
        return out;
    }
}
