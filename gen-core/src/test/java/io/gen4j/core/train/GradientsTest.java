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
