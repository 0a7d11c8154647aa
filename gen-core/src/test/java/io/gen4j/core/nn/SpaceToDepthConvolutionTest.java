package io.gen4j.core.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.gen4j.core.runtime.ConvGuard;
import io.gen4j.core.testing.BlockChecks;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * A strided convolution run as a stride-1 convolution over the input's space-to-depth phases ({@link
 * Conv2d#conv2d}): its output and its gradients with respect to input, weight and bias against the definition
 * summed on the host in double precision, and when {@code conv2d} takes that form.
 */
class SpaceToDepthConvolutionTest {

    /**
     * Strides 1–3 per axis (not both 1), kernels the stride does and does not divide, every padding below the
     * kernel, odd sizes: the sizes where the phases need zeros at the end and those where input rows no output
     * reads are cropped.
     */
    @Property(tries = 60, seed = "20")
    void spaceToDepthEqualsTheDefinition(
            @ForAll @IntRange(min = 1, max = 5) int kh,
            @ForAll @IntRange(min = 1, max = 4) int kw,
            @ForAll @IntRange(min = 1, max = 3) int sh,
            @ForAll @IntRange(min = 1, max = 3) int sw,
            @ForAll @IntRange(min = 0, max = 4) int phRaw,
            @ForAll @IntRange(min = 0, max = 3) int pwRaw,
            @ForAll @IntRange(min = 1, max = 8) int h,
            @ForAll @IntRange(min = 1, max = 7) int wd,
            @ForAll @IntRange(min = 1, max = 3) int cin,
            @ForAll @IntRange(min = 1, max = 3) int cout) {
        if (sh * sw == 1) {
            return;
        }
        equalsTheDefinition(kh, kw, sh, sw, phRaw % kh, pwRaw % kw, h, wd, cin, cout);
    }

    /** DCGAN's first discriminator layer (k 4, s 2, p 1) and a 3 × 3 stride-2 layer on an odd size. */
    @Example
    void dcganLayersEqualTheDefinition() {
        equalsTheDefinition(4, 4, 2, 2, 1, 1, 8, 8, 1, 3);
        equalsTheDefinition(3, 3, 2, 2, 1, 1, 7, 7, 3, 2);
        equalsTheDefinition(4, 4, 2, 2, 0, 0, 6, 9, 2, 2);
    }

    private static void equalsTheDefinition(int kh, int kw, int sh, int sw, int ph, int pw, int h, int wd, int cin,
            int cout) {
        int ho = (h + 2 * ph - kh) / sh + 1;
        int wo = (wd + 2 * pw - kw) / sw + 1;
        if (h + 2 * ph < kh || wd + 2 * pw < kw) {
            return;
        }
        int n = 2;
        ConvGuard.prepare(); // the canary runs outside any GradientCollector
        try (NDManager m = NDManager.newBaseManager(ai.djl.Device.cpu())) {
            NDArray x = m.randomNormal(0, 1, new Shape(n, cin, h, wd), DataType.FLOAT64);
            NDArray w = m.randomNormal(0, 1, new Shape(cout, cin, kh, kw), DataType.FLOAT64);
            NDArray b = m.randomNormal(0, 1, new Shape(cout), DataType.FLOAT64);
            NDArray g = m.randomNormal(0, 1, new Shape(n, cout, ho, wo), DataType.FLOAT64);
            double[] xv = x.toDoubleArray();
            double[] wv = w.toDoubleArray();
            double[] bv = b.toDoubleArray();
            double[] gv = g.toDoubleArray();
            double[] y = new double[n * cout * ho * wo];
            double[] dx = new double[xv.length];
            double[] dw = new double[wv.length];
            double[] db = new double[cout];
            for (int a = 0; a < n; a++) {
                for (int o = 0; o < cout; o++) {
                    for (int i = 0; i < ho; i++) {
                        for (int j = 0; j < wo; j++) {
                            int yi = ((a * cout + o) * ho + i) * wo + j;
                            y[yi] = bv[o];
                            db[o] += gv[yi];
                            for (int c = 0; c < cin; c++) {
                                for (int u = 0; u < kh; u++) {
                                    for (int v = 0; v < kw; v++) {
                                        int r = i * sh - ph + u;
                                        int q = j * sw - pw + v;
                                        if (r < 0 || r >= h || q < 0 || q >= wd) {
                                            continue;
                                        }
                                        int xi = ((a * cin + c) * h + r) * wd + q;
                                        int wi = ((o * cin + c) * kh + u) * kw + v;
                                        y[yi] += wv[wi] * xv[xi];
                                        dx[xi] += gv[yi] * wv[wi];
                                        dw[wi] += gv[yi] * xv[xi];
                                    }
                                }
                            }
                        }
                    }
                }
            }
            x.setRequiresGradient(true);
            w.setRequiresGradient(true);
            b.setRequiresGradient(true);
            NDArray got;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                got = Conv2d.spaceToDepthConv2d(x, w, b, new Shape(sh, sw), new Shape(ph, pw));
                gc.backward(got.mul(g).sum());
            }
            String c = "k " + kh + "x" + kw + " s " + sh + "x" + sw + " p " + ph + "x" + pw + " in " + h + "x" + wd;
            assertEquals(new Shape(n, cout, ho, wo), got.getShape(), c);
            assertClose(y, got.toDoubleArray(), c + " output");
            assertClose(dx, x.getGradient().toDoubleArray(), c + " ∂x");
            assertClose(dw, w.getGradient().toDoubleArray(), c + " ∂w");
            assertClose(db, b.getGradient().toDoubleArray(), c + " ∂b");
        }
    }

    private static void assertClose(double[] expected, double[] got, String what) {
        assertEquals(expected.length, got.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], got[i], 1e-10, what + " at " + i);
        }
    }

    /**
     * conv2d takes the form only for a strided convolution (dilation 1, C_in·s_H·s_W ≤ 32) whose input needs a
     * gradient: not for an input without one (where it is slower), stride 1, dilation 2, 16 input channels at
     * stride 2, a kernel the stride does not divide, or a padding as large as the kernel.
     */
    @Example
    void takenForStridedConvolutionsOfInputsThatNeedAGradient() {
        ConvGuard.prepare();
        try (NDManager m = NDManager.newBaseManager(ai.djl.Device.cpu())) {
            Shape one = new Shape(1, 1);
            Shape two = new Shape(2, 2);
            Shape pad = new Shape(1, 1);
            NDArray w1 = m.randomNormal(new Shape(4, 1, 4, 4));
            NDArray x1 = m.randomNormal(new Shape(2, 1, 8, 8));
            assertFalse(Conv2d.takesSpaceToDepth(x1, w1, two, pad, one), "no gradient");
            x1.setRequiresGradient(true);
            assertTrue(Conv2d.takesSpaceToDepth(x1, w1, two, pad, one));
            assertTrue(Conv2d.takesSpaceToDepth(x1, w1, new Shape(1, 2), pad, one), "stride on one axis");
            assertFalse(Conv2d.takesSpaceToDepth(x1, w1, one, pad, one), "stride 1");
            assertFalse(Conv2d.takesSpaceToDepth(x1, w1, two, pad, two), "dilation 2");
            assertFalse(Conv2d.takesSpaceToDepth(x1, w1, two, new Shape(4, 4), one), "padding = kernel");
            assertFalse(Conv2d.takesSpaceToDepth(x1, m.randomNormal(new Shape(4, 1, 3, 3)), two, pad, one),
                    "a 3 × 3 kernel at stride 2 (zero taps)");
            NDArray x8 = m.randomNormal(new Shape(2, 8, 8, 8));
            NDArray x16 = m.randomNormal(new Shape(2, 16, 8, 8));
            x8.setRequiresGradient(true);
            x16.setRequiresGradient(true);
            assertTrue(Conv2d.takesSpaceToDepth(x8, m.randomNormal(new Shape(4, 8, 4, 4)), two, pad, one));
            assertFalse(Conv2d.takesSpaceToDepth(x16, m.randomNormal(new Shape(4, 16, 4, 4)), two, pad, one));
        }
    }

    /**
     * The weight's rearrangement lands in the input's manager: a stride-2 layer on inputs that need a gradient
     * leaves the model's manager as it was, pass after pass.
     */
    @Example
    void doesNotGrowTheModelManager() {
        try (NDManager data = NDManager.newBaseManager(ai.djl.Device.cpu());
                NDManager model = NDManager.newBaseManager(ai.djl.Device.cpu())) {
            ConvGuard.prepare();
            Conv2d conv = Conv2d.builder().setFilters(4).setKernelSize(4).optStride(2).optPadding(1).build();
            Shape in = new Shape(2, 1, 8, 8);
            conv.initialize(model, DataType.FLOAT32, in);
            ParameterStore ps = new ParameterStore(model, false);
            BlockChecks.assertPassesDoNotGrowModelManager(model, data, 3, scope -> {
                NDArray x = scope.randomNormal(in);
                x.setRequiresGradient(true);
                assertTrue(Conv2d.takesSpaceToDepth(x, ps.getValue(conv.getParameters().get("weight"),
                        x.getDevice(), true), new Shape(2, 2), new Shape(1, 1), new Shape(1, 1)));
                return conv.forward(ps, new NDList(x), true).head().sum();
            });
        }
    }
}
