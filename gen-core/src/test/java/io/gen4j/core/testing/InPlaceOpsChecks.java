package io.gen4j.core.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.kernels.InPlaceOps;

/**
 * The contract of {@link InPlaceOps}, for any implementation: each operation writes the closed-form result (worked
 * out by hand below, not by another array operation) into views of a larger buffer and leaves the buffer's other
 * elements alone; shapes that do not fit are refused before anything is written; float64 works as float32 does.
 */
public final class InPlaceOpsChecks {

    private InPlaceOpsChecks() {}

    /**
     * Runs every check.
     *
     * @param ops the implementation
     * @param manager where the test arrays go
     */
    public static void check(InPlaceOps ops, NDManager manager) {
        for (DataType type : new DataType[] {DataType.FLOAT32, DataType.FLOAT64}) {
            addmmIntoAStridedViewWithARowAddend(ops, manager, type);
            addmmWithAFullAddendFromAView(ops, manager, type);
        }
        elementWiseInPlaceOnHalvesOfABuffer(ops, manager);
        copyIntoAColumn(ops, manager);
        refusals(ops, manager);
    }

    private static NDArray buffer(NDManager m, long rows, long columns, DataType type) {
        return m.full(new Shape(rows, columns), 100f).toType(type, false);
    }

    private static float[] floats(NDArray a) {
        return a.toType(DataType.FLOAT32, false).toFloatArray();
    }

    private static void addmmIntoAStridedViewWithARowAddend(InPlaceOps ops, NDManager m, DataType type) {
        NDArray buf = buffer(m, 2, 5, type);
        NDArray out = buf.get(new NDIndex(":, 1:3")); // (2, 2), row stride 5
        NDArray a = m.create(new float[] {1f, 2f, 3f, -1f, 0f, 2f}, new Shape(2, 3)).toType(type, false);
        NDArray b = m.create(new float[] {1f, 0f, 0f, 1f, 2f, -1f}, new Shape(3, 2)).toType(type, false);
        ops.addmm(out, m.create(new float[] {0.5f, -0.5f}).toType(type, false), a, b);
        // a·b = [[1 + 6, 2 − 3], [−1 + 4, −2]] = [[7, −1], [3, −2]]
        assertArrayEquals(new float[] {100f, 7.5f, -1.5f, 100f, 100f, 100f, 3.5f, -2.5f, 100f, 100f}, floats(buf),
                "addmm into a strided view, " + type);
    }

    private static void addmmWithAFullAddendFromAView(InPlaceOps ops, NDManager m, DataType type) {
        // a transposed matrix and an addend that is itself a strided view (a column block of a wider array)
        NDArray wide = m.create(new float[] {1f, 2f, 9f, 3f, 4f, 9f}, new Shape(2, 3)).toType(type, false);
        NDArray addend = wide.get(new NDIndex(":, 0:2"));
        NDArray a = m.create(new float[] {2f, 0f, 0f, 3f}, new Shape(2, 2)).toType(type, false);
        NDArray bT = m.create(new float[] {1f, 1f, -1f, 2f}, new Shape(2, 2)).toType(type, false).transpose();
        NDArray out = buffer(m, 2, 2, type);
        ops.addmm(out, addend, a, bT);
        // b = [[1, −1], [1, 2]]; a·b = [[2, −2], [3, 6]]
        assertArrayEquals(new float[] {3f, 0f, 6f, 10f}, floats(out), "addmm with a (n, m) addend, " + type);
        assertArrayEquals(new float[] {1f, 2f, 9f, 3f, 4f, 9f}, floats(wide), "the addend is left alone");
    }

    private static void elementWiseInPlaceOnHalvesOfABuffer(InPlaceOps ops, NDManager m) {
        NDArray buf = m.create(new float[] {0f, -2f, 3f, 1f, 2f, -4f}, new Shape(1, 6));
        NDList halves = buf.split(2, 1);
        ops.sigmoid(halves.get(0));
        float[] s = floats(buf);
        assertEquals(0.5f, s[0], 1e-7f);
        assertEquals((float) (1 / (1 + Math.exp(2))), s[1], 1e-7f);
        assertEquals((float) (1 / (1 + Math.exp(-3))), s[2], 1e-7f);
        assertArrayEquals(new float[] {1f, 2f, -4f}, new float[] {s[3], s[4], s[5]}, "sigmoid left the other half");
        ops.relu(halves.get(1));
        assertArrayEquals(new float[] {1f, 2f, 0f}, floats(halves.get(1)), "relu");
        ops.mul(halves.get(1), halves.get(0));
        assertEquals(0.5f, floats(buf)[3], 1e-7f);
        assertEquals(2 * (float) (1 / (1 + Math.exp(2))), floats(buf)[4], 1e-7f);
        assertEquals(0f, floats(buf)[5]);
    }

    private static void copyIntoAColumn(InPlaceOps ops, NDManager m) {
        NDArray buf = buffer(m, 3, 4, DataType.FLOAT32);
        NDArray column = buf.get(new NDIndex(":, 2")); // (3), stride 4
        ops.copy(column, m.create(new float[] {7f, 8f, 9f}));
        assertArrayEquals(new float[] {100f, 100f, 7f, 100f, 100f, 100f, 8f, 100f, 100f, 100f, 9f, 100f},
                floats(buf), "copy into a column");
    }

    private static void refusals(InPlaceOps ops, NDManager m) {
        NDArray out = buffer(m, 2, 2, DataType.FLOAT32);
        NDArray a = m.ones(new Shape(2, 3));
        assertThrows(IllegalArgumentException.class, () -> ops.addmm(out, m.zeros(new Shape(2)), a,
                m.ones(new Shape(2, 2))), "inner sizes differ");
        assertThrows(IllegalArgumentException.class, () -> ops.addmm(out, m.zeros(new Shape(3)), a,
                m.ones(new Shape(3, 2))), "addend of the wrong width");
        assertThrows(IllegalArgumentException.class, () -> ops.addmm(m.zeros(new Shape(2, 3)), m.zeros(new Shape(2)),
                a, m.ones(new Shape(3, 2))), "out of the wrong shape");
        assertThrows(IllegalArgumentException.class, () -> ops.mul(out, m.ones(new Shape(2))), "mul broadcast");
        assertThrows(IllegalArgumentException.class, () -> ops.copy(out, m.ones(new Shape(4))), "copy of 4 into 2x2");
        assertArrayEquals(new float[] {100f, 100f, 100f, 100f}, floats(out), "nothing written by a refused call");
    }
}
