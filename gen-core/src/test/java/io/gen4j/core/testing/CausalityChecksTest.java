package io.gen4j.core.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The causality kit accepts causal functions, rejects the others, and reports what they see. */
class CausalityChecksTest {

    @BeforeEach
    void seeded() {
        Engine.getInstance().setRandomSeed(3);
    }

    private static final int[] STEPS = {0, 1, 2, 3, 4};

    /** y_t = Σ_{s<t} x_s² : causal, and y_t depends on every earlier step. */
    private static NDArray pastSquares(NDArray x) {
        NDArray c = x.square().cumSum(1);
        return c.sub(x.square());
    }

    @Test
    void causalFunctionPassesAndItsDependenciesAreReported() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomUniform(0.5f, 1.5f, new Shape(1, 5), DataType.FLOAT64);
            CausalityChecks.Dependencies d = CausalityChecks.assertCausalByGradient(
                    CausalityChecksTest::pastSquares, x, STEPS, STEPS);
            for (int k = 0; k < 5; k++) {
                assertTrue(d.countOf(k) == k, "step " + k + " sees " + d.countOf(k));
            }
            CausalityChecks.assertCausalByPerturbation(CausalityChecksTest::pastSquares, x, x.add(1), STEPS, STEPS,
                    1e-12);
        }
    }

    @Test
    void functionThatSeesItsOwnStepFails() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomUniform(0.5f, 1.5f, new Shape(1, 5), DataType.FLOAT64);
            assertThrows(AssertionError.class,
                    () -> CausalityChecks.assertCausalByGradient(a -> a.square().cumSum(1), x, STEPS, STEPS));
            assertThrows(AssertionError.class, () -> CausalityChecks.assertCausalByPerturbation(
                    a -> a.square().cumSum(1), x, x.add(1), STEPS, STEPS, 0));
        }
    }

    @Test
    void functionThatSeesOnlyTheFutureOfOneStepFails() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomUniform(0.5f, 1.5f, new Shape(1, 5), DataType.FLOAT64);
            // y_1 reads x_3: a single leak.
            java.util.function.UnaryOperator<NDArray> leak = a -> {
                NDArray y = pastSquares(a);
                NDArray extra = a.get(new NDIndex(":, 3:4")).mul(a.getManager()
                        .create(new double[] {0, 1, 0, 0, 0}).reshape(1, 5));
                return y.add(extra);
            };
            AssertionError e = assertThrows(AssertionError.class,
                    () -> CausalityChecks.assertCausalByGradient(leak, x, STEPS, STEPS));
            assertTrue(e.getMessage().contains("step 1"), e.getMessage());
            assertFalse(e.getMessage().isEmpty());
        }
    }
}
