package io.gen4j.core.data.toy;

import io.gen4j.core.math.Gaussians;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleFunction;
import java.util.function.Supplier;

/**
 * The density of points on curves blurred by Gaussian noise, shared by {@link Moons}, {@link
 * TwoSpirals} and {@link SwissRoll}:
 *
 * <pre>
 *   x = c_k(t) + sigma * eps,  k ~ U{1..K},  t ~ U[tMin, tMax],  eps ~ N(0, I)
 *   p(x) = 1/K sum_k 1/(tMax - tMin) int N(x; c_k(t), sigma^2 I) dt
 * </pre>
 *
 * The integral is a composite 8-point Gauss–Legendre rule, summed in log space, on panels whose
 * curve length is at most {@code sigma}: the integrand is a bump of width about {@code sigma} along
 * the curve, or, near an end of the curve, a bump cut off by the end, both of which a degree-15
 * rule integrates to near machine precision. The two end panels are further split geometrically
 * (lengths 1/64, 3/64, 3/16, 3/4 of a panel) for far-away points, whose integrand decays steeply
 * from the end.
 */
final class CurveMixture {

    private static final Map<Object, CurveMixture> CACHE = new ConcurrentHashMap<>();
    private static final double[] GL_X = {
        -0.9602898564975363, -0.7966664774136267, -0.5255324099163290, -0.1834346424956498,
        0.1834346424956498, 0.5255324099163290, 0.7966664774136267, 0.9602898564975363
    };
    private static final double[] GL_W = {
        0.1012285362903763, 0.2223810344533745, 0.3137066458778873, 0.3626837833783620,
        0.3626837833783620, 0.3137066458778873, 0.2223810344533745, 0.1012285362903763
    };
    private static final double[] END_SPLIT = {0, 1.0 / 64, 1.0 / 16, 1.0 / 4, 1};

    private final List<DoubleFunction<double[]>> curves;
    private final double tMin;
    private final double tMax;
    private final double sigma;
    private final double[] nodeX;
    private final double[] nodeY;
    private final double[] logWeight;
    private final Box box;

    /**
     * @param curves the curves {@code t -> {x, y}}
     * @param tMin start of the parameter range
     * @param tMax end of the parameter range
     * @param maxSpeed an upper bound of {@code |dc/dt|} over the range
     * @param sigma the noise standard deviation
     */
    CurveMixture(
            List<DoubleFunction<double[]>> curves,
            double tMin,
            double tMax,
            double maxSpeed,
            double sigma) {
        this.curves = List.copyOf(curves);
        this.tMin = tMin;
        this.tMax = tMax;
        this.sigma = sigma;
        int panels = (int) Math.max(8, Math.ceil(maxSpeed * (tMax - tMin) / sigma));
        double[][] nodes = nodes(panels, (tMax - tMin) / panels);
        double[] ts = nodes[0];
        double[] ws = nodes[1];
        int perCurve = ts.length;
        int k = curves.size();
        nodeX = new double[k * perCurve];
        nodeY = new double[k * perCurve];
        logWeight = new double[k * perCurve];
        double logNorm = -Math.log(k) - Math.log(tMax - tMin);
        double xLo = Double.POSITIVE_INFINITY;
        double xHi = Double.NEGATIVE_INFINITY;
        double yLo = Double.POSITIVE_INFINITY;
        double yHi = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) {
            for (int i = 0; i < perCurve; i++) {
                int j = c * perCurve + i;
                double[] p = curves.get(c).apply(ts[i]);
                nodeX[j] = p[0];
                nodeY[j] = p[1];
                logWeight[j] = Math.log(ws[i]) + logNorm;
                xLo = Math.min(xLo, p[0]);
                xHi = Math.max(xHi, p[0]);
                yLo = Math.min(yLo, p[1]);
                yHi = Math.max(yHi, p[1]);
            }
        }
        double margin = 6 * sigma;
        box = new Box(xLo - margin, xHi + margin, yLo - margin, yHi + margin);
    }

    /** Gauss–Legendre nodes and weights: equal panels, the first and last split geometrically. */
    private double[][] nodes(int panels, double h) {
        java.util.List<double[]> intervals = new java.util.ArrayList<>();
        for (int e = 0; e + 1 < END_SPLIT.length; e++) {
            intervals.add(new double[] {tMin + END_SPLIT[e] * h, tMin + END_SPLIT[e + 1] * h});
        }
        for (int p = 1; p < panels - 1; p++) {
            intervals.add(new double[] {tMin + p * h, tMin + (p + 1) * h});
        }
        for (int e = END_SPLIT.length - 1; e > 0; e--) {
            intervals.add(new double[] {tMax - END_SPLIT[e] * h, tMax - END_SPLIT[e - 1] * h});
        }
        double[] ts = new double[intervals.size() * GL_X.length];
        double[] ws = new double[ts.length];
        int n = 0;
        for (double[] iv : intervals) {
            double mid = (iv[0] + iv[1]) / 2;
            double half = (iv[1] - iv[0]) / 2;
            for (int q = 0; q < GL_X.length; q++, n++) {
                ts[n] = mid + half * GL_X[q];
                ws[n] = half * GL_W[q];
            }
        }
        return new double[][] {ts, ws};
    }

    /** The mixture of a toy's parameters, built once per distinct parameter set. */
    static CurveMixture cached(Object parameters, Supplier<CurveMixture> build) {
        return CACHE.computeIfAbsent(parameters, p -> build.get());
    }

    double logDensity(double x, double y) {
        double[] terms = new double[nodeX.length];
        double c0 = Gaussians.logDensity2d(0, sigma);
        double inv = 1 / (2 * sigma * sigma);
        for (int j = 0; j < terms.length; j++) {
            double dx = x - nodeX[j];
            double dy = y - nodeY[j];
            terms[j] = logWeight[j] - (dx * dx + dy * dy) * inv;
        }
        return c0 + Gaussians.logSumExp(terms, terms.length);
    }

    double[][] sample(int n, Random random) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, got " + n);
        }
        double[][] out = new double[n][];
        for (int i = 0; i < n; i++) {
            DoubleFunction<double[]> curve = curves.get(random.nextInt(curves.size()));
            double[] p = curve.apply(tMin + (tMax - tMin) * random.nextDouble());
            out[i] = new double[] {
                p[0] + sigma * random.nextGaussian(), p[1] + sigma * random.nextGaussian()
            };
        }
        return out;
    }

    Box box() {
        return box;
    }

    int nodes() {
        return nodeX.length;
    }
}
