package io.gen4j.core.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import io.gen4j.core.testing.BlockChecks;
import org.junit.jupiter.api.Test;

class LocalTest {

    /** d/da Σ (3 a)² = 18 a reaches a through the copy in another manager (DJL's duplicate() cuts it). */
    @Test
    void theCopyInAnotherManagerCarriesTheGradient() {
        for (DataType type : new DataType[] {DataType.FLOAT32, DataType.FLOAT64}) {
            try (NDManager owner = NDManager.newBaseManager(); NDManager caller = NDManager.newBaseManager()) {
                NDArray a = owner.create(new double[] {1, -2, 0.5}).toType(type, false);
                a.setRequiresGradient(true);
                int ownerBefore = BlockChecks.countManagedArrays(owner);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray local = Local.in(caller, a);
                    assertNotSame(a, local);
                    assertSame(caller, local.getManager());
                    assertEquals(type, local.getDataType());
                    NDArray y = local.mul(caller.create(3.0).toType(type, false));
                    gc.backward(y.mul(y).sum());
                }
                assertEquals(ownerBefore, BlockChecks.countManagedArrays(owner), "nothing lands in a's manager");
                assertArrayEquals(new double[] {18, -36, 9},
                        a.getGradient().toType(DataType.FLOAT64, false).toDoubleArray(), 1e-6);
            }
        }
    }

    /** The same manager gets the array itself; another one a handle with a's values, whose closing leaves a intact. */
    @Test
    void sameManagerIsTheArrayOtherwiseAHandleThatClosesAlone() {
        try (NDManager owner = NDManager.newBaseManager()) {
            NDArray a = owner.create(new float[] {1, 2, 3});
            assertSame(a, Local.in(owner, a));
            try (NDManager caller = NDManager.newBaseManager()) {
                NDArray local = Local.in(caller, a);
                assertArrayEquals(a.toFloatArray(), local.toFloatArray());
                local.add(1).toFloatArray();
            }
            System.gc();
            assertArrayEquals(new float[] {1, 2, 3}, a.toFloatArray());
            assertArrayEquals(new float[] {2, 4, 6}, a.mul(a.getManager().create(2f)).toFloatArray());
        }
    }
}
