package io.gen4j.pytorch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import com.sun.jna.Platform;
import io.gen4j.core.kernels.AdamUpdate;
import io.gen4j.core.kernels.Kernels;
import io.gen4j.core.kernels.MultiTensorOps;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The multi-tensor operations through libtorch's entry points ({@code _fused_adam_}, {@code _fused_adamw_},
 * {@code _foreach_zero_}, {@code _foreach_norm}, {@code _foreach_mul_}) against their definitions computed on
 * the host in double precision, and the lists they must decline (a C++ exception would end the process, a
 * non-contiguous array would be updated in the wrong order).
 */
class MultiTensorOpsTest {

    private MultiTensorOps ops;

    @BeforeEach
    void onlyWhereTheEntryPointsAreUsed() {
        Engine.getInstance().setRandomSeed(907);
        assumeTrue(Platform.isLinux() && Platform.ARCH.equals("x86-64"), "entry points are used on Linux x86-64 only");
        ops = Kernels.forEngine(PtKernels.ENGINE).multiTensor().orElseThrow();
    }

    private static double[] host(NDArray a) {
        return a.toType(DataType.FLOAT64, false).toDoubleArray();
    }

    private void adamMatchesReference(DataType type, boolean decoupled, double weightDecay) {
        Shape[] shapes = {new Shape(5, 3), new Shape(17), new Shape(2, 3, 4, 5), new Shape(), new Shape(1, 33)};
        Random random = new Random(decoupled ? 3 : 4);
        double tol = type == DataType.FLOAT64 ? 1e-12 : 2e-5;
        try (NDManager nd = NDManager.newBaseManager()) {
            List<NDArray> w = new ArrayList<>();
            List<NDArray> m = new ArrayList<>();
            List<NDArray> v = new ArrayList<>();
            double[][][] ref = new double[shapes.length][3][];
            for (int p = 0; p < shapes.length; p++) {
                NDArray wp = nd.randomNormal(0f, 1f, shapes[p], DataType.FLOAT64).toType(type, false);
                w.add(wp);
                m.add(nd.zeros(shapes[p], type));
                v.add(nd.zeros(shapes[p], type));
                ref[p][0] = host(wp);
                ref[p][1] = new double[ref[p][0].length];
                ref[p][2] = new double[ref[p][0].length];
            }
            for (int t = 1; t <= 6; t++) {
                List<NDArray> g = new ArrayList<>();
                for (Shape s : shapes) {
                    double[] gv = new double[(int) s.size()];
                    for (int i = 0; i < gv.length; i++) {
                        // gradients from 1e-6 to 10 in magnitude, so that epsilon matters for some
                        gv[i] = random.nextGaussian() * Math.pow(10, random.nextInt(8) - 6);
                    }
                    g.add(nd.create(gv, s).toType(type, false));
                }
                AdamUpdate u = new AdamUpdate(0.01f, t, 0.9, 0.99, 1e-3, weightDecay, decoupled);
                double[][] gBefore = g.stream().map(MultiTensorOpsTest::host).toArray(double[][]::new);
                assertTrue(ops.adam(w, g, m, v, u), type + " lists must be taken");
                for (int p = 0; p < shapes.length; p++) {
                    assertArrayEquals(gBefore[p], host(g.get(p)), "the kernel must leave the gradients unchanged");
                    KernelTestSupport.adamReference(ref[p][0], gBefore[p], ref[p][1], ref[p][2], u);
                    double[] fw = host(w.get(p));
                    double[] fm = host(m.get(p));
                    double[] fv = host(v.get(p));
                    for (int i = 0; i < fw.length; i++) {
                        String at = type + " parameter " + p + "[" + i + "] at t=" + t;
                        assertEquals(ref[p][0][i], fw[i], tol * Math.max(1, Math.abs(ref[p][0][i])), "w " + at);
                        // m cancels where g is small against wd·w: rounding is relative to wd·|w|
                        double mScale = Math.abs(ref[p][1][i]) + weightDecay * Math.abs(ref[p][0][i]);
                        assertEquals(ref[p][1][i], fm[i], tol * mScale + 1e-15, "m " + at);
                        assertEquals(ref[p][2][i], fv[i], tol * Math.abs(ref[p][2][i]) + 1e-24, "v " + at);
                    }
                }
            }
        }
    }

    @Test
    void adamOfManyParametersIsPyTorchsFormula() {
        adamMatchesReference(DataType.FLOAT32, false, 0.0);
        adamMatchesReference(DataType.FLOAT64, false, 0.0);
    }

    @Test
    void adamWithCoupledDecayIsPyTorchsFormula() {
        adamMatchesReference(DataType.FLOAT32, false, 0.05);
        adamMatchesReference(DataType.FLOAT64, false, 0.05);
    }

    @Test
    void adamWIsPyTorchsFormula() {
        adamMatchesReference(DataType.FLOAT32, true, 0.1);
        adamMatchesReference(DataType.FLOAT64, true, 0.1);
    }

    /** Parameters that require gradients, updated inside an open collector (grad mode on): restored after. */
    @Test
    void adamUpdatesParametersThatRequireGradientsWithGradModeOn() {
        try (NDManager nd = NDManager.newBaseManager()) {
            NDArray w = nd.create(new float[] {1f, -2f, 3f});
            w.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(w.square().sum());
                assertTrue(JniUtils.isGradMode());
                assertTrue(ops.adam(List.of(w), List.of(w.getGradient()), List.of(nd.zeros(new Shape(3))),
                        List.of(nd.zeros(new Shape(3))), new AdamUpdate(0.5f, 1, 0.9, 0.999, 1e-8, 0, false)));
                assertTrue(JniUtils.isGradMode(), "grad mode must be restored");
            }
            // first step of Adam: w - lr * sign(g) (up to epsilon)
            assertArrayEquals(new float[] {0.5f, -1.5f, 2.5f}, w.toFloatArray(), 1e-6f);
        }
    }

    @Test
    void adamDeclinesListsItCannotTakeAndChangesNothing() {
        try (NDManager nd = NDManager.newBaseManager()) {
            NDArray w = nd.create(new float[] {1f, 2f, 3f, 4f, 5f, 6f}, new Shape(2, 3));
            NDArray g = nd.ones(new Shape(2, 3));
            NDArray m = nd.zeros(new Shape(2, 3));
            NDArray v = nd.zeros(new Shape(2, 3));
            AdamUpdate u = new AdamUpdate(0.1f, 1, 0.9, 0.999, 1e-8, 0, false);
            float[] before = w.toFloatArray();
            assertFalse(ops.adam(List.of(), List.of(), List.of(), List.of(), u));
            assertFalse(ops.adam(List.of(w), List.of(g, g), List.of(m), List.of(v), u));
            assertFalse(ops.adam(List.of(w), List.of(g.toType(DataType.FLOAT64, false)), List.of(m), List.of(v), u));
            assertFalse(ops.adam(List.of(w), List.of(nd.ones(new Shape(3, 2))), List.of(m), List.of(v), u));
            assertFalse(ops.adam(List.of(w.toType(DataType.FLOAT16, false)), List.of(g.toType(DataType.FLOAT16, false)),
                    List.of(m.toType(DataType.FLOAT16, false)), List.of(v.toType(DataType.FLOAT16, false)), u));
            // a transposed view walks its memory in another order than the contiguous moments
            NDArray wt = nd.create(before, new Shape(3, 2)).transpose();
            assertFalse(AtenOps.contiguous(wt));
            assertFalse(ops.adam(List.of(wt), List.of(g), List.of(m), List.of(v), u));
            assertFalse(ops.adam(List.of(w), List.of(g), List.of(m), List.of(v),
                    new AdamUpdate(0.1f, AtenOps.MAX_FUSED_STEP + 1, 0.9, 0.999, 1e-8, 0, false)));
            assertArrayEquals(before, w.toFloatArray());
            assertArrayEquals(new float[6], m.toFloatArray());
            assertTrue(AtenOps.contiguous(w));
            assertTrue(AtenOps.contiguous(nd.zeros(new Shape(4, 1, 3)).transpose(1, 0, 2)), "size-1 strides are free");
        }
    }

    @Test
    void zeroNormsAndScaleAreTheirDefinitions() {
        try (NDManager nd = NDManager.newBaseManager()) {
            for (DataType type : new DataType[] {DataType.FLOAT32, DataType.FLOAT64}) {
                List<NDArray> xs = new ArrayList<>();
                Shape[] shapes = {new Shape(3, 4), new Shape(), new Shape(1000), new Shape(2, 2, 2)};
                for (Shape s : shapes) {
                    xs.add(nd.randomNormal(0f, 3f, s, DataType.FLOAT64).toType(type, false));
                }
                double[][] before = xs.stream().map(MultiTensorOpsTest::host).toArray(double[][]::new);
                NDList norms = ops.norms(xs);
                assertEquals(xs.size(), norms.size());
                for (int p = 0; p < xs.size(); p++) {
                    double sq = 0;
                    for (double d : before[p]) {
                        sq += d * d;
                    }
                    assertEquals(type, norms.get(p).getDataType());
                    assertEquals(new Shape(), norms.get(p).getShape());
                    assertEquals(nd, norms.get(p).getManager());
                    double tol = type == DataType.FLOAT64 ? 1e-13 : 1e-6;
                    assertEquals(Math.sqrt(sq), host(norms.get(p))[0], tol * Math.sqrt(sq), type + " norm " + p);
                }
                assertTrue(ops.scale(xs, nd.create(-0.25).toType(type, false)));
                for (int p = 0; p < xs.size(); p++) {
                    double[] after = host(xs.get(p));
                    for (int i = 0; i < after.length; i++) {
                        assertEquals(-0.25 * before[p][i], after[i], Math.ulp((float) before[p][i]), type + " scale");
                    }
                }
                xs.get(0).set(new ai.djl.ndarray.index.NDIndex("0, 0"), Float.NaN);
                assertTrue(ops.zero(xs));
                for (NDArray x : xs) {
                    for (double d : host(x)) {
                        assertEquals(0.0, d, "zero_ sets every element, NaN included, to 0");
                    }
                }
            }
        }
    }

    @Test
    void lerpIsTheMovingAverage() {
        try (NDManager nd = NDManager.newBaseManager()) {
            for (DataType type : new DataType[] {DataType.FLOAT32, DataType.FLOAT64}) {
                List<NDArray> shadows = new ArrayList<>();
                List<NDArray> weights = new ArrayList<>();
                for (Shape s : new Shape[] {new Shape(4, 5), new Shape(), new Shape(37)}) {
                    shadows.add(nd.randomNormal(0f, 1f, s, DataType.FLOAT64).toType(type, false));
                    NDArray w = nd.randomNormal(0f, 2f, s, DataType.FLOAT64).toType(type, false);
                    w.setRequiresGradient(true);
                    weights.add(w);
                }
                double[][] s0 = shadows.stream().map(MultiTensorOpsTest::host).toArray(double[][]::new);
                double[][] w0 = weights.stream().map(MultiTensorOpsTest::host).toArray(double[][]::new);
                double decay = 0.97;
                // inside a collector (grad mode on), with weights that require gradients: nothing is recorded
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    assertTrue(ops.lerp(shadows, weights, 1 - decay));
                }
                double tol = type == DataType.FLOAT64 ? 1e-15 : 3e-7;
                for (int p = 0; p < shadows.size(); p++) {
                    double[] got = host(shadows.get(p));
                    for (int i = 0; i < got.length; i++) {
                        double expected = decay * s0[p][i] + (1 - decay) * w0[p][i];
                        assertEquals(expected, got[i], tol * (Math.abs(s0[p][i]) + Math.abs(w0[p][i])), type + " " + p);
                    }
                    assertArrayEquals(w0[p], host(weights.get(p)), "the weights are read only");
                    assertFalse(shadows.get(p).hasGradient(), "no graph is recorded into the shadow");
                }
                NDArray one = nd.ones(new Shape(2), type);
                assertFalse(ops.lerp(List.of(one), List.of(nd.ones(new Shape(3), type)), 0.5), "shapes differ");
                assertFalse(ops.lerp(List.of(one), List.of(one, one), 0.5), "lengths differ");
                assertFalse(ops.lerp(List.of(one), List.of(one), 1.5), "weight above 1");
                assertFalse(ops.lerp(List.of(), List.of(), 0.5));
            }
            assertFalse(ops.lerp(List.of(nd.ones(new Shape(2))), List.of(nd.ones(new Shape(2), DataType.FLOAT64)), 0.5));
        }
    }

    @Test
    void listOperationsDeclineWhatTheyCannotTake() {
        try (NDManager nd = NDManager.newBaseManager()) {
            NDArray a = nd.ones(new Shape(3));
            NDArray b = nd.ones(new Shape(3), DataType.FLOAT64);
            assertNull(ops.norms(List.of()));
            assertNull(ops.norms(List.of(a, b)));
            assertNull(ops.norms(List.of(a.toType(DataType.INT32, false))));
            assertFalse(ops.zero(List.of()));
            assertFalse(ops.zero(List.of(a, b)));
            assertFalse(ops.scale(List.of(a), nd.create(2f).reshape(1)), "the factor must be a scalar");
            assertFalse(ops.scale(List.of(a), nd.create(2.0)), "the factor must be of the arrays' type");
            assertFalse(ops.scale(List.of(), nd.create(2f)));
            assertArrayEquals(new float[] {1f, 1f, 1f}, a.toFloatArray());
        }
    }

    /** The norms' tensors and their vector's buffer are freed: the resident set stays flat over many calls. */
    @Test
    void normsAreFreedWithTheirManager() throws Exception {
        try (NDManager nd = NDManager.newBaseManager()) {
            List<NDArray> xs = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                xs.add(nd.ones(new Shape(4)));
            }
            // calls first: the Java heap of their wrappers touches new pages for a while (measured: 139 and 70
            // MiB over the first two rounds of 300 calls, then 0 to 43 MiB per round)
            for (int i = 0; i < 600; i++) {
                try (NDManager step = nd.newSubManager()) {
                    step.attachAll(ops.norms(xs));
                }
            }
            long before = KernelTestSupport.rssKib();
            for (int i = 0; i < 1000; i++) {
                try (NDManager step = nd.newSubManager()) {
                    NDList norms = ops.norms(xs);
                    step.attachAll(norms);
                }
            }
            long grownMib = (KernelTestSupport.rssKib() - before) / 1024;
            // a million scalar tensors: about 500 MiB if none were freed (150 MiB per 300 000 measured)
            assertTrue(grownMib < 150, "resident set grew by " + grownMib + " MiB over a million norms");
        }
    }
}
