package io.gen4j.core.data.toy;

import io.gen4j.core.math.Gaussians;
import java.util.Random;

/**
 * Concentric rings with radial Gaussian noise, equal weight per ring: {@link #circles()} is the
 * two-ring "circles" toy (scikit-learn's {@code make_circles} with factor 1/2), {@link #defaults()}
 * four rings.
 *
 * <pre>
 *   r_k = minRadius + k (maxRadius - minRadius) / (count - 1)
 *   rho ~ N(r_k, sigma^2),  theta ~ U[0, 2 pi),  x = rho (cos theta, sin theta)
 *   p(x) = 1/count sum_k [phi_sigma(s - r_k) + phi_sigma(s + r_k)] / (2 pi s),  s = |x|
 * </pre>
 *
 * (The second term accounts for negative {@code rho}, which lands on the opposite side; the density
 * integrates to one exactly.) Unlike {@code make_circles}, whose noise is isotropic, the noise here
 * is radial so that the density has a closed form.
 *
 * @param count the number of rings, at least 1
 * @param minRadius the innermost radius, positive
 * @param maxRadius the outermost radius, at least {@code minRadius} (equal when {@code count = 1})
 * @param sigma the radial noise standard deviation, positive
 */
public record Rings(int count, double minRadius, double maxRadius, double sigma) implements Toy2d {

    /** Validates the parameters. */
    public Rings {
        if (count < 1) {
            throw new IllegalArgumentException("count must be >= 1, got " + count);
        }
        Checks.requirePositive("minRadius", minRadius);
        Checks.requirePositive("sigma", sigma);
        if (!(maxRadius >= minRadius) || Double.isInfinite(maxRadius)) {
            throw new IllegalArgumentException(
                    "maxRadius must be finite and >= minRadius " + minRadius + ", got " + maxRadius);
        }
        if (count == 1 && maxRadius != minRadius) {
            throw new IllegalArgumentException(
                    "one ring needs maxRadius == minRadius, got " + minRadius + " and " + maxRadius);
        }
    }

    /** @return four rings of radii 0.5, 1, 1.5, 2 and sigma 0.08 */
    public static Rings defaults() {
        return new Rings(4, 0.5, 2.0, 0.08);
    }

    /** @return the "circles" toy: radii 0.5 and 1, sigma 0.05 */
    public static Rings circles() {
        return new Rings(2, 0.5, 1.0, 0.05);
    }

    /**
     * @param k the ring index in {@code [0, count)}
     * @return its radius
     */
    public double radius(int k) {
        return count == 1 ? minRadius : minRadius + k * (maxRadius - minRadius) / (count - 1);
    }

    @Override
    public double[][] sample(int n, Random random) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, got " + n);
        }
        double[][] out = new double[n][];
        for (int i = 0; i < n; i++) {
            double rho = radius(random.nextInt(count)) + sigma * random.nextGaussian();
            double theta = 2 * Math.PI * random.nextDouble();
            out[i] = new double[] {rho * Math.cos(theta), rho * Math.sin(theta)};
        }
        return out;
    }

    @Override
    public double logDensity(double x, double y) {
        double s = Math.hypot(x, y);
        double[] terms = new double[2 * count];
        double logPhiNorm = -0.5 * Gaussians.LOG_2PI - Math.log(sigma);
        for (int k = 0; k < count; k++) {
            double a = (s - radius(k)) / sigma;
            double b = (s + radius(k)) / sigma;
            terms[2 * k] = logPhiNorm - 0.5 * a * a;
            terms[2 * k + 1] = logPhiNorm - 0.5 * b * b;
        }
        return Gaussians.logSumExp(terms, terms.length)
                - Math.log(count)
                - Math.log(2 * Math.PI * s);
    }

    @Override
    public Box box() {
        return Box.centred(maxRadius + 6 * sigma);
    }
}
