package io.gen4j.core.data.toy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class Toy2dBatchesTest {

    @Test
    void freshSeededSeekableBatches() {
        Toy2d toy = EightGaussians.defaults();
        Toy2dBatches a = new Toy2dBatches(toy, 16, 3);
        try (NDManager m = NDManager.newBaseManager()) {
            float[][] served = new float[5][];
            for (int p = 0; p < 5; p++) {
                NDList b = a.next(m);
                assertEquals(new Shape(16, 2), b.get(0).getShape());
                served[p] = b.get(0).toFloatArray();
            }
            assertFalse(Arrays.equals(served[0], served[1]));
            Toy2dBatches b = new Toy2dBatches(toy, 16, 3);
            b.seek(3);
            assertArrayEquals(served[3], b.next(m).get(0).toFloatArray());
            assertEquals(4, b.position());
            assertEquals((float) a.points(2)[5][1], served[2][11]);
            Toy2dBatches other = new Toy2dBatches(toy, 16, 4);
            assertFalse(Arrays.equals(served[0], other.next(m).get(0).toFloatArray()));
        }
        assertThrows(IllegalArgumentException.class, () -> new Toy2dBatches(toy, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> a.seek(-2));
    }
}
