package io.gen4j.core.data.toy;

import java.util.Random;

/**
 * The uniform distribution on the dark squares of a checkerboard centred at the origin (the
 * "checkerboard" toy of FFJORD, Grathwohl et al. 2019, is {@code cells = 4, cellSize = 1}).
 *
 * <pre>
 *   cell (i, j), i, j in [0, cells), is filled when i + j is even
 *   p(x) = 1 / A inside filled cells, 0 elsewhere,  A = cells^2 / 2 * cellSize^2
 * </pre>
 *
 * Its entropy is exactly {@code log A} (FFJORD's board: {@code log 8}); the density has edges, a test
 * of how well a model captures discontinuities.
 *
 * @param cells squares per side, even and at least 2
 * @param cellSize the side of a square, positive
 */
public record Checkerboard(int cells, double cellSize) implements Toy2d {

    /** Validates the parameters. */
    public Checkerboard {
        if (cells < 2 || cells % 2 != 0) {
            throw new IllegalArgumentException("cells must be even and >= 2, got " + cells);
        }
        Checks.requirePositive("cellSize", cellSize);
    }

    /** @return FFJORD's board: 4 x 4 cells of side 1 on {@code [-2, 2]^2} */
    public static Checkerboard defaults() {
        return new Checkerboard(4, 1.0);
    }

    /** @return the filled area {@code A} */
    public double area() {
        return cells * cells / 2.0 * cellSize * cellSize;
    }

    private double half() {
        return cells * cellSize / 2;
    }

    @Override
    public double[][] sample(int n, Random random) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, got " + n);
        }
        double[][] out = new double[n][];
        int perRow = cells / 2;
        for (int s = 0; s < n; s++) {
            int k = random.nextInt(cells * perRow);
            int j = k / perRow;
            int i = 2 * (k % perRow) + (j % 2);
            out[s] = new double[] {
                -half() + (i + random.nextDouble()) * cellSize,
                -half() + (j + random.nextDouble()) * cellSize
            };
        }
        return out;
    }

    @Override
    public double logDensity(double x, double y) {
        double u = (x + half()) / cellSize;
        double v = (y + half()) / cellSize;
        if (!(u >= 0 && u < cells && v >= 0 && v < cells)) {
            return Double.NEGATIVE_INFINITY;
        }
        int i = (int) Math.floor(u);
        int j = (int) Math.floor(v);
        return (i + j) % 2 == 0 ? -Math.log(area()) : Double.NEGATIVE_INFINITY;
    }

    @Override
    public Box box() {
        return Box.centred(half());
    }
}
