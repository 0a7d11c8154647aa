package io.gen4j.pytorch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.sun.jna.Platform;
import io.gen4j.core.kernels.Kernels;
import io.gen4j.core.kernels.StridedViews;
import io.gen4j.core.nn.Conv2d;
import io.gen4j.core.nn.ConvTranspose2d;
import io.gen4j.core.runtime.Autocast;
import io.gen4j.core.runtime.ConvGuard;
import io.gen4j.core.runtime.ConvGuard.Bfloat16Status;
import io.gen4j.core.testing.UpsampledConvolutionChecks;
import io.gen4j.core.testing.UpsampledConvolutionChecks.Case;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ConvTranspose2d} with gen-pytorch's {@link StridedViews} (its interleave and crop as one strided view
 * of the phase convolution) against the definition, summed on the host in double precision: the output y[n,
 * o, i, j] = b[o] + Σ x[n, c, h, w]·W[c, o, u, v] over i = h·s − p + u, j = w·s − p + v, and for the loss Σ
 * g·y the gradients ∂x[n, c, h, w] = Σ g[n, o, h·s − p + u, w·s − p + v]·W[c, o, u, v], ∂W[c, o, u, v] = Σ
 * x[n, c, h, w]·g[n, o, h·s − p + u, w·s − p + v] and ∂b[o] = Σ g[n, o, ·, ·]. Strides 2 and 3, paddings that
 * take the view and that compose, row-major and channels-last inputs, channel counts the convolution guard
 * pads (float32 on a CPU with the oneDNN fault) and does not.
 */
class TransposedConvolutionViewTest {

    @BeforeEach
    void onlyWhereTheEntryPointsAreUsed() {
        Engine.getInstance();
        assumeTrue(Platform.isLinux() && Platform.ARCH.equals("x86-64"), "entry points are used on Linux x86-64 only");
        assertTrue(Kernels.forEngine(PtKernels.ENGINE).stridedViews().isPresent());
        ConvGuard.prepare();
    }

    /** k, s, p, q, h, w, c_in, c_out, channels-last input (1), float64 (1). */
    private static final int[][] CASES = {
        {4, 2, 1, 0, 7, 7, 8, 4, 0, 0}, // DCGAN's layer shape, smaller: the view (guard-padded in float32)
        {4, 2, 1, 0, 3, 5, 16, 4, 1, 0}, // the view, channels-last input
        {4, 2, 1, 0, 3, 4, 5, 8, 0, 0}, // 4·8 = 32 phase channels: the view, no padding
        {4, 2, 1, 0, 3, 4, 3, 2, 1, 1}, // float64
        {2, 2, 0, 0, 3, 4, 3, 5, 0, 0}, // p = 0
        {3, 2, 1, 1, 4, 3, 4, 3, 1, 0}, // k = 3, p = 1, q = 1: the view over phases of 5 rows
        {3, 3, 0, 0, 3, 2, 2, 3, 0, 1}, // s = 3, p = 0
        {5, 3, 1, 0, 3, 3, 2, 2, 0, 0}, // s = 3, p = 1: composed
        {3, 2, 1, 0, 4, 3, 3, 2, 0, 0}, // odd output (7 rows): composed
        {5, 2, 2, 1, 3, 4, 2, 3, 1, 0}, // p = s: composed
    };

    @Test
    void theViewedTransposedConvolutionIsTheDefinitionWithItsGradients() {
        equalsTheDefinition(CASES, 2e-5);
    }

    /**
     * Inside {@link Autocast#bfloat16()} the phase convolution runs in bfloat16 and comes back as a float32 array
     * the view then reads (dense from the conversion, or a slice where the guard padded its channels): the same
     * definition within bfloat16's rounding (8 significant bits; 3e-2 of the largest value).
     */
    @Test
    void theViewReadsTheBfloat16PhaseConvolutionToo() {
        Bfloat16Status status = ConvGuard.bfloat16Status();
        assumeTrue(status.usable(), () -> "bfloat16 convolutions unusable here: " + status.describe());
        int[][] float32Cases = java.util.Arrays.stream(CASES).filter(c -> c[9] == 0).toArray(int[][]::new);
        try (Autocast.Scope scope = Autocast.bfloat16()) {
            equalsTheDefinition(float32Cases, 3e-2);
        }
    }

    private static void equalsTheDefinition(int[][] cases, double tolerance32) {
        Random random = new Random(7);
        try (NDManager m = NDManager.newBaseManager()) {
            for (int[] c : cases) {
                int k = c[0], s = c[1], p = c[2], q = c[3], h = c[4], wd = c[5], cin = c[6], cout = c[7];
                int n = 2;
                DataType type = c[9] == 1 ? DataType.FLOAT64 : DataType.FLOAT32;
                int ho = (h - 1) * s - 2 * p + k + q;
                int wo = (wd - 1) * s - 2 * p + k + q;
                double[] xv = gaussian(random, n * cin * h * wd);
                double[] wv = gaussian(random, cin * cout * k * k);
                double[] bv = gaussian(random, cout);
                double[] gv = gaussian(random, n * cout * ho * wo);
                NDArray x = c[8] == 1
                        ? m.create(channelsLast(xv, n, cin, h, wd)).reshape(n, h, wd, cin).transpose(0, 3, 1, 2)
                        : m.create(xv).reshape(n, cin, h, wd);
                x = x.toType(type, false);
                NDArray w = m.create(wv).reshape(cin, cout, k, k).toType(type, false);
                NDArray b = m.create(bv).toType(type, false);
                NDArray g = m.create(gv).reshape(n, cout, ho, wo).toType(type, false);
                x.setRequiresGradient(true);
                w.setRequiresGradient(true);
                b.setRequiresGradient(true);
                NDArray y;
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    y = ConvTranspose2d.convTranspose2d(x, w, b, s, p, q);
                    gc.backward(y.mul(g).sum());
                }
                double[] ey = new double[n * cout * ho * wo];
                double[] ex = new double[xv.length];
                double[] ew = new double[wv.length];
                double[] eb = new double[cout];
                for (int e = 0; e < n; e++) {
                    for (int o = 0; o < cout; o++) {
                        for (int i = 0; i < ho * wo; i++) {
                            ey[(e * cout + o) * ho * wo + i] = bv[o];
                            eb[o] += gv[(e * cout + o) * ho * wo + i];
                        }
                        for (int ci = 0; ci < cin; ci++) {
                            for (int r = 0; r < h; r++) {
                                for (int z = 0; z < wd; z++) {
                                    for (int u = 0; u < k; u++) {
                                        for (int v = 0; v < k; v++) {
                                            int i = r * s - p + u;
                                            int j = z * s - p + v;
                                            if (i < 0 || i >= ho || j < 0 || j >= wo) {
                                                continue;
                                            }
                                            int xi = ((e * cin + ci) * h + r) * wd + z;
                                            int wi = ((ci * cout + o) * k + u) * k + v;
                                            int yi = ((e * cout + o) * ho + i) * wo + j;
                                            ey[yi] += xv[xi] * wv[wi];
                                            ex[xi] += gv[yi] * wv[wi];
                                            ew[wi] += xv[xi] * gv[yi];
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                String what = "case " + java.util.Arrays.toString(c);
                double tolerance = type == DataType.FLOAT64 ? 1e-10 : tolerance32;
                close(ey, y, tolerance, what + " output");
                close(ex, x.getGradient(), tolerance, what + " ∂x");
                close(ew, w.getGradient(), tolerance, what + " ∂W");
                close(eb, b.getGradient(), tolerance, what + " ∂b");
            }
        }
    }

    /**
     * Which path ran: without a bias, the view's result is the dense channels-last copy, the composed result a
     * crop of a larger grid (not dense) when p &gt; 0.
     */
    @Test
    void theViewIsTakenWhereTheCropIsWholePhasesAndNotElsewhere() {
        StridedViews views = Kernels.forEngine(PtKernels.ENGINE).stridedViews().orElseThrow();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomNormal(new Shape(2, 16, 7, 7));
            NDArray viewed = ConvTranspose2d.convTranspose2d(x, m.randomNormal(new Shape(16, 8, 4, 4)), null, 2, 1, 0);
            assertEquals(new Shape(2, 8, 14, 14), viewed.getShape());
            assertArrayEquals(new long[] {14 * 14 * 8, 1, 14 * 8, 8}, views.denseStrides(viewed));
            NDArray composed = ConvTranspose2d.convTranspose2d(x, m.randomNormal(new Shape(16, 8, 5, 5)), null, 3, 1, 0);
            assertEquals(new Shape(2, 8, 21, 21), composed.getShape());
            assertNull(views.denseStrides(composed));
        }
    }

    /**
     * {@link Conv2d#conv2dNearestUpsampled} reads its phase convolution through the same view, into (N, C, H, W)
     * order: the definition with its gradients (guard-padded and unpadded phase channels, float64), and results
     * dense in row-major order, not channels-last.
     */
    @Test
    void theNearestUpsampledConvolutionReadsThePhasesInRowMajorOrder() {
        StridedViews views = Kernels.forEngine(PtKernels.ENGINE).stridedViews().orElseThrow();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray[] outputs = UpsampledConvolutionChecks.check(m, 2e-5,
                    new Case(4, 4, 16, 8, 3, 1, 1, false),
                    new Case(3, 5, 5, 3, 3, 1, 1, false),
                    new Case(2, 3, 3, 2, 3, 1, 1, true));
            for (NDArray y : outputs) {
                long[] s = y.getShape().getShape();
                assertArrayEquals(new long[] {s[1] * s[2] * s[3], s[2] * s[3], s[3], 1}, views.denseStrides(y),
                        y.getShape().toString());
            }
        }
    }

    private static double[] gaussian(Random random, int size) {
        double[] v = new double[size];
        for (int i = 0; i < size; i++) {
            v[i] = random.nextGaussian();
        }
        return v;
    }

    /** @return (n, c, h, w) row-major values laid out (n, h, w, c) */
    private static double[] channelsLast(double[] v, int n, int c, int h, int w) {
        double[] out = new double[v.length];
        for (int e = 0; e < n; e++) {
            for (int ci = 0; ci < c; ci++) {
                for (int i = 0; i < h * w; i++) {
                    out[(e * h * w + i) * c + ci] = v[(e * c + ci) * h * w + i];
                }
            }
        }
        return out;
    }

    private static void close(double[] expected, NDArray got, double tolerance, String what) {
        double[] g = got.toType(DataType.FLOAT64, false).toDoubleArray();
        assertEquals(expected.length, g.length, what);
        double scale = 0;
        for (double e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        for (int i = 0; i < g.length; i++) {
            assertEquals(expected[i], g[i], tolerance * Math.max(1, scale), what + " at " + i);
        }
    }
}
