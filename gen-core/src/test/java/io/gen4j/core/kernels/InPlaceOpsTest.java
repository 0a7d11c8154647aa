package io.gen4j.core.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.testing.BlockChecks;
import io.gen4j.core.testing.InPlaceOpsChecks;
import org.junit.jupiter.api.Test;

/** The composed {@link InPlaceOps}: the contract ({@link InPlaceOpsChecks}), and no array left behind. */
class InPlaceOpsTest {

    @Test
    void composedOperationsKeepTheContract() {
        try (NDManager m = NDManager.newBaseManager()) {
            InPlaceOpsChecks.check(InPlaceOps.composed(), m);
        }
    }

    @Test
    void composedIsTheDefaultAndTakesNothingNatively() {
        assertSame(InPlaceOps.composed(), Kernels.composed().inPlace());
        try (NDManager m = NDManager.newBaseManager()) {
            assertFalse(InPlaceOps.composed().takes(m.ones(new Shape(2))));
        }
    }

    /** The composed forms close the arrays they make: the buffer's manager holds as many arrays after as before. */
    @Test
    void composedOperationsLeaveNoArrayBehind() {
        try (NDManager m = NDManager.newBaseManager()) {
            InPlaceOps ops = InPlaceOps.composed();
            var out = m.zeros(new Shape(2, 2));
            var a = m.ones(new Shape(2, 3));
            var b = m.ones(new Shape(3, 2));
            var bias = m.ones(new Shape(2));
            int before = BlockChecks.countManagedArrays(m);
            for (int i = 0; i < 3; i++) {
                ops.addmm(out, bias, a, b);
                ops.sigmoid(out);
                ops.relu(out);
                ops.mul(out, out);
                ops.copy(out, a.get(":, 0:2"));
            }
            // the one view made above for copy's source per round is the test's own
            assertEquals(before + 3, BlockChecks.countManagedArrays(m));
        }
    }
}
