package io.gen4j.core.data.toy;

import io.gen4j.core.math.Gaussians;
import java.util.Random;

/**
 * An equal-weight mixture of isotropic Gaussians whose means sit evenly on a circle, the "8
 * Gaussians" toy (FFJORD, Grathwohl et al. 2019, uses 8 modes, radius {@code 4 / sqrt 2} and
 * standard deviation {@code 0.5 / sqrt 2}):
 *
 * <pre>
 *   mu_k = radius * (cos(2 pi k / modes), sin(2 pi k / modes))
 *   p(x) = 1/modes sum_k N(x; mu_k, sigma^2 I)
 * </pre>
 *
 * With {@code radius = 0} it is a single Gaussian, of entropy {@code log(2 pi e sigma^2)}.
 *
 * @param modes the number of components, at least 1
 * @param radius the radius of the circle of means, at least 0
 * @param sigma the standard deviation of each component, positive
 */
public record EightGaussians(int modes, double radius, double sigma) implements Toy2d {

    /** Validates the parameters. */
    public EightGaussians {
        if (modes < 1) {
            throw new IllegalArgumentException("modes must be >= 1, got " + modes);
        }
        if (!(radius >= 0) || Double.isInfinite(radius)) {
            throw new IllegalArgumentException("radius must be >= 0 and finite, got " + radius);
        }
        Checks.requirePositive("sigma", sigma);
    }

    /** @return FFJORD's parameters: 8 modes, radius {@code 2 sqrt 2}, sigma {@code 0.5 / sqrt 2} */
    public static EightGaussians defaults() {
        return new EightGaussians(8, 4 / Math.sqrt(2), 0.5 / Math.sqrt(2));
    }

    /**
     * @param k the component index in {@code [0, modes)}
     * @return its mean {@code {x, y}}
     */
    public double[] mean(int k) {
        double a = 2 * Math.PI * k / modes;
        return new double[] {radius * Math.cos(a), radius * Math.sin(a)};
    }

    @Override
    public double[][] sample(int n, Random random) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, got " + n);
        }
        double[][] out = new double[n][];
        for (int i = 0; i < n; i++) {
            double[] mu = mean(random.nextInt(modes));
            out[i] = new double[] {
                mu[0] + sigma * random.nextGaussian(), mu[1] + sigma * random.nextGaussian()
            };
        }
        return out;
    }

    @Override
    public double logDensity(double x, double y) {
        double[] terms = new double[modes];
        for (int k = 0; k < modes; k++) {
            double[] mu = mean(k);
            double dx = x - mu[0];
            double dy = y - mu[1];
            terms[k] = Gaussians.logDensity2d(dx * dx + dy * dy, sigma);
        }
        return Gaussians.logSumExp(terms, modes) - Math.log(modes);
    }

    @Override
    public Box box() {
        return Box.centred(radius + 6 * sigma);
    }
}
