package io.gen4j.core.data.toy;

import java.util.List;
import java.util.Random;

/**
 * Two interleaving half circles, scikit-learn's {@code make_moons}, defined so that the density is
 * exact: pick a moon with probability 1/2, an angle {@code theta ~ U[0, pi]}, add {@code N(0,
 * sigma^2 I)}.
 *
 * <pre>
 *   upper moon: (cos theta, sin theta)
 *   lower moon: (1 - cos theta, 1/2 - sin theta)
 *   p(x) = 1/2 sum_moon 1/pi int_0^pi N(x; c(theta), sigma^2 I) dtheta
 * </pre>
 *
 * @param sigma the noise standard deviation, positive (scikit-learn examples use 0.05 to 0.1)
 */
public record Moons(double sigma) implements Toy2d {

    /** Validates the parameter. */
    public Moons {
        Checks.requirePositive("sigma", sigma);
    }

    /** @return {@code Moons(0.1)} */
    public static Moons defaults() {
        return new Moons(0.1);
    }

    private CurveMixture mixture() {
        return CurveMixture.cached(this, () -> new CurveMixture(
                List.of(
                        t -> new double[] {Math.cos(t), Math.sin(t)},
                        t -> new double[] {1 - Math.cos(t), 0.5 - Math.sin(t)}),
                0,
                Math.PI,
                1.0,
                sigma));
    }

    @Override
    public double[][] sample(int n, Random random) {
        return mixture().sample(n, random);
    }

    @Override
    public double logDensity(double x, double y) {
        return mixture().logDensity(x, y);
    }

    @Override
    public Box box() {
        return mixture().box();
    }
}
