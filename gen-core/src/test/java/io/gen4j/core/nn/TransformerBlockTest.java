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
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TransformerBlockTest {

    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
        Engine.getInstance().setRandomSeed(7);
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    @Test
    void rotaryTurnsEachChannelPairOfEachHeadByItsAngle() {
        int length = 5;
        int heads = 2;
        int d = 4;
        Random r = new Random(3);
        float[] x = new float[length * heads * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        float[] got = TransformerBlock.rotate(manager.create(x, new Shape(1, length, heads * d)), heads).toFloatArray();
        for (int p = 0; p < length; p++) {
            for (int h = 0; h < heads; h++) {
                int base = (p * heads + h) * d;
                for (int j = 0; j < d / 2; j++) {
                    // a plain 2-d rotation of the pair (j, j + d/2) by p·10000^(-2j/d)
                    double angle = p * Math.pow(10_000, -2.0 * j / d);
                    double a = x[base + j];
                    double b = x[base + j + d / 2];
                    assertEquals(a * Math.cos(angle) - b * Math.sin(angle), got[base + j], 1e-5);
                    assertEquals(b * Math.cos(angle) + a * Math.sin(angle), got[base + j + d / 2], 1e-5);
                }
            }
        }
    }

    @Test
    void rotaryScoresDependOnlyOnTheOffset() {
        int length = 8;
        int d = 6;
        Random r = new Random(4);
        float[] q = new float[d];
        float[] k = new float[d];
        for (int j = 0; j < d; j++) {
            q[j] = (float) r.nextGaussian();
            k[j] = (float) r.nextGaussian();
        }
        float[] qs = new float[length * d];
        float[] ks = new float[length * d];
        for (int p = 0; p < length; p++) {
            System.arraycopy(q, 0, qs, p * d, d);
            System.arraycopy(k, 0, ks, p * d, d);
        }
        float[] rq = TransformerBlock.rotate(manager.create(qs, new Shape(1, length, d)), 1).toFloatArray();
        float[] rk = TransformerBlock.rotate(manager.create(ks, new Shape(1, length, d)), 1).toFloatArray();
        for (int offset = -3; offset <= 3; offset++) {
            double first = Double.NaN;
            for (int i = Math.max(0, -offset); i < length && i + offset < length; i++) {
                double score = 0;
                for (int j = 0; j < d; j++) {
                    score += rq[i * d + j] * rk[(i + offset) * d + j];
                }
                if (Double.isNaN(first)) {
                    first = score;
                }
                assertEquals(first, score, 1e-4, "q_i·k_(i+" + offset + ") at i = " + i);
            }
        }
    }

    @Test
    void causalOutputsIgnoreLaterPositionsAndMaskedOnesIgnorePadding() {
        for (boolean rotary : new boolean[] {false, true}) {
            TransformerBlock causal = new TransformerBlock(8, 2, true, rotary);
            causal.initialize(manager, DataType.FLOAT32, new Shape(1, 6, 8));
            TransformerBlock padded = new TransformerBlock(8, 2, false, rotary);
            padded.initialize(manager, DataType.FLOAT32, new Shape(1, 6, 8), new Shape(1, 6));
            ParameterStore ps = new ParameterStore(manager, false);
            NDArray x = manager.randomNormal(new Shape(1, 6, 8));
            NDArray changed = x.duplicate();
            changed.set(new ai.djl.ndarray.index.NDIndex(":, 4:, :"), 5f);
            float[] a = causal.forward(ps, new NDList(x), false).head().get(":, 0:4, :").toFloatArray();
            float[] b = causal.forward(ps, new NDList(changed), false).head().get(":, 0:4, :").toFloatArray();
            assertArrayEquals(a, b, 1e-5f, "causal, rotary " + rotary);
            NDArray mask = manager.create(new float[] {1, 1, 1, 1, 0, 0}, new Shape(1, 6));
            float[] c = padded.forward(ps, new NDList(x, mask), false).head().get(":, 0:4, :").toFloatArray();
            float[] e = padded.forward(ps, new NDList(changed, mask), false).head().get(":, 0:4, :").toFloatArray();
            assertArrayEquals(c, e, 1e-5f, "padding mask, rotary " + rotary);
            float[] f = padded.forward(ps, new NDList(changed), false).head().get(":, 0:4, :").toFloatArray();
            boolean differs = false;
            for (int i = 0; i < c.length; i++) {
                differs |= Math.abs(c[i] - f[i]) > 1e-3;
            }
            assertTrue(differs, "without a mask the later positions must be seen, rotary " + rotary);
        }
    }

    @Test
    void gradientsReachEveryParameterWithRotary() {
        TransformerBlock block = new TransformerBlock(8, 2, false, true);
        block.initialize(manager, DataType.FLOAT32, new Shape(2, 5, 8));
        List<String> names = new ArrayList<>();
        block.getParameters().forEach(p -> names.add(p.getKey()));
        // the names and order of the two per-package layers this block replaced (saved models stay loadable)
        assertEquals(List.of("01norm1_gamma", "01norm1_beta", "02qkv_weight", "02qkv_bias", "03proj_weight",
                "03proj_bias", "04norm2_gamma", "04norm2_beta"), names.subList(0, 8), "parameter names and order");
        assertTrue(names.subList(8, names.size()).stream().allMatch(n -> n.startsWith("05mlp_")), names.toString());
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray y = block.forward(new ParameterStore(manager, false), new NDList(manager.randomNormal(
                    new Shape(2, 5, 8))), true).head();
            System.gc();
            gc.backward(y.mul(y).sum());
        }
        block.getParameters().forEach(p -> {
            float[] g = p.getValue().getArray().getGradient().toFloatArray();
            double norm = 0;
            for (float v : g) {
                assertTrue(Float.isFinite(v), p.getKey());
                norm += v * v;
            }
            assertTrue(norm > 0, "no gradient for " + p.getKey());
        });
    }

    @Test
    void rejectsOddHeadWidthsForRotary() {
        assertThrows(IllegalArgumentException.class, () -> new TransformerBlock(6, 2, false, true));
        assertThrows(IllegalArgumentException.class, () -> new TransformerBlock(6, 4, false, false));
    }
}
