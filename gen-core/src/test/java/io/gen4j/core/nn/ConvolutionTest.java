package io.gen4j.core.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import io.gen4j.core.runtime.ConvGuardMode;
import io.gen4j.core.testing.BlockChecks;
import io.gen4j.core.testing.GradientCheck;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConvolutionTest {

    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager(ai.djl.Device.cpu());
        Engine.getInstance().setRandomSeed(7);
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    /**
     * zeroPad skips libtorch's copy only where nothing is padded: x itself for all-zero amounts, the zero-padded
     * array (written out) otherwise.
     */
    @Test
    void zeroPadIsThePadOrTheInputItself() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(1, 2, 3));
            assertTrue(ConvNd.zeroPad(x, new Shape(0, 0)) == x);
            assertTrue(ConvNd.zeroPad(x, new Shape(0, 0, 0, 0)) == x);
            NDArray p = ConvNd.zeroPad(x, new Shape(2, 0, 0, 1));
            assertEquals(new Shape(1, 3, 5), p.getShape());
            org.junit.jupiter.api.Assertions.assertArrayEquals(
                    new float[] {0, 0, 1, 2, 3, 0, 0, 4, 5, 6, 0, 0, 0, 0, 0}, p.toFloatArray());
        }
    }

    @Test
    void conv2dShapesFollowTheFormula() {
        Conv2d conv = Conv2d.builder().setFilters(5).setKernelSize(3).optStride(2).optPadding(1).build();
        NDList x = new NDList(manager.randomNormal(new Shape(2, 3, 9, 8)));
        conv.initialize(manager, DataType.FLOAT32, x.getShapes());
        NDArray y = conv.forward(new ParameterStore(manager, false), x, false).head();
        assertEquals(new Shape(2, 5, 5, 4), y.getShape());
        assertEquals(y.getShape(), conv.getOutputShapes(x.getShapes())[0]);
    }

    @Test
    void conv2dGradientsMatchFiniteDifferences() {
        Conv2d conv = Conv2d.builder().setFilters(3).setKernelSize(3).optPadding(1).optDilation(1).build();
        NDList x = new NDList(manager.randomNormal(0, 1, new Shape(2, 2, 5, 5), DataType.FLOAT64));
        GradientCheck.Result r = GradientCheck.checkBlock(manager, conv, x, 12, 1);
        assertTrue(r.worstRelativeError() < 1e-5, r::toString);
    }

    @Test
    void conv2dSaveLoadRoundTrip() {
        BlockChecks.assertSaveLoadRoundTrip(manager,
                () -> Conv2d.builder().setFilters(4).setKernelSize(3).optSamePadding().build(),
                new NDList(manager.randomNormal(new Shape(1, 2, 6, 6))));
    }

    @Test
    void conv1dCausalOutputNeverSeesTheFuture() {
        Conv1d conv = Conv1d.builder().setFilters(4).setKernelSize(2).optDilation(4).optCausal(true).build();
        NDArray x = manager.randomNormal(new Shape(1, 3, 20));
        conv.initialize(manager, DataType.FLOAT32, x.getShape());
        ParameterStore ps = new ParameterStore(manager, false);
        NDArray y = conv.forward(ps, new NDList(x), false).head();
        assertEquals(new Shape(1, 4, 20), y.getShape());
        // Change inputs from t = 12 on: outputs before 12 must not move.
        NDArray x2 = x.duplicate();
        x2.set(new ai.djl.ndarray.index.NDIndex(":, :, 12:"), 5f);
        NDArray y2 = conv.forward(ps, new NDList(x2), false).head();
        NDArray before = y.get(":, :, :12").sub(y2.get(":, :, :12")).abs().max();
        assertEquals(0f, before.getFloat(), 0f);
        NDArray after = y.get(":, :, 12:").sub(y2.get(":, :, 12:")).abs().max();
        assertTrue(after.getFloat() > 0);
    }

    @Test
    void conv1dGradientsMatchFiniteDifferences() {
        Conv1d conv = Conv1d.builder().setFilters(3).setKernelSize(3).optDilation(2).optCausal(true).build();
        NDList x = new NDList(manager.randomNormal(0, 1, new Shape(2, 2, 9), DataType.FLOAT64));
        GradientCheck.Result r = GradientCheck.checkBlock(manager, conv, x, 12, 2);
        assertTrue(r.worstRelativeError() < 1e-5, r::toString);
    }

    @Test
    void causalConvRejectsPadding() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Conv1d.builder().setFilters(1).setKernelSize(3).optPadding(1).optCausal(true).build());
        assertTrue(e.getMessage().contains("padding"));
    }

    @Test
    void transposedConvIsTheAdjointOfConv() {
        // <convT(x; W), y> == <x, conv(y; W)> for the same weight W (C_in_T = C_out_conv).
        int s = 2;
        int p = 1;
        int k = 4;
        NDArray w = manager.randomNormal(0, 1, new Shape(3, 5, k, k), DataType.FLOAT64); // convT: in 3 -> out 5
        NDArray x = manager.randomNormal(0, 1, new Shape(2, 3, 4, 4), DataType.FLOAT64);
        NDArray t = ConvTranspose2d.convTranspose2d(x, w, null, s, p, 0);
        assertEquals(new Shape(2, 5, 8, 8), t.getShape());
        NDArray y = manager.randomNormal(0, 1, t.getShape(), DataType.FLOAT64);
        NDArray c = Conv2d.conv2d(y, w, null, new Shape(s, s), new Shape(p, p), new Shape(1, 1));
        double lhs = t.mul(y).sum().getDouble();
        double rhs = x.mul(c).sum().getDouble();
        assertEquals(lhs, rhs, 1e-9 * Math.abs(lhs));
    }

    @Test
    void transposedConvOutputPaddingAndGradients() {
        ConvTranspose2d up = ConvTranspose2d.builder().setFilters(2).setKernelSize(3).optStride(2).optPadding(1)
                .optOutputPadding(1).build();
        NDList x = new NDList(manager.randomNormal(0, 1, new Shape(1, 3, 3, 3), DataType.FLOAT64));
        GradientCheck.Result r = GradientCheck.checkBlock(manager, up, x, 12, 3);
        assertTrue(r.worstRelativeError() < 1e-5, r::toString);
        assertEquals(new Shape(1, 2, 6, 6), up.getOutputShapes(x.getShapes())[0]);
        NDArray y = up.forward(new ParameterStore(manager, false), x, false).head();
        assertEquals(new Shape(1, 2, 6, 6), y.getShape());
    }

    @Test
    void transposedConvSaveLoadRoundTrip() {
        BlockChecks.assertSaveLoadRoundTrip(manager,
                () -> ConvTranspose2d.builder().setFilters(3).setKernelSize(4).optStride(2).optPadding(1).build(),
                new NDList(manager.randomNormal(new Shape(1, 2, 5, 5))));
    }

    @Test
    void upsampleHasCorrectGradientsAndShapes() {
        for (Upsample2d.Mode mode : Upsample2d.Mode.values()) {
            NDArray x = manager.randomNormal(0, 1, new Shape(1, 2, 3, 3), DataType.FLOAT64);
            GradientCheck.Result r = GradientCheck.check(manager, v -> Upsample2d.upsample(x, 2, mode),
                    java.util.List.of(x), java.util.List.of("x"), 18, 10);
            assertTrue(r.worstRelativeError() < 1e-5, () -> mode + " " + r);
            Upsample2d up = new Upsample2d(2, mode);
            assertEquals(new Shape(1, 2, 6, 6), up.getOutputShapes(new Shape[] {x.getShape()})[0]);
        }
    }

    @Test
    void convolutionsDoNotGrowTheModelManager() {
        try (NDManager model = NDManager.newBaseManager(ai.djl.Device.cpu())) {
            BlockChecks.assertForwardDoesNotGrowModelManager(model,
                    ConvTranspose2d.builder().setFilters(3).setKernelSize(4).optStride(2).optPadding(1).build(),
                    new NDList(manager.randomNormal(new Shape(1, 20, 5, 5))));
        }
        try (NDManager model = NDManager.newBaseManager(ai.djl.Device.cpu())) {
            BlockChecks.assertForwardDoesNotGrowModelManager(model,
                    Conv2d.builder().setFilters(5).setKernelSize(3).optPadding(1).build(),
                    new NDList(manager.randomNormal(new Shape(1, 20, 5, 5))));
        }
        try (NDManager model = NDManager.newBaseManager(ai.djl.Device.cpu())) {
            BlockChecks.assertForwardDoesNotGrowModelManager(model,
                    Conv1d.builder().setFilters(5).setKernelSize(3).optCausal(true).build(),
                    new NDList(manager.randomNormal(new Shape(1, 3, 9))));
        }
    }

    @Test
    void upsampleNearestRepeatsPixels() {
        NDArray x = manager.arange(4f).reshape(1, 1, 2, 2);
        NDArray y = Upsample2d.upsample(x, 2, Upsample2d.Mode.NEAREST);
        assertEquals(new Shape(1, 1, 4, 4), y.getShape());
        assertEquals(3f, y.getFloat(0, 0, 3, 3));
        assertEquals(1f, y.getFloat(0, 0, 0, 3));
    }

    /**
     * Channel padding must not change the mathematics: the padded path equals the unpadded float64
     * convolution, forward and input gradient, for in/out channel counts on both sides of 16.
     */
    @Property(tries = 25, seed = "11")
    void paddedConvolutionEqualsThePlainOne(
            @ForAll @IntRange(min = 1, max = 40) int cin,
            @ForAll @IntRange(min = 1, max = 40) int cout,
            @ForAll @IntRange(min = 1, max = 3) int k,
            @ForAll @IntRange(min = 1, max = 2) int stride) {
        try (NDManager m = NDManager.newBaseManager(ai.djl.Device.cpu())) {
            NDArray x = m.randomNormal(0, 1, new Shape(2, cin, 6, 6), DataType.FLOAT64);
            NDArray w = m.randomNormal(0, 1, new Shape(cout, cin, k, k), DataType.FLOAT64);
            NDArray b = m.randomNormal(0, 1, new Shape(cout), DataType.FLOAT64);
            Shape st = new Shape(stride, stride);
            Shape pd = new Shape(k / 2, k / 2);
            Shape one = new Shape(1, 1);
            NDArray[] grads = new NDArray[2];
            NDArray[] outs = new NDArray[2];
            ConvGuardMode[] modes = {ConvGuardMode.NONE, ConvGuardMode.PAD_CHANNELS};
            for (int i = 0; i < 2; i++) {
                NDArray xi = x.duplicate();
                xi.setRequiresGradient(true);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray y = ConvGuard.convolution(xi, w, b, st, pd, one, modes[i]);
                    outs[i] = y.duplicate();
                    gc.backward(y.mul(y).sum());
                }
                grads[i] = xi.getGradient().duplicate();
            }
            assertEquals(outs[0].getShape(), outs[1].getShape());
            assertTrue(outs[0].sub(outs[1]).abs().max().getDouble() < 1e-10);
            assertTrue(grads[0].sub(grads[1]).abs().max().getDouble() < 1e-9);
        }
    }

    /**
     * The transposed convolution against its definition, summed directly in float64: y[n, o, i, j] = b[o] +
     * Σ x[n, c, h, w]·W[c, o, u, v] over i = h·s − p + u, j = w·s − p + v inside the output (PyTorch's
     * conv_transpose2d), for strides 1–3, every padding and output padding, kernels that the stride does and
     * does not divide, and odd sizes.
     */
    @Example
    void transposedConvOfDcganAndOfAnUnevenlyPaddedLayerEqualItsDefinition() {
        // k 4, s 2, p 1: the phase convolution pads itself; k 4, s 2, p 0, q 1: the input is padded first
        transposedConvEqualsItsDefinition(4, 2, 1, 0, 4, 3, 2, 3);
        transposedConvEqualsItsDefinition(4, 2, 0, 1, 3, 4, 3, 2);
        transposedConvEqualsItsDefinition(5, 3, 2, 2, 2, 3, 2, 2);
    }

    @Property(tries = 40, seed = "16")
    void transposedConvEqualsItsDefinition(
            @ForAll @IntRange(min = 1, max = 5) int k,
            @ForAll @IntRange(min = 1, max = 3) int s,
            @ForAll @IntRange(min = 0, max = 4) int pRaw,
            @ForAll @IntRange(min = 0, max = 2) int qRaw,
            @ForAll @IntRange(min = 1, max = 4) int h,
            @ForAll @IntRange(min = 1, max = 4) int wd,
            @ForAll @IntRange(min = 1, max = 3) int cin,
            @ForAll @IntRange(min = 1, max = 3) int cout) {
        int p = pRaw % k;
        int q = qRaw % s;
        try (NDManager m = NDManager.newBaseManager(ai.djl.Device.cpu())) {
            NDArray x = m.randomNormal(0, 1, new Shape(2, cin, h, wd), DataType.FLOAT64);
            NDArray w = m.randomNormal(0, 1, new Shape(cin, cout, k, k), DataType.FLOAT64);
            NDArray b = m.randomNormal(0, 1, new Shape(cout), DataType.FLOAT64);
            int ho = (h - 1) * s - 2 * p + k + q;
            int wo = (wd - 1) * s - 2 * p + k + q;
            if (ho < 1 || wo < 1) {
                return;
            }
            double[] xv = x.toDoubleArray();
            double[] wv = w.toDoubleArray();
            double[] bv = b.toDoubleArray();
            double[] expected = new double[2 * cout * ho * wo];
            for (int n = 0; n < 2; n++) {
                for (int o = 0; o < cout; o++) {
                    for (int i = 0; i < ho; i++) {
                        for (int j = 0; j < wo; j++) {
                            expected[((n * cout + o) * ho + i) * wo + j] = bv[o];
                        }
                    }
                    for (int c = 0; c < cin; c++) {
                        for (int y = 0; y < h; y++) {
                            for (int z = 0; z < wd; z++) {
                                for (int u = 0; u < k; u++) {
                                    for (int v = 0; v < k; v++) {
                                        int i = y * s - p + u;
                                        int j = z * s - p + v;
                                        if (i >= 0 && i < ho && j >= 0 && j < wo) {
                                            expected[((n * cout + o) * ho + i) * wo + j] +=
                                                    xv[((n * cin + c) * h + y) * wd + z]
                                                            * wv[((c * cout + o) * k + u) * k + v];
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            NDArray got = ConvTranspose2d.convTranspose2d(x, w, b, s, p, q);
            assertEquals(new Shape(2, cout, ho, wo), got.getShape());
            double[] g = got.toDoubleArray();
            for (int i = 0; i < g.length; i++) {
                assertEquals(expected[i], g[i], 1e-10, "k " + k + " s " + s + " p " + p + " q " + q + " at " + i);
            }
        }
    }
}
