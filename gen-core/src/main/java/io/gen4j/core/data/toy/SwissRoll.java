package io.gen4j.core.data.toy;

import java.util.List;
import java.util.Random;

/**
 * The 2-D swiss roll: scikit-learn's {@code make_swiss_roll} projected on its (x, z) plane and
 * scaled, as in FFJORD (Grathwohl et al. 2019), with Gaussian noise added in the plane:
 *
 * <pre>
 *   t ~ U[1.5 pi, 4.5 pi],  c(t) = scale * t * (cos t, sin t),  x = c(t) + sigma * eps
 *   p(x) = 1/(3 pi) int N(x; c(t), sigma^2 I) dt
 * </pre>
 *
 * @param scale the scale of the roll, positive (FFJORD divides by 5: 0.2)
 * @param sigma the noise standard deviation, positive
 */
public record SwissRoll(double scale, double sigma) implements Toy2d {

    private static final double T_MIN = 1.5 * Math.PI;
    private static final double T_MAX = 4.5 * Math.PI;

    /** Validates the parameters. */
    public SwissRoll {
        Checks.requirePositive("scale", scale);
        Checks.requirePositive("sigma", sigma);
    }

    /** @return {@code SwissRoll(0.2, 0.1)} */
    public static SwissRoll defaults() {
        return new SwissRoll(0.2, 0.1);
    }

    private CurveMixture mixture() {
        return CurveMixture.cached(this, () -> new CurveMixture(
                List.of(t -> new double[] {scale * t * Math.cos(t), scale * t * Math.sin(t)}),
                T_MIN,
                T_MAX,
                scale * Math.sqrt(1 + T_MAX * T_MAX),
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
