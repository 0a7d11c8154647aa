package io.gen4j.core.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** Causal attention at query i equals ordinary attention over the keys 0 … i alone. */
class CausalAttentionTest {

    @Test
    void queryISeesExactlyTheFirstIPlusOneKeys() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(1);
            NDArray q = m.randomNormal(0, 1, new Shape(2, 5, 8), DataType.FLOAT64);
            NDArray k = m.randomNormal(0, 1, new Shape(2, 5, 8), DataType.FLOAT64);
            NDArray v = m.randomNormal(0, 1, new Shape(2, 5, 8), DataType.FLOAT64);
            NDArray causal = Attention.scaledDotProduct(q, k, v, null, 2, true);
            for (int i = 0; i < 5; i++) {
                String upTo = ":, 0:" + (i + 1);
                NDArray prefix = Attention.scaledDotProduct(q.get(upTo), k.get(upTo), v.get(upTo), null, 2);
                assertArrayEquals(prefix.get(":, " + i).toDoubleArray(), causal.get(":, " + i).toDoubleArray(), 1e-12);
            }
        }
    }
}
