package io.gen4j.pytorch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.sun.jna.Platform;
import io.gen4j.core.kernels.Bfloat16Casts;
import io.gen4j.core.kernels.Kernels;
import io.gen4j.core.runtime.Autocast;
import io.gen4j.core.runtime.ConvGuard;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * bfloat16 through libtorch's {@code to_dtype} ({@link AtenOps}) and the convolutions {@link Autocast} runs in
 * it, against closed forms: the nearest bfloat16 found by comparing the two candidates around each float (not
 * by the bit trick of the code), and a float64 loop of the convolution of the rounded inputs, forward and input
 * gradient, weight and bias gradients, with stride, padding and dilation.
 */
class Bfloat16ConvolutionTest {

    private Bfloat16Casts casts;

    @BeforeEach
    void onlyWhereTheEntryPointsAreUsed() {
        Engine.getInstance();
        assumeTrue(Platform.isLinux() && Platform.ARCH.equals("x86-64"), "entry points are used on Linux x86-64 only");
        casts = Kernels.forEngine(PtKernels.ENGINE).bfloat16().orElseThrow();
    }

    /** The bfloat16 nearest to v (a float), ties to the even significand, by comparing both neighbours. */
    static double nearestBfloat16(float v) {
        int bits = Float.floatToRawIntBits(v);
        float below = Float.intBitsToFloat(bits & 0xFFFF0000); // towards zero
        float above = Float.intBitsToFloat((bits & 0xFFFF0000) + 0x10000); // away from zero
        double dBelow = Math.abs((double) v - below);
        double dAbove = Math.abs((double) v - above);
        if (dBelow != dAbove) {
            return dBelow < dAbove ? below : above;
        }
        return ((Float.floatToRawIntBits(below) >>> 16) & 1) == 0 ? below : above;
    }

    static double[] rounded(float[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = nearestBfloat16(v[i]);
        }
        return out;
    }

    @Test
    void castsRoundToTheNearestBfloat16AndBackExactly() {
        SplittableRandom rng = new SplittableRandom(7);
        float[] v = new float[4096];
        for (int i = 0; i < v.length; i++) {
            // every exponent from 2^-20 to 2^20, and exact ties (low 16 bits 0x8000)
            v[i] = (float) ((rng.nextDouble() - 0.5) * Math.scalb(1.0, rng.nextInt(-20, 21)));
            if (i % 8 == 0) {
                v[i] = Float.intBitsToFloat((Float.floatToRawIntBits(v[i]) & 0xFFFF0000) | 0x8000);
            }
        }
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(v);
            NDArray b = casts.toBfloat16(x, m);
            NDArray back = casts.toFloat32(b, m);
            assertEquals(DataType.FLOAT32, back.getDataType());
            float[] got = back.toFloatArray();
            for (int i = 0; i < v.length; i++) {
                assertEquals(nearestBfloat16(v[i]), got[i], 0.0, "element " + i + " = " + v[i]);
            }
            // what bfloat16 holds survives both casts bit for bit
            assertArrayEquals(got, casts.toFloat32(casts.toBfloat16(back, m), m).toFloatArray());
        }
    }

    @Test
    void theGradientOfTheCastsIsTheRoundedGradient() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] r = {0.1f, -1.2345678f, 3e-5f, 1000.7f};
            NDArray x = m.create(new float[] {1f, 2f, 3f, 4f});
            x.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray y = casts.toFloat32(casts.toBfloat16(x, m), m);
                gc.backward(y.mul(m.create(r)).sum());
            }
            float[] g = x.getGradient().toFloatArray();
            for (int i = 0; i < r.length; i++) {
                assertEquals(nearestBfloat16(r[i]), g[i], 0.0);
            }
        }
    }

    @Test
    void conv2dInBfloat16IsTheConvolutionOfRoundedInputs() {
        // 20 -> 24 channels: neither a multiple of 16 (the shapes the oneDNN bug breaks; the canary picks padding
        // where it must); stride 2, padding 1, bias
        check(2, 20, 24, 9, 11, 3, 2, 1, 1, true);
    }

    @Test
    void conv1dInBfloat16WithDilationIsTheConvolutionOfRoundedInputs() {
        check(3, 5, 17, 1, 40, 3, 1, 2, 2, false);
    }

    /** Through {@link ConvGuard#convolution} inside a bfloat16 scope; H = 1 is a 1-D convolution. */
    private void check(int n, int cin, int cout, int h, int w, int k, int stride, int pad, int dil, boolean bias) {
        ConvGuard.Bfloat16Status status = ConvGuard.bfloat16Status();
        assumeTrue(status.usable(), () -> "bfloat16 convolutions unusable here: " + status.describe());
        boolean twoD = h > 1;
        int kh = twoD ? k : 1;
        int ph = twoD ? pad : 0;
        int sh = twoD ? stride : 1;
        int dh = twoD ? dil : 1;
        int oh = (h + 2 * ph - dh * (kh - 1) - 1) / sh + 1;
        int ow = (w + 2 * pad - dil * (k - 1) - 1) / stride + 1;
        SplittableRandom rng = new SplittableRandom(11);
        float[] x = gaussian(rng, n * cin * h * w);
        float[] wt = gaussian(rng, cout * cin * kh * k);
        float[] b = gaussian(rng, cout);
        float[] r = gaussian(rng, n * cout * oh * ow);
        double[] xq = rounded(x);
        double[] wq = rounded(wt);
        double[] bq = rounded(b);
        double[] rq = rounded(r);
        double[] yRef = new double[n * cout * oh * ow];
        double[] dxRef = new double[x.length];
        double[] dwRef = new double[wt.length];
        double[] dbRef = new double[cout];
        for (int bi = 0; bi < n; bi++) {
            for (int o = 0; o < cout; o++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        int yi = ((bi * cout + o) * oh + i) * ow + j;
                        double acc = bias ? bq[o] : 0;
                        for (int c = 0; c < cin; c++) {
                            for (int u = 0; u < kh; u++) {
                                int row = i * sh - ph + u * dh;
                                if (row < 0 || row >= h) {
                                    continue;
                                }
                                for (int v = 0; v < k; v++) {
                                    int col = j * stride - pad + v * dil;
                                    if (col < 0 || col >= w) {
                                        continue;
                                    }
                                    int xi = ((bi * cin + c) * h + row) * w + col;
                                    int wi = ((o * cin + c) * kh + u) * k + v;
                                    acc += xq[xi] * wq[wi];
                                    dxRef[xi] += rq[yi] * wq[wi];
                                    dwRef[wi] += rq[yi] * xq[xi];
                                }
                            }
                        }
                        yRef[yi] = acc;
                        dbRef[o] += rq[yi];
                    }
                }
            }
        }
        try (NDManager m = NDManager.newBaseManager(); Autocast.Scope scope = Autocast.bfloat16()) {
            Shape xs = twoD ? new Shape(n, cin, h, w) : new Shape(n, cin, w);
            NDArray xa = m.create(x, xs);
            NDArray wa = m.create(wt, twoD ? new Shape(cout, cin, kh, k) : new Shape(cout, cin, k));
            NDArray ba = bias ? m.create(b) : null;
            xa.setRequiresGradient(true);
            wa.setRequiresGradient(true);
            if (ba != null) {
                ba.setRequiresGradient(true);
            }
            NDArray y;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                y = twoD
                        ? ConvGuard.convolution(xa, wa, ba, new Shape(stride, stride), new Shape(pad, pad),
                                new Shape(dil, dil))
                        : ConvGuard.convolution(xa, wa, ba, new Shape(stride), new Shape(pad), new Shape(dil));
                gc.backward(y.mul(m.create(r, y.getShape())).sum());
            }
            assertEquals(DataType.FLOAT32, y.getDataType());
            assertEquals(twoD ? new Shape(n, cout, oh, ow) : new Shape(n, cout, ow), y.getShape());
            assertWithinBfloat16Rounding(yRef, y.toFloatArray(), "output");
            assertWithinBfloat16Rounding(dxRef, xa.getGradient().toFloatArray(), "input gradient");
            assertWithinBfloat16Rounding(dwRef, wa.getGradient().toFloatArray(), "weight gradient");
            if (bias) {
                assertWithinBfloat16Rounding(dbRef, ba.getGradient().toFloatArray(), "bias gradient");
            }
        }
    }

    /**
     * Each element within what rounding the float32-accumulated result to bfloat16 allows (2^-8 of itself, with
     * some room for the order of accumulation: 2^-12 of the largest).
     */
    private static void assertWithinBfloat16Rounding(double[] ref, float[] got, String what) {
        assertEquals(ref.length, got.length);
        double max = 0;
        for (double v : ref) {
            max = Math.max(max, Math.abs(v));
        }
        int exactish = 0;
        for (int i = 0; i < ref.length; i++) {
            double err = Math.abs(got[i] - ref[i]);
            double bound = Math.abs(ref[i]) * 0x1p-8 + max * 0x1p-12;
            assertTrue(err <= bound, what + " " + i + ": " + got[i] + " vs " + ref[i] + " (bound " + bound + ")");
            if (err <= Math.abs(ref[i]) * 0x1p-14) {
                exactish++;
            }
        }
        // bfloat16 outputs: most elements differ from the float64 result by more than float32 rounding would
        assertTrue(exactish < ref.length / 2, what + ": " + exactish + " of " + ref.length + " agree as if float32");
    }

    private static float[] gaussian(SplittableRandom rng, int size) {
        float[] out = new float[size];
        for (int i = 0; i < size; i++) {
            double u1 = 1.0 - rng.nextDouble();
            double u2 = rng.nextDouble();
            out[i] = (float) (Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2));
        }
        return out;
    }
}
