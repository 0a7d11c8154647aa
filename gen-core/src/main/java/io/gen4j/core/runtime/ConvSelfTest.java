package io.gen4j.core.runtime;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiFunction;

/**
 * The engine canary: runs small float32 convolutions (2-D and 1-D) forward and backward and compares
 * the output and the input gradient with a plain double-precision reference computed in Java.
 *
 * <p>The shapes are chosen to hit both failure modes of docs/known-issues.md §1: out-channels that are not a
 * multiple of 16 (input gradient) and in-channels of at least 16 that are not a multiple of 16
 * (forward). Gradients are taken of {@code sum(y * r)} for a fixed random {@code r}, so the input
 * gradient is the transposed convolution of {@code r}. Every case also runs with the input stored
 * channels-last, (N, H, W, C) or (N, L, C) in memory, the 1-D ones as the 2-D convolution of the (N, C, 1, L)
 * view: libtorch hands oneDNN's channels-last kernels such inputs (gen4j's transposed convolutions produce
 * them, WaveNet keeps its activations so), and those kernels fail on other shapes than the (N, C, H, W) ones
 * on some CPUs (on the Zen 5 of docs/known-issues.md §1: raw, the 2-D channels-last cases failed only for
 * in=1; padded, none).
 */
public final class ConvSelfTest {

    /** Relative error (max-abs over max-abs) above which a result counts as wrong. */
    public static final double TOLERANCE = 1e-3;

    /**
     * Relative error above which a bfloat16 convolution counts as wrong ({@link #runBfloat16}): its output and
     * input gradient are rounded to bfloat16, 2^-9 relative to each element, so 1e-2 leaves a margin of five; a
     * wrong kernel errs by tenths or more.
     */
    public static final double BFLOAT16_TOLERANCE = 1e-2;

    /** How many times every case runs. */
    public static final int REPEATS = 3;

    private ConvSelfTest() {}

    /**
     * One compared case.
     *
     * @param name what was compared, e.g. {@code conv2d in=20 out=5 k=3 forward}
     * @param relativeError max |engine - reference| / max |reference|
     * @param tolerance the largest relative error that passes
     */
    public record Case(String name, double relativeError, double tolerance) {
        /**
         * A float32 case, within {@link #TOLERANCE}.
         *
         * @param name what was compared
         * @param relativeError max |engine - reference| / max |reference|
         */
        public Case(String name, double relativeError) {
            this(name, relativeError, TOLERANCE);
        }

        /** @return true when within the tolerance and finite */
        public boolean passed() {
            return Double.isFinite(relativeError) && relativeError <= tolerance;
        }
    }

    /**
     * The verdict on a set of cases.
     *
     * @param cases every compared case
     */
    public record Report(List<Case> cases) {
        /** @return true when every case passed */
        public boolean passed() {
            return cases.stream().allMatch(Case::passed);
        }

        /** @return the largest relative error seen */
        public double worstError() {
            return cases.stream()
                    .mapToDouble(c -> Double.isFinite(c.relativeError()) ? c.relativeError() : Double.POSITIVE_INFINITY)
                    .max()
                    .orElse(0);
        }

        /** @return a one-line summary */
        public String summary() {
            long failed = cases.stream().filter(c -> !c.passed()).count();
            return String.format(
                    "%d/%d cases correct, worst relative error %.3g",
                    cases.size() - failed, cases.size(), worstError());
        }

        /** @return {@link #summary()}; {@link #cases()} has the individual cases */
        @Override
        public String toString() {
            return summary();
        }
    }

    /**
     * Runs the canary through the given convolution function.
     *
     * @param manager where temporary arrays live (closed by the caller)
     * @param conv a convolution {@code (x, w) -> y} with stride 1, no padding, no bias; 2-D or 1-D
     *     depending on the rank of {@code x}
     * @return the report
     */
    public static Report run(NDManager manager, BiFunction<NDArray, NDArray, NDArray> conv) {
        return run(manager, conv, false);
    }

    /**
     * Runs the canary through a convolution that computes in bfloat16 from float32 arrays (casts its inputs,
     * convolves, casts the output back; the backward casts the output's gradient). The reference is the
     * double-precision convolution of the inputs and of the output's gradient rounded to bfloat16 (to nearest,
     * ties to even), and a case passes within {@link #BFLOAT16_TOLERANCE}.
     *
     * @param manager where temporary arrays live (closed by the caller)
     * @param conv a convolution {@code (x, w) -> y} of float32 arrays with stride 1, no padding, no bias
     * @return the report
     */
    public static Report runBfloat16(NDManager manager, BiFunction<NDArray, NDArray, NDArray> conv) {
        return run(manager, conv, true);
    }

    private static Report run(NDManager manager, BiFunction<NDArray, NDArray, NDArray> conv, boolean bfloat16) {
        List<Case> cases = new ArrayList<>();
        // {in, out, kernel}: out % 16 != 0 breaks input gradients; 16 <= in, in % 16 != 0 breaks forward.
        // {in, out, kernel, batch, size}; the larger sizes reach oneDNN's JIT kernels, the small ones its GEMM path.
        int[][] shapes = {{3, 5, 3, 2, 7}, {20, 16, 3, 2, 7}, {1, 1, 3, 2, 7}, {24, 8, 1, 2, 7}, {16, 33, 3, 2, 7},
            {32, 3, 3, 4, 16}, {20, 20, 3, 4, 16}, {1, 24, 3, 4, 16}};
        SplittableRandom rng = new SplittableRandom(20261128L);
        // The bug is non-deterministic on affected CPUs: repeat the cases.
        for (int repeat = 0; repeat < REPEATS; repeat++) {
            for (int[] s : shapes) {
                cases.addAll(compare(manager, conv, rng, s[0], s[1], s[2], 2, s[3], s[4], bfloat16, false));
                cases.addAll(compare(manager, conv, rng, s[0], s[1], s[2], 2, s[3], s[4], bfloat16, true));
                cases.addAll(compare(manager, conv, rng, s[0], s[1], s[2], 1, s[3], s[4], bfloat16, false));
                cases.addAll(compare(manager, conv, rng, s[0], s[1], s[2], 1, s[3], s[4], bfloat16, true));
            }
        }
        return new Report(List.copyOf(cases));
    }

    private static List<Case> compare(
            NDManager manager,
            BiFunction<NDArray, NDArray, NDArray> conv,
            SplittableRandom rng,
            int cin,
            int cout,
            int k,
            int dims,
            int n,
            int size,
            boolean bfloat16,
            boolean channelsLast) {
        int h = dims == 2 ? size : 1;
        int w = size + 2;
        int oh = h - (dims == 2 ? k - 1 : 0);
        int ow = w - k + 1;
        int kh = dims == 2 ? k : 1;
        double[] x = gaussian(rng, n * cin * h * w);
        double[] wt = gaussian(rng, cout * cin * kh * k);
        double[] r = gaussian(rng, n * cout * oh * ow);
        // what the engine multiplies: the float32 inputs, rounded to bfloat16 when it computes in bfloat16
        double[] xq = bfloat16 ? toBfloat16(x) : x;
        double[] wq = bfloat16 ? toBfloat16(wt) : wt;
        double[] rq = bfloat16 ? toBfloat16(r) : r;

        double[] yRef = new double[n * cout * oh * ow];
        double[] dxRef = new double[x.length];
        for (int b = 0; b < n; b++) {
            for (int o = 0; o < cout; o++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        int yi = ((b * cout + o) * oh + i) * ow + j;
                        double acc = 0;
                        for (int c = 0; c < cin; c++) {
                            for (int u = 0; u < kh; u++) {
                                for (int v = 0; v < k; v++) {
                                    int xi = ((b * cin + c) * h + i + u) * w + j + v;
                                    int wi = ((o * cin + c) * kh + u) * k + v;
                                    acc += xq[xi] * wq[wi];
                                    dxRef[xi] += rq[yi] * wq[wi];
                                }
                            }
                        }
                        yRef[yi] = acc;
                    }
                }
            }
        }

        Shape xs = dims == 2 ? new Shape(n, cin, h, w) : new Shape(n, cin, w);
        Shape ws = dims == 2 ? new Shape(cout, cin, kh, k) : new Shape(cout, cin, k);
        Shape ys = dims == 2 ? new Shape(n, cout, oh, ow) : new Shape(n, cout, ow);
        try (NDManager scope = manager.newSubManager()) {
            // channels-last: the same (N, C, H, W) values stored (N, H, W, C) and seen through a transposed view,
            // the layout libtorch hands oneDNN's channels-last kernels (gen4j's transposed convolutions produce it)
            NDArray xa = !channelsLast ? scope.create(toFloat(x), xs)
                    : scope.create(toFloat(toChannelsLast(x, n, cin, h * w)),
                            dims == 2 ? new Shape(n, h, w, cin) : new Shape(n, w, cin));
            NDArray wa = scope.create(toFloat(wt), ws);
            NDArray ra = scope.create(toFloat(r), ys);
            xa.setRequiresGradient(true);
            double[] y;
            double[] dx;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray out;
                if (!channelsLast) {
                    out = conv.apply(xa, wa);
                } else if (dims == 2) {
                    out = conv.apply(xa.transpose(0, 3, 1, 2), wa);
                } else {
                    // a 1-D convolution of channels-last data runs as the 2-D one of its (N, C, 1, L) view
                    // (libtorch's 1-D convolution would copy it (N, C, L)-contiguous): WaveNet's convolutions
                    out = conv.apply(xa.transpose(0, 2, 1).expandDims(2), wa.expandDims(2)).squeeze(2);
                }
                y = toDouble(out);
                gc.backward(out.mul(ra).sum());
            }
            dx = toDouble(xa.getGradient());
            if (channelsLast) {
                dxRef = toChannelsLast(dxRef, n, cin, h * w);
            }
            String name = String.format("conv%dd in=%d out=%d k=%d%s%s", dims, cin, cout, k,
                    channelsLast ? (dims == 2 ? " channels-last" : " channels-last as 2-D") : "",
                    bfloat16 ? " bf16" : "");
            double tolerance = bfloat16 ? BFLOAT16_TOLERANCE : TOLERANCE;
            return List.of(
                    new Case(name + " forward", relativeError(y, yRef), tolerance),
                    new Case(name + " input-gradient", relativeError(dx, dxRef), tolerance));
        }
    }

    /**
     * @param a values
     * @return each value as float32, then rounded to bfloat16's 8 significant bits, to nearest with ties to
     *     even (the conversion libtorch and every x86 bfloat16 instruction use; no NaN here)
     */
    static double[] toBfloat16(double[] a) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            int bits = Float.floatToRawIntBits((float) a[i]);
            bits += 0x7FFF + ((bits >>> 16) & 1);
            out[i] = Float.intBitsToFloat(bits & 0xFFFF0000);
        }
        return out;
    }

    /** (N, C, S) values in (N, S, C) order. */
    private static double[] toChannelsLast(double[] a, int n, int c, int spatial) {
        double[] out = new double[a.length];
        for (int b = 0; b < n; b++) {
            for (int ch = 0; ch < c; ch++) {
                for (int i = 0; i < spatial; i++) {
                    out[(b * spatial + i) * c + ch] = a[(b * c + ch) * spatial + i];
                }
            }
        }
        return out;
    }

    private static double relativeError(double[] got, double[] ref) {
        if (got.length != ref.length) {
            return Double.POSITIVE_INFINITY;
        }
        double maxDiff = 0;
        double maxRef = 1e-12;
        for (int i = 0; i < ref.length; i++) {
            double d = Math.abs(got[i] - ref[i]);
            if (Double.isNaN(d)) {
                return Double.NaN;
            }
            maxDiff = Math.max(maxDiff, d);
            maxRef = Math.max(maxRef, Math.abs(ref[i]));
        }
        return maxDiff / maxRef;
    }

    private static double[] gaussian(SplittableRandom rng, int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            // Box-Muller: SplittableRandom has no nextGaussian on Java 17.
            double u1 = 1.0 - rng.nextDouble();
            double u2 = rng.nextDouble();
            out[i] = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
        }
        return out;
    }

    private static float[] toFloat(double[] a) {
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (float) a[i];
        }
        return out;
    }

    private static double[] toDouble(NDArray a) {
        float[] f = a.toType(DataType.FLOAT32, false).toFloatArray();
        double[] out = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = f[i];
        }
        return out;
    }
}
