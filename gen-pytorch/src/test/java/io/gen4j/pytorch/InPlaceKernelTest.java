package io.gen4j.pytorch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.sun.jna.Platform;
import io.gen4j.core.kernels.InPlaceOps;
import io.gen4j.core.kernels.Kernels;
import io.gen4j.core.testing.BlockChecks;
import io.gen4j.core.testing.InPlaceOpsChecks;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * libtorch's {@code addmm.out}, {@code sigmoid_}, {@code relu_}, {@code mul_} and {@code copy_} through {@link
 * AtenOps}: the {@link InPlaceOps} contract, no new array for a native call, and the arrays it leaves to the composed
 * form (other types, autograd recording) computed correctly by it rather than ending the process.
 */
class InPlaceKernelTest {

    private InPlaceOps ops;

    @BeforeEach
    void onlyWhereTheEntryPointsAreUsed() {
        Engine.getInstance();
        assumeTrue(Platform.isLinux() && Platform.ARCH.equals("x86-64"), "entry points are used on Linux x86-64 only");
        assertTrue(AtenOps.get().isPresent(), "on Linux x86-64 with DJL's libtorch the entry points must be found");
        ops = Kernels.forEngine(PtKernels.ENGINE).inPlace();
    }

    @Test
    void nativeOperationsKeepTheContract() {
        try (NDManager m = NDManager.newBaseManager()) {
            assertTrue(ops.takes(m.ones(new Shape(2)), m.ones(new Shape(3, 2))));
            InPlaceOpsChecks.check(ops, m);
        }
    }

    /** A native call writes into the arrays it is given and makes none: the manager holds as many after. */
    @Test
    void nativeOperationsMakeNoArray() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray out = m.zeros(new Shape(4, 3));
            NDArray a = m.randomNormal(new Shape(4, 5));
            NDArray b = m.randomNormal(new Shape(5, 3));
            NDArray bias = m.randomNormal(new Shape(3));
            NDArray src = m.randomNormal(new Shape(4, 3));
            int before = BlockChecks.countManagedArrays(m);
            ops.addmm(out, bias, a, b);
            ops.sigmoid(out);
            ops.relu(out);
            ops.mul(out, src);
            ops.copy(out, src);
            assertEquals(before, BlockChecks.countManagedArrays(m));
            assertArrayEquals(src.toFloatArray(), out.toFloatArray());
        }
    }

    /**
     * Integer arrays, mixed types, and arrays autograd records in a {@link GradientCollector} are not taken natively
     * (libtorch would throw across the native boundary for the last two), and the composed form gives the result.
     */
    @Test
    void whatIsNotTakenIsComposed() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray ints = m.create(new int[] {1, -2, 3});
            assertFalse(ops.takes(ints));
            assertFalse(ops.takes(m.ones(new Shape(2)), m.ones(new Shape(2)).toType(DataType.FLOAT64, false)));
            ops.relu(ints);
            assertArrayEquals(new int[] {1, 0, 3}, ints.toIntArray());

            NDArray w = m.create(new float[] {1f, 2f, 3f, 4f}, new Shape(2, 2));
            w.setRequiresGradient(true);
            NDArray out = m.zeros(new Shape(1, 2));
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                assertFalse(ops.takes(out, w), "a leaf marked for a gradient, in grad mode");
                ops.addmm(out, m.zeros(new Shape(2)), m.create(new float[] {1f, -1f}, new Shape(1, 2)), w);
            }
            assertArrayEquals(new float[] {-2f, -2f}, out.toFloatArray());
            assertTrue(ops.takes(out, w), "outside grad mode the flag does not matter");
        }
    }
}
