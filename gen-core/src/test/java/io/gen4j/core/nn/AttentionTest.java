package io.gen4j.core.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AttentionTest {

    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
        Engine.getInstance().setRandomSeed(5);
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    @Test
    void scaledDotProductMatchesABruteForceReference() {
        int n = 2;
        int lq = 3;
        int lk = 4;
        int dim = 4;
        int heads = 2;
        Random r = new Random(1);
        double[] q = gaussian(r, n * lq * dim);
        double[] k = gaussian(r, n * lk * dim);
        double[] v = gaussian(r, n * lk * dim);
        double[] mask = {1, 1, 0, 1, 1, 0, 0, 0};
        NDArray out = Attention.scaledDotProduct(manager.create(q, new Shape(n, lq, dim)),
                manager.create(k, new Shape(n, lk, dim)), manager.create(v, new Shape(n, lk, dim)),
                manager.create(mask, new Shape(n, lk)), heads);
        assertEquals(new Shape(n, lq, dim), out.getShape());
        double[] got = out.toDoubleArray();
        int d = dim / heads;
        for (int b = 0; b < n; b++) {
            for (int h = 0; h < heads; h++) {
                for (int i = 0; i < lq; i++) {
                    double[] w = new double[lk];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < lk; j++) {
                        double dot = 0;
                        for (int c = 0; c < d; c++) {
                            dot += q[(b * lq + i) * dim + h * d + c] * k[(b * lk + j) * dim + h * d + c];
                        }
                        w[j] = mask[b * lk + j] == 0 ? Double.NEGATIVE_INFINITY : dot / Math.sqrt(d);
                        max = Math.max(max, w[j]);
                    }
                    double z = 0;
                    for (int j = 0; j < lk; j++) {
                        w[j] = Math.exp(w[j] - max);
                        z += w[j];
                    }
                    for (int c = 0; c < d; c++) {
                        double expected = 0;
                        for (int j = 0; j < lk; j++) {
                            expected += w[j] / z * v[(b * lk + j) * dim + h * d + c];
                        }
                        assertEquals(expected, got[(b * lq + i) * dim + h * d + c], 1e-9);
                    }
                }
            }
        }
    }

    @Test
    void selfAttentionStartsAsTheIdentityAndKeepsTheShape() {
        SelfAttention block = SelfAttention.builder().setChannels(8).optHeads(2).build();
        block.initialize(manager, DataType.FLOAT32, new Shape(2, 8, 4, 4));
        NDArray x = manager.randomNormal(new Shape(2, 8, 4, 4));
        NDArray y = block.forward(new ParameterStore(manager, false), new NDList(x), false)
                .singletonOrThrow();
        assertEquals(x.getShape(), y.getShape());
        assertEquals(0.0, y.sub(x).abs().max().getFloat(), 0.0);
    }

    @Test
    void selfAttentionIsEquivariantToPixelPermutations() {
        SelfAttention block = SelfAttention.builder().setChannels(4).optHeads(2)
                .optZeroInitOutput(false).build();
        block.initialize(manager, DataType.FLOAT64, new Shape(1, 4, 2, 3));
        NDArray x = manager.randomNormal(0, 1, new Shape(1, 4, 2, 3), DataType.FLOAT64);
        ParameterStore ps = new ParameterStore(manager, false);
        NDArray y = block.forward(ps, new NDList(x), false).singletonOrThrow();
        // Reverse the 6 pixels: same as flipping both spatial axes.
        NDArray xf = x.flip(2, 3);
        NDArray yf = block.forward(ps, new NDList(xf), false).singletonOrThrow();
        assertEquals(0.0, yf.sub(y.flip(2, 3)).abs().max().getDouble(), 1e-12);
    }

    @Test
    void selfAttentionGradientsMatchFiniteDifferences() {
        SelfAttention block = SelfAttention.builder().setChannels(4).optHeads(2)
                .optZeroInitOutput(false).build();
        checkInputGradient(block, new Shape(2, 4, 2, 2), null);
    }

    @Test
    void crossAttentionGradientsMatchFiniteDifferences() {
        CrossAttention block = CrossAttention.builder().setChannels(4).optHeads(2)
                .optZeroInitOutput(false).build();
        NDArray context = manager.randomNormal(0, 1, new Shape(2, 3, 5), DataType.FLOAT64);
        checkInputGradient(block, new Shape(2, 4, 2, 2), context);
    }

    @Test
    void maskedTokensHaveNoInfluence() {
        CrossAttention block = CrossAttention.builder().setChannels(4).optZeroInitOutput(false)
                .build();
        block.initialize(manager, DataType.FLOAT32, new Shape(2, 4, 3, 3), new Shape(2, 5, 6));
        NDArray x = manager.randomNormal(new Shape(2, 4, 3, 3));
        NDArray context = manager.randomNormal(new Shape(2, 5, 6));
        NDArray mask = manager.create(new float[] {1, 1, 1, 0, 0, 1, 1, 1, 1, 0},
                new Shape(2, 5));
        NDArray changed = context.duplicate();
        changed.set(new ai.djl.ndarray.index.NDIndex(":, 4, :"), 100f);
        ParameterStore ps = new ParameterStore(manager, false);
        NDArray a = block.forward(ps, new NDList(x, context, mask), false).singletonOrThrow();
        NDArray b = block.forward(ps, new NDList(x, changed, mask), false).singletonOrThrow();
        NDArray c = block.forward(ps, new NDList(x, changed), false).singletonOrThrow();
        assertEquals(0.0, a.sub(b).abs().max().getFloat(), 1e-6);
        assertTrue(a.sub(c).abs().max().getFloat() > 1e-3);
    }

    @Test
    void crossAttentionLeavesNoArraysInTheContextManager() {
        CrossAttention block = CrossAttention.builder().setChannels(4).build();
        block.initialize(manager, DataType.FLOAT32, new Shape(1, 4, 2, 2), new Shape(1, 3, 6));
        try (NDManager contextManager = manager.newSubManager()) {
            NDArray context = contextManager.randomNormal(new Shape(1, 3, 6));
            int before = contextManager.getManagedArrays().size();
            for (int i = 0; i < 5; i++) {
                try (NDManager scope = manager.newSubManager()) {
                    NDArray x = scope.randomNormal(new Shape(1, 4, 2, 2));
                    block.forward(new ParameterStore(scope, false), new NDList(x, context), false);
                }
                assertEquals(before, contextManager.getManagedArrays().size());
            }
        }
    }

    @Test
    void parametersSaveAndLoadBitExactly() throws Exception {
        SelfAttention a = SelfAttention.builder().setChannels(4).optZeroInitOutput(false).build();
        a.initialize(manager, DataType.FLOAT32, new Shape(1, 4, 2, 2));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        a.saveParameters(new DataOutputStream(bytes));
        Engine.getInstance().setRandomSeed(99);
        SelfAttention b = SelfAttention.builder().setChannels(4).optZeroInitOutput(false).build();
        b.initialize(manager, DataType.FLOAT32, new Shape(1, 4, 2, 2));
        b.loadParameters(manager, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        for (int i = 0; i < a.getParameters().size(); i++) {
            assertArrayEquals(a.getParameters().valueAt(i).getArray().toFloatArray(),
                    b.getParameters().valueAt(i).getArray().toFloatArray());
        }
        NDArray x = manager.randomNormal(new Shape(1, 4, 2, 2));
        ParameterStore ps = new ParameterStore(manager, false);
        NDArray ya = a.forward(ps, new NDList(x), false).singletonOrThrow();
        NDArray yb = b.forward(ps, new NDList(x), false).singletonOrThrow();
        assertEquals(0.0, ya.sub(yb).abs().max().getFloat(), 1e-6);
    }

    @Test
    void buildersRejectBadHeads() {
        assertThrows(IllegalArgumentException.class,
                () -> SelfAttention.builder().setChannels(6).optHeads(4).build());
        assertThrows(IllegalArgumentException.class,
                () -> CrossAttention.builder().setChannels(0).build());
    }

    private void checkInputGradient(Block block, Shape shape, NDArray context) {
        if (context == null) {
            block.initialize(manager, DataType.FLOAT64, shape);
        } else {
            block.initialize(manager, DataType.FLOAT64, shape, context.getShape());
        }
        ParameterStore ps = new ParameterStore(manager, false);
        NDArray x = manager.randomNormal(0, 1, shape, DataType.FLOAT64);
        NDArray w = manager.randomNormal(0, 1, shape, DataType.FLOAT64);
        x.setRequiresGradient(true);
        NDArray grad;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDList in = context == null ? new NDList(x) : new NDList(x, context);
            NDArray loss = block.forward(ps, in, true).singletonOrThrow().mul(w).sum();
            gc.backward(loss);
            grad = x.getGradient().duplicate();
        }
        double[] base = x.toDoubleArray();
        double[] g = grad.toDoubleArray();
        double h = 1e-6;
        for (int i = 0; i < base.length; i += 3) {
            double[] plus = base.clone();
            double[] minus = base.clone();
            plus[i] += h;
            minus[i] -= h;
            double fp = lossAt(block, ps, plus, shape, w, context);
            double fm = lossAt(block, ps, minus, shape, w, context);
            assertEquals((fp - fm) / (2 * h), g[i], 1e-6, "d loss / d x[" + i + "]");
        }
    }

    private double lossAt(Block block, ParameterStore ps, double[] values, Shape shape, NDArray w,
            NDArray context) {
        NDArray x = manager.create(values, shape);
        NDList in = context == null ? new NDList(x) : new NDList(x, context);
        return block.forward(ps, in, false).singletonOrThrow().mul(w).sum().getDouble();
    }

    private static double[] gaussian(Random r, int size) {
        double[] v = new double[size];
        for (int i = 0; i < size; i++) {
            v[i] = r.nextGaussian();
        }
        return v;
    }
}
