package io.gen4j.core.data.toy;

import java.util.List;
import java.util.Random;

/**
 * Two interleaved Archimedean spirals (the "2spirals" toy of FFJORD, Grathwohl et al. 2019), one the
 * point reflection of the other, blurred by Gaussian noise:
 *
 * <pre>
 *   c_1(t) = scale * t * (cos t, sin t),  c_2(t) = -c_1(t),  t ~ U[tMin, tMax]
 *   x = c_k(t) + sigma * eps,  p(x) = 1/2 sum_k 1/(tMax - tMin) int N(x; c_k(t), sigma^2 I) dt
 * </pre>
 *
 * Unlike FFJORD's version (t = sqrt(u) times a constant, uniform noise) the parameter is uniform and
 * the noise Gaussian, so that the density is exact.
 *
 * @param scale radius growth per radian, positive
 * @param tMin first angle, at least 0
 * @param tMax last angle, greater than {@code tMin}
 * @param sigma the noise standard deviation, positive
 */
public record TwoSpirals(double scale, double tMin, double tMax, double sigma) implements Toy2d {

    /** Validates the parameters. */
    public TwoSpirals {
        Checks.requirePositive("scale", scale);
        Checks.requirePositive("sigma", sigma);
        if (!(tMin >= 0) || !(tMax > tMin) || Double.isInfinite(tMax)) {
            throw new IllegalArgumentException(
                    "need 0 <= tMin < tMax < infinity, got tMin=" + tMin + ", tMax=" + tMax);
        }
    }

    /** @return one and a half turns, {@code scale = 0.35, t in [pi/2, 3 pi], sigma = 0.1} */
    public static TwoSpirals defaults() {
        return new TwoSpirals(0.35, Math.PI / 2, 3 * Math.PI, 0.1);
    }

    private CurveMixture mixture() {
        return CurveMixture.cached(this, () -> new CurveMixture(
                List.of(
                        t -> new double[] {scale * t * Math.cos(t), scale * t * Math.sin(t)},
                        t -> new double[] {-scale * t * Math.cos(t), -scale * t * Math.sin(t)}),
                tMin,
                tMax,
                scale * Math.sqrt(1 + tMax * tMax),
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
