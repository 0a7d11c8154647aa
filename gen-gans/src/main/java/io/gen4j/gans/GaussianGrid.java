package io.gen4j.gans;

import io.gen4j.core.data.toy.Box;
import io.gen4j.core.data.toy.Toy2d;
import java.util.Random;

/**
 * An equal-weight mixture of isotropic Gaussians on a square grid, the "25 Gaussians" toy of the
 * mode-collapse literature (VEEGAN, Srivastava et al. 2017; PacGAN, Lin et al. 2018): means at
 * {@code spacing · (i − (side−1)/2, j − (side−1)/2)}, standard deviation σ.
 *
 * @param side modes per row, at least 1 (5 gives 25 modes)
 * @param spacing distance between neighbouring means, &gt; 0
 * @param sigma standard deviation of each mode, &gt; 0
 */
public record GaussianGrid(int side, double spacing, double sigma) implements Toy2d {

    /** Validates. */
    public GaussianGrid {
        if (side < 1) {
            throw new IllegalArgumentException("side must be >= 1, got " + side);
        }
        if (!(spacing > 0) || !(sigma > 0) || Double.isInfinite(spacing) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("spacing and sigma must be finite and > 0, got " + spacing + ", " + sigma);
        }
    }

    /** @return 5 × 5 modes, spacing 1, σ = 0.05 */
    public static GaussianGrid defaults() {
        return new GaussianGrid(5, 1, 0.05);
    }

    /** @return the number of modes, side² */
    public int modes() {
        return side * side;
    }

    /**
     * @param k a mode index in [0, side²)
     * @return its mean {x, y}
     */
    public double[] mean(int k) {
        double c = (side - 1) / 2.0;
        return new double[] {spacing * (k % side - c), spacing * (k / side - c)};
    }

    /** @return all means, (side², 2) */
    public double[][] means() {
        double[][] m = new double[modes()][];
        for (int k = 0; k < m.length; k++) {
            m[k] = mean(k);
        }
        return m;
    }

    @Override
    public double[][] sample(int n, Random random) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, got " + n);
        }
        double[][] out = new double[n][];
        for (int i = 0; i < n; i++) {
            double[] mu = mean(random.nextInt(modes()));
            out[i] = new double[] {mu[0] + sigma * random.nextGaussian(), mu[1] + sigma * random.nextGaussian()};
        }
        return out;
    }

    @Override
    public double logDensity(double x, double y) {
        double max = Double.NEGATIVE_INFINITY;
        double[] terms = new double[modes()];
        for (int k = 0; k < terms.length; k++) {
            double[] mu = mean(k);
            double d2 = (x - mu[0]) * (x - mu[0]) + (y - mu[1]) * (y - mu[1]);
            terms[k] = -d2 / (2 * sigma * sigma) - Math.log(2 * Math.PI * sigma * sigma);
            max = Math.max(max, terms[k]);
        }
        double sum = 0;
        for (double t : terms) {
            sum += Math.exp(t - max);
        }
        return max + Math.log(sum) - Math.log(modes());
    }

    @Override
    public Box box() {
        return Box.centred(spacing * (side - 1) / 2.0 + 6 * sigma);
    }
}
