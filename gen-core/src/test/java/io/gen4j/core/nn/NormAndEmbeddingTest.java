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
import ai.djl.training.ParameterStore;
import io.gen4j.core.testing.BlockChecks;
import io.gen4j.core.testing.GradientCheck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NormAndEmbeddingTest {

    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager(ai.djl.Device.cpu());
        Engine.getInstance().setRandomSeed(3);
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    @Test
    void groupNormMatchesTheDefinition() {
        NDArray x = manager.randomNormal(0, 2, new Shape(2, 6, 3, 3), DataType.FLOAT64).add(1);
        NDArray y = GroupNorm.groupNorm(x, 3, null, null, 1e-5f);
        // Each (example, group of 2 channels) must have mean 0 and (biased) variance ~1.
        NDArray g = y.reshape(2, 3, -1);
        assertTrue(g.mean(new int[] {2}).abs().max().getDouble() < 1e-9);
        NDArray var = g.square().mean(new int[] {2});
        assertTrue(var.sub(1).abs().max().getDouble() < 1e-3);
        // Reference on one group by hand.
        double[] v = x.get("0, 0:2").toDoubleArray();
        double mean = java.util.Arrays.stream(v).average().orElseThrow();
        double variance = java.util.Arrays.stream(v).map(a -> (a - mean) * (a - mean)).average().orElseThrow();
        double expected = (v[0] - mean) / Math.sqrt(variance + 1e-5);
        assertEquals(expected, y.getDouble(0, 0, 0, 0), 1e-6);
    }

    @Test
    void groupNormGradientsAndSaveLoad() {
        GradientCheck.Result r = GradientCheck.checkBlock(manager, GroupNorm.of(2),
                new NDList(manager.randomNormal(0, 1, new Shape(2, 4, 3, 3), DataType.FLOAT64)), 12, 4);
        assertTrue(r.worstRelativeError() < 1e-5, r::toString);
        BlockChecks.assertSaveLoadRoundTrip(manager, () -> GroupNorm.of(2),
                new NDList(manager.randomNormal(new Shape(2, 4, 3, 3))));
    }

    @Test
    void groupNormRejectsIndivisibleChannels() {
        NDArray x = manager.zeros(new Shape(1, 5, 2, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GroupNorm.groupNorm(x, 2, null, null, 1e-5f));
        assertTrue(e.getMessage().contains("5"));
    }

    @Test
    void mlpShapesGradientsAndSaveLoad() {
        Mlp mlp = Mlp.builder().setHidden(8, 8).setOutput(3).optActivation(Activation.SILU).build();
        NDList x = new NDList(manager.randomNormal(0, 1, new Shape(4, 2), DataType.FLOAT64));
        GradientCheck.Result r = GradientCheck.checkBlock(manager, mlp, x, 10, 5);
        assertTrue(r.worstRelativeError() < 1e-5, r::toString);
        assertEquals(new Shape(4, 3), mlp.getOutputShapes(x.getShapes())[0]);
        BlockChecks.assertSaveLoadRoundTrip(manager,
                () -> Mlp.builder().setHidden(8).setOutput(3).build(), new NDList(manager.randomNormal(new Shape(4, 2))));
    }

    @Test
    void activationsHaveCorrectGradients() {
        for (Activation a : Activation.values()) {
            NDArray x = manager.randomNormal(0, 2, new Shape(10), DataType.FLOAT64);
            GradientCheck.Result r = GradientCheck.check(manager, v -> a.apply(x), java.util.List.of(x),
                    java.util.List.of(a.name()), 10, 6);
            assertTrue(r.worstRelativeError() < 1e-5, () -> a + " " + r);
        }
        NDArray x = manager.create(new double[] {-2, 0.5});
        assertEquals(-0.4, Activation.LEAKY_RELU.apply(x).getDouble(0), 1e-12);
        assertEquals(0.5 / (1 + Math.exp(-0.5)), Activation.SILU.apply(x).getDouble(1), 1e-12);
        assertEquals(Math.log1p(Math.exp(-2)), Activation.SOFTPLUS.apply(x).getDouble(0), 1e-12);
    }

    /** Leaky ReLU's values and derivative against the definition, in float32 (the engine's kernel) and float64. */
    @Test
    void leakyReluIsTheDefinitionWithSlopeDerivativeAtAndBelowZero() {
        double[] v = {-3.5, -1e-30, 0, 1e-30, 0.25, 7};
        for (DataType type : new DataType[] {DataType.FLOAT32, DataType.FLOAT64}) {
            NDArray x = manager.create(v).toType(type, false);
            x.setRequiresGradient(true);
            NDArray y;
            try (ai.djl.training.GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                y = Activation.leakyRelu(x, 0.2);
                gc.backward(y.sum());
            }
            assertEquals(type, y.getDataType());
            double[] got = y.toType(DataType.FLOAT64, false).toDoubleArray();
            double[] grad = x.getGradient().toType(DataType.FLOAT64, false).toDoubleArray();
            double[] at = x.toType(DataType.FLOAT64, false).toDoubleArray();
            double slope = type == DataType.FLOAT32 ? (double) 0.2f : 0.2;
            for (int i = 0; i < v.length; i++) {
                double want = at[i] > 0 ? at[i] : (type == DataType.FLOAT32 ? (double) (float) (at[i] * slope) : at[i] * slope);
                assertEquals(want, got[i], 0.0, type + " leakyRelu(" + at[i] + ")");
                if (at[i] != 0 || type == DataType.FLOAT32) { // the float64 composed form splits the gradient at 0
                    assertEquals(at[i] > 0 ? 1.0 : slope, grad[i], 0.0, type + " leakyRelu'(" + at[i] + ")");
                }
            }
        }
    }

    @Test
    void residualBlockShapesGradientsAndSaveLoad() {
        ResidualBlock block = new ResidualBlock(4, 2, 6, 0f);
        NDList in = new NDList(manager.randomNormal(0, 1, new Shape(2, 2, 4, 4), DataType.FLOAT64),
                manager.randomNormal(0, 1, new Shape(2, 6), DataType.FLOAT64));
        GradientCheck.Result r = GradientCheck.checkBlock(manager, block, in, 8, 7);
        assertTrue(r.worstRelativeError() < 1e-5, r::toString);
        assertEquals(new Shape(2, 4, 4, 4), block.getOutputShapes(in.getShapes())[0]);
        BlockChecks.assertSaveLoadRoundTrip(manager, () -> new ResidualBlock(4, 2, 6, 0.1f),
                new NDList(manager.randomNormal(new Shape(2, 2, 4, 4)), manager.randomNormal(new Shape(2, 6))));
    }

    @Test
    void embeddingsHaveCorrectGradientsAndSaveLoad() {
        NDArray t = manager.create(new double[] {0.3, 7.0, 42.5});
        GradientCheck.Result time = GradientCheck.check(manager,
                v -> SinusoidalTimeEmbedding.embed(t, 8, 10000), java.util.List.of(t), java.util.List.of("t"), 3, 8);
        assertTrue(time.worstRelativeError() < 1e-5, time::toString);
        GradientCheck.Result table = GradientCheck.checkBlock(manager, new LabelEmbedding(3, 4, true),
                new NDList(manager.create(new int[] {0, 3, 1, 0})), 16, 9);
        assertTrue(table.worstRelativeError() < 1e-5, table::toString);
        BlockChecks.assertSaveLoadRoundTrip(manager, () -> new LabelEmbedding(3, 4, true),
                new NDList(manager.create(new int[] {2, 1})));
    }

    @Test
    void blocksDoNotGrowTheModelManager() {
        try (NDManager model = NDManager.newBaseManager(ai.djl.Device.cpu())) {
            BlockChecks.assertForwardDoesNotGrowModelManager(model, new ResidualBlock(4, 2, 6, 0.1f),
                    new NDList(manager.randomNormal(new Shape(2, 2, 4, 4)), manager.randomNormal(new Shape(2, 6))));
        }
        try (NDManager model = NDManager.newBaseManager(ai.djl.Device.cpu())) {
            BlockChecks.assertForwardDoesNotGrowModelManager(model,
                    Mlp.builder().setHidden(8).setOutput(3).optActivation(Activation.GELU).build(),
                    new NDList(manager.randomNormal(new Shape(4, 2))));
        }
        try (NDManager model = NDManager.newBaseManager(ai.djl.Device.cpu())) {
            BlockChecks.assertForwardDoesNotGrowModelManager(model, new LabelEmbedding(3, 4, true),
                    new NDList(manager.create(new int[] {0, 3, 1})));
        }
    }

    @Test
    void sinusoidalEmbeddingHasTheClosedForm() {
        NDArray t = manager.create(new float[] {0f, 10f});
        NDArray e = SinusoidalTimeEmbedding.embed(t, 8, 10000);
        assertEquals(new Shape(2, 8), e.getShape());
        for (int i = 0; i < 4; i++) {
            double w = Math.pow(10000, -i / 4.0);
            assertEquals(Math.sin(10 * w), e.getFloat(1, i), 1e-5);
            assertEquals(Math.cos(10 * w), e.getFloat(1, i + 4), 1e-5);
            assertEquals(1.0, e.getFloat(0, i + 4), 1e-7);
        }
    }

    @Test
    void labelEmbeddingPicksRowsAndHasANullClass() {
        LabelEmbedding emb = new LabelEmbedding(3, 5, true);
        NDArray labels = manager.create(new int[] {2, 0, 3});
        emb.initialize(manager, DataType.FLOAT32, labels.getShape());
        NDArray table = emb.getParameters().get("table").getArray();
        assertEquals(new Shape(4, 5), table.getShape());
        NDArray y = emb.forward(new ParameterStore(manager, false), new NDList(labels), false).head();
        assertEquals(0f, y.get(0).sub(table.get(2)).abs().max().getFloat(), 0f);
        assertEquals(0f, y.get(2).sub(table.get(3)).abs().max().getFloat(), 0f);
        assertEquals(3, emb.nullLabel());
        assertThrows(IllegalStateException.class, () -> new LabelEmbedding(3, 5, false).nullLabel());
    }
}
