package io.gen4j.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

class GradientsTest {

    /** loss = sum(W * c) + sum(b * d): gradients are exactly c and d. */
    private static Linear withGradients(NDManager m, float[] c, float[] d) {
        Linear lin = Linear.builder().setUnits(2).build();
        lin.initialize(m, DataType.FLOAT32, new Shape(1, 2));
        Parameter w = lin.getParameters().get("weight");
        Parameter b = lin.getParameters().get("bias");
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray loss = w.getArray().mul(m.create(c, new Shape(2, 2))).sum()
                    .add(b.getArray().mul(m.create(d)).sum());
            gc.backward(loss);
        }
        return lin;
    }

    private static float[] grad(Linear lin, String name) {
        try (NDArray g = lin.getParameters().get(name).getArray().getGradient()) {
            return g.toFloatArray();
        }
    }

    @Test
    void globalNormIsTheNormOfAllGradients() {
        try (NDManager m = NDManager.newBaseManager()) {
            Linear lin = withGradients(m, new float[] {3, 0, 0, 0}, new float[] {0, 4});
            assertEquals(5.0, Gradients.globalNorm(lin), 1e-6);
        }
    }

    @Test
    void clipScalesToMaxNormAndReturnsPreClipNorm() {
        try (NDManager m = NDManager.newBaseManager()) {
            Linear lin = withGradients(m, new float[] {3, 0, 0, 0}, new float[] {0, 4});
            assertEquals(5.0, Gradients.clipGlobalNorm(1.0, lin), 1e-6);
            assertEquals(1.0, Gradients.globalNorm(lin), 1e-5);
            assertEquals(0.6f, grad(lin, "weight")[0], 1e-5f);
            assertEquals(0.8f, grad(lin, "bias")[1], 1e-5f);
        }
    }

    @Test
    void clipLeavesSmallGradientsAlone() {
        try (NDManager m = NDManager.newBaseManager()) {
            Linear lin = withGradients(m, new float[] {0.3f, 0, 0, 0}, new float[] {0, 0.4f});
            assertEquals(0.5, Gradients.clipGlobalNorm(1.0, lin), 1e-6);
            assertEquals(0.3f, grad(lin, "weight")[0], 1e-7f);
        }
    }

    @Test
    void aBoundNoNormCanExceedReportsTheNormAndLeavesEveryBitAlone() {
        try (NDManager m = NDManager.newBaseManager()) {
            // 3e38 and 4e38 overflow float32's sum of squares: the norm is +Inf, and nothing may be scaled
            Linear huge = withGradients(m, new float[] {3e38f, 0, 0, 0}, new float[] {0, 3e38f});
            Linear small = withGradients(m, new float[] {0.3f, 1e-30f, 0, 0}, new float[] {0, 0.4f});
            for (double bound : new double[] {Float.MAX_VALUE, Double.MAX_VALUE}) {
                assertEquals(Double.POSITIVE_INFINITY, Gradients.clipGlobalNorm(bound, huge));
                assertEquals(3e38f, grad(huge, "weight")[0]);
                assertEquals(0.5, Gradients.clipGlobalNorm(bound, small), 1e-6);
                assertEquals(1e-30f, grad(small, "weight")[1]);
                assertEquals(0.3f, grad(small, "weight")[0]);
            }
            // a large bound below float32's largest value still clips
            Linear big = withGradients(m, new float[] {3e18f, 0, 0, 0}, new float[] {0, 4e18f});
            assertEquals(5e18, Gradients.clipGlobalNorm(1e18, big), 1e12);
            assertEquals(0.6e18f, grad(big, "weight")[0], 1e12f);
        }
    }

    @Test
    void exceedableKnowsTheLargestFiniteValues() {
        assertEquals(true, Gradients.exceedable(1e38, DataType.FLOAT32));
        assertEquals(false, Gradients.exceedable(Float.MAX_VALUE, DataType.FLOAT32));
        assertEquals(true, Gradients.exceedable(Float.MAX_VALUE, DataType.FLOAT64));
        assertEquals(false, Gradients.exceedable(Double.MAX_VALUE, DataType.FLOAT64));
        assertEquals(true, Gradients.exceedable(Double.MAX_VALUE, DataType.FLOAT16));
    }

    @Test
    void zeroClearsGradients() {
        try (NDManager m = NDManager.newBaseManager()) {
            Linear lin = withGradients(m, new float[] {1, 2, 3, 4}, new float[] {5, 6});
            Gradients.zero(lin);
            assertEquals(0.0, Gradients.globalNorm(lin));
        }
    }

    @Test
    void nonFiniteNormIsReturnedAndNothingScaled() {
        try (NDManager m = NDManager.newBaseManager()) {
            Linear lin = withGradients(m, new float[] {Float.NaN, 1, 0, 0}, new float[] {0, 0});
            assertEquals(Double.NaN, Gradients.clipGlobalNorm(1.0, lin));
            assertEquals(1f, grad(lin, "weight")[1]);
            assertThrows(IllegalArgumentException.class, () -> Gradients.clipGlobalNorm(0, lin));
        }
    }
}
