package io.gen4j.pytorch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.gen4j.core.kernels.AdamUpdate;
import io.gen4j.core.kernels.FusedAdam;
import io.gen4j.core.kernels.Kernels;
import io.gen4j.core.train.Adam;
import io.gen4j.core.train.AdamConfig;
import io.gen4j.core.train.AdamW;
import io.gen4j.core.train.Ema;
import io.gen4j.core.train.EmaConfig;
import io.gen4j.core.train.Gradients;
import io.gen4j.core.train.LearningRateSchedule;
import io.gen4j.core.train.ParameterOptimizer;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The fused Adam kernel against an independent double-precision loop of PyTorch's Adam/AdamW
 * formula, and the optimizer with the fused kernel against the same optimizer composing it.
 */
class PtKernelsTest {

    @Test
    void serviceLoaderFindsThePyTorchKernels() {
        try (NDManager m = NDManager.newBaseManager()) {
            Kernels k = Kernels.forArray(m.zeros(new Shape(1)));
            assertInstanceOf(PtKernels.class, k);
            assertTrue(k.fusedAdam().isPresent());
        }
        assertSame(Kernels.composed(), Kernels.forEngine("SomeOtherEngine"));
    }

    private static double[] toDouble(NDArray a) {
        float[] f = a.toFloatArray();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    private static void fusedMatchesReference(boolean decoupled, double weightDecay, double epsilon) {
        FusedAdam fused = new PtKernels().fusedAdam().orElseThrow();
        Random random = new Random(11);
        try (NDManager nd = NDManager.newBaseManager()) {
            int n = 257;
            float[] w0 = new float[n];
            for (int i = 0; i < n; i++) {
                w0[i] = (float) random.nextGaussian();
            }
            NDArray w = nd.create(w0);
            NDArray m = nd.zeros(new Shape(n));
            NDArray v = nd.zeros(new Shape(n));
            double[] rw = toDouble(w);
            double[] rm = new double[n];
            double[] rv = new double[n];
            for (int t = 1; t <= 6; t++) {
                float[] g0 = new float[n];
                for (int i = 0; i < n; i++) {
                    // gradients from 1e-6 to 10 in magnitude, so that epsilon matters for some
                    g0[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(8) - 6));
                }
                NDArray g = nd.create(g0);
                AdamUpdate u = new AdamUpdate(0.01f, t, 0.9, 0.99, epsilon, weightDecay, decoupled);
                fused.update(w, g, m, v, u);
                double[] rg = toDouble(g);
                assertEquals(g0[0], (float) rg[0], "the kernel must leave the gradient unchanged");
                KernelTestSupport.adamReference(rw, rg, rm, rv, u);
                float[] fw = w.toFloatArray();
                float[] fm = m.toFloatArray();
                float[] fv = v.toFloatArray();
                for (int i = 0; i < n; i++) {
                    assertEquals(rw[i], fw[i], 1e-5 * Math.max(1, Math.abs(rw[i])), "w[" + i + "] at t=" + t);
                    assertEquals(rm[i], fm[i], 1e-5 * Math.abs(rm[i]) + 1e-12, "m[" + i + "] at t=" + t);
                    assertEquals(rv[i], fv[i], 1e-5 * Math.abs(rv[i]) + 1e-20, "v[" + i + "] at t=" + t);
                }
            }
        }
    }

    @Test
    void fusedAdamMatchesPyTorchFormula() {
        fusedMatchesReference(false, 0.0, 1e-8);
    }

    @Test
    void fusedAdamWithCoupledDecayMatchesPyTorchFormula() {
        fusedMatchesReference(false, 0.05, 1e-3);
    }

    @Test
    void fusedAdamWMatchesPyTorchFormula() {
        fusedMatchesReference(true, 0.1, 1e-3);
    }

    private static Block linear(NDManager m, long seed) {
        Engine.getInstance().setRandomSeed((int) seed);
        Linear lin = Linear.builder().setUnits(5).build();
        lin.initialize(m, DataType.FLOAT32, new Shape(1, 7));
        return lin;
    }

    private static float[][] trainFiveSteps(String kernels, Function<Block, ParameterOptimizer> optimizer) {
        return KernelTestSupport.withKernels(kernels, () -> trainFiveSteps(kernels.equals("composed"), optimizer));
    }

    private static float[][] trainFiveSteps(boolean composed, Function<Block, ParameterOptimizer> optimizer) {
        try (NDManager m = NDManager.newBaseManager()) {
            Block net = linear(m, 5);
            ParameterOptimizer opt = optimizer.apply(net);
            assertSame(composed ? Kernels.composed() : PtKernels.class,
                    composed ? opt.kernels() : opt.kernels().getClass());
            Engine.getInstance().setRandomSeed(9);
            NDArray x = m.randomNormal(new Shape(32, 7));
            NDArray y = m.randomNormal(new Shape(32, 5));
            for (int step = 0; step < 5; step++) {
                try (NDManager scope = m.newSubManager()) {
                    NDArray xs = x.duplicate();
                    xs.attach(scope);
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray out = net.forward(new ParameterStore(scope, false), new ai.djl.ndarray.NDList(xs), true)
                                .head();
                        gc.backward(out.sub(y).square().mean());
                    }
                    opt.update();
                }
            }
            float[][] values = new float[2][];
            int k = 0;
            for (Pair<String, Parameter> p : net.getParameters()) {
                values[k++] = p.getValue().getArray().toFloatArray();
            }
            return values;
        }
    }

    private static void optimizerFusedEqualsComposed(Function<Block, ParameterOptimizer> optimizer) {
        float[][] composed = trainFiveSteps("composed", optimizer);
        float[][] fused = trainFiveSteps("auto", optimizer);
        for (int p = 0; p < composed.length; p++) {
            for (int i = 0; i < composed[p].length; i++) {
                assertEquals(composed[p][i], fused[p][i], 1e-6f * Math.max(1f, Math.abs(composed[p][i])),
                        "parameter " + p + " element " + i);
            }
        }
    }

    @Test
    void adamOptimizerFusedEqualsComposed() {
        optimizerFusedEqualsComposed(net -> new Adam(LearningRateSchedule.constant(0.02),
                new AdamConfig(0.9, 0.999, 1e-8, 0.01), net));
    }

    @Test
    void adamWOptimizerFusedEqualsComposed() {
        optimizerFusedEqualsComposed(net -> new AdamW(LearningRateSchedule.constant(0.02),
                new AdamConfig(0.9, 0.999, 1e-8, 0.1), net));
    }

    /** Gradients of a seeded linear layer (weight and bias) after one backward pass, clipped or zeroed with these kernels. */
    private static float[][] gradientsAfter(String kernels, double maxNorm, boolean zero, double[] norm) {
        return KernelTestSupport.withKernels(kernels, () -> gradientsAfter(maxNorm, zero, norm));
    }

    private static float[][] gradientsAfter(double maxNorm, boolean zero, double[] norm) {
        try (NDManager m = NDManager.newBaseManager()) {
            Block net = linear(m, 8);
            Engine.getInstance().setRandomSeed(4);
            NDArray x = m.randomNormal(new Shape(16, 7));
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray out = net.forward(new ParameterStore(m, false), new ai.djl.ndarray.NDList(x), true).head();
                gc.backward(out.square().mean().mul(50));
            }
            if (zero) {
                Gradients.zero(net);
            } else {
                norm[0] = Gradients.clipGlobalNorm(maxNorm, net);
            }
            float[][] values = new float[2][];
            int k = 0;
            for (Pair<String, Parameter> p : net.getParameters()) {
                values[k++] = p.getValue().getArray().getGradient().toFloatArray();
            }
            return values;
        }
    }

    /**
     * Global-norm clipping through {@code _foreach_norm} and {@code _foreach_mul_} gives the composed result:
     * the same norm, the same clipped gradients, and untouched bits when the norm is below the bound.
     */
    @Test
    void clippingWithListOperationsEqualsComposed() {
        assertTrue(new PtKernels().multiTensor().isPresent());
        double[] composedNorm = new double[1];
        double[] listNorm = new double[1];
        for (double maxNorm : new double[] {0.5, 1e6}) {
            float[][] composed = gradientsAfter("composed", maxNorm, false, composedNorm);
            float[][] lists = gradientsAfter("auto", maxNorm, false, listNorm);
            assertTrue(composedNorm[0] > 0.5, "the test clips: norm " + composedNorm[0]);
            assertEquals(composedNorm[0], listNorm[0], 1e-6 * composedNorm[0]);
            double sq = 0;
            for (int p = 0; p < composed.length; p++) {
                for (int i = 0; i < composed[p].length; i++) {
                    assertEquals(composed[p][i], lists[p][i], 1e-6f * Math.abs(composed[p][i]) + 1e-12f,
                            "max " + maxNorm + " parameter " + p + " element " + i);
                    sq += (double) lists[p][i] * lists[p][i];
                }
            }
            assertEquals(Math.min(maxNorm, listNorm[0]), Math.sqrt(sq), 1e-5 * Math.sqrt(sq), "norm after clipping");
        }
        for (float[] g : gradientsAfter("auto", 0.5, true, listNorm)) {
            assertArrayEquals(new float[g.length], g);
        }
    }

    /** The moving average of a linear layer's parameters after three updates with these kernels. */
    private static float[][] emaAfterThreeUpdates(String kernels) {
        return KernelTestSupport.withKernels(kernels, PtKernelsTest::emaAfterThreeUpdates);
    }

    private static float[][] emaAfterThreeUpdates() {
        try (NDManager m = NDManager.newBaseManager()) {
            Block net = linear(m, 12);
            Ema ema = new Ema(net, new EmaConfig(0.9, true));
            for (int u = 0; u < 3; u++) {
                for (Pair<String, Parameter> p : net.getParameters()) {
                    p.getValue().getArray().addi(0.5f + u);
                }
                ema.update();
            }
            Block copy = linear(m, 13);
            ema.copyTo(copy);
            float[][] values = new float[2][];
            int k = 0;
            for (Pair<String, Parameter> p : copy.getParameters()) {
                values[k++] = p.getValue().getArray().toFloatArray();
            }
            return values;
        }
    }

    @Test
    void movingAverageWithLerpEqualsComposed() {
        float[][] composed = emaAfterThreeUpdates("composed");
        float[][] lerp = emaAfterThreeUpdates("auto");
        for (int p = 0; p < composed.length; p++) {
            for (int i = 0; i < composed[p].length; i++) {
                assertEquals(composed[p][i], lerp[p][i], 1e-6f * Math.max(1f, Math.abs(composed[p][i])),
                        "parameter " + p + " element " + i);
            }
        }
    }
}
