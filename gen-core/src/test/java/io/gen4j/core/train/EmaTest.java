package io.gen4j.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class EmaTest {

    private static Linear linear(NDManager m) {
        Linear lin = Linear.builder().setUnits(1).optBias(false).build();
        lin.initialize(m, DataType.FLOAT32, new Shape(1, 1));
        return lin;
    }

    private static Parameter weight(Block b) {
        return b.getParameters().get("weight");
    }

    @Test
    void followsTheClosedFormWithWarmup() {
        try (NDManager m = NDManager.newBaseManager()) {
            Linear lin = linear(m);
            weight(lin).getArray().set(new float[] {0f});
            Ema ema = new Ema(lin, new EmaConfig(0.9, true));
            double shadow = 0;
            for (int n = 0; n < 30; n++) {
                float w = n + 1;
                weight(lin).getArray().set(new float[] {w});
                double beta = Math.min(0.9, (1.0 + n) / (10.0 + n));
                assertEquals(beta, ema.nextDecay(), 1e-12);
                ema.update();
                shadow = beta * shadow + (1 - beta) * w;
            }
            Linear copy = linear(m);
            ema.copyTo(copy);
            assertEquals(shadow, weight(copy).getArray().getFloat(0, 0), 1e-4);
            assertEquals(30, ema.updates());
        }
    }

    @Test
    @SuppressWarnings("try") // the handles act on close
    void swapInAndOutRestoresTrainedWeights() {
        try (NDManager m = NDManager.newBaseManager()) {
            Linear lin = linear(m);
            weight(lin).getArray().set(new float[] {1f});
            Ema ema = new Ema(lin, new EmaConfig(0.5, false));
            weight(lin).getArray().set(new float[] {3f});
            ema.update(); // shadow = 0.5 * 1 + 0.5 * 3 = 2
            try (Ema.Swap swap = ema.swapIn()) {
                assertEquals(2f, weight(lin).getArray().getFloat(0, 0));
                assertThrows(IllegalStateException.class, ema::update);
            }
            assertEquals(3f, weight(lin).getArray().getFloat(0, 0));
            assertEquals(true, weight(lin).getArray().hasGradient());
        }
    }

    @Test
    void stateRoundTrip() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            Block a = TrainTestSupport.mlp(m, 3, 5, 2, 1);
            Ema ema = new Ema(a, EmaConfig.defaults());
            ema.update();
            ema.update();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ema.saveState(new DataOutputStream(bytes));
            Block b = TrainTestSupport.mlp(m, 3, 5, 2, 2);
            Ema other = new Ema(b, EmaConfig.defaults());
            other.loadState(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
            assertEquals(2, other.updates());
            Block ca = TrainTestSupport.mlp(m, 3, 5, 2, 3);
            Block cb = TrainTestSupport.mlp(m, 3, 5, 2, 4);
            ema.copyTo(ca);
            other.copyTo(cb);
            assertArrayEquals(TrainTestSupport.values(ca), TrainTestSupport.values(cb));
        }
    }

    @Test
    @SuppressWarnings("try") // the handles act on close
    void updatesDoNotLeak() {
        try (NDManager m = NDManager.newBaseManager()) {
            Block a = TrainTestSupport.mlp(m, 3, 5, 2, 1);
            Ema ema = new Ema(a, EmaConfig.defaults());
            ema.update();
            int before = m.getManagedArrays().size();
            for (int i = 0; i < 10; i++) {
                ema.update();
                try (Ema.Swap s = ema.swapIn()) {
                    assertEquals(before, m.getManagedArrays().size());
                }
            }
            assertEquals(before, m.getManagedArrays().size());
        }
    }
}
