package io.gen4j.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The gradient check rejects a wrong backward, accepts tiny gradients, and is the same on every run. */
class GradientCheckTest {

    @Test
    void aGradientMissingHalfItsTermIsCaught() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new double[] {0.7, -1.3, 2.1, 0.4, -0.9, 1.6}, new Shape(2, 3));
            // autograd sees d/dx (x · const) = x, the derivative of x² is 2x: a relative error of 1/2
            GradientCheck.Result r =
                    GradientCheck.check(m, unused -> x.mul(x.stopGradient()), List.of(x), List.of("x"), 6, 3);
            assertEquals(0.5, r.worstRelativeError(), 1e-4, r::toString);
        }
    }

    @Test
    void aSmallGradientNextToLargeOnesIsJudgedOnTheTensorsScale() {
        try (NDManager m = NDManager.newBaseManager()) {
            // x³ / 3 has gradient x²: 1e-8 at the first coordinate, 4 at the last. The difference quotient's
            // rounding error (about 1e-10 here) is 1e-2 of the first gradient: relative to it, the check would fail
            NDArray x = m.create(new double[] {1e-4, 0.3, -1.5, 2}, new Shape(4));
            GradientCheck.Result r = GradientCheck.check(
                    m, unused -> x.pow(3).div(3), List.of(x), List.of("x"), 4, 5);
            assertTrue(r.worstRelativeError() < 1e-6, r::toString);
            assertEquals(4, r.checked());
        }
    }

    @Test
    void theSameSeedGivesTheSameResultWhateverTheEnginesGenerator() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new double[] {0.3, -0.8, 1.1, 2.5, -1.7}, new Shape(5));
            Engine.getInstance().setRandomSeed(1);
            GradientCheck.Result a =
                    GradientCheck.check(m, unused -> x.mul(x.stopGradient()), List.of(x), List.of("x"), 3, 8);
            Engine.getInstance().setRandomSeed(2);
            m.randomNormal(new Shape(7), DataType.FLOAT64).close();
            GradientCheck.Result b =
                    GradientCheck.check(m, unused -> x.mul(x.stopGradient()), List.of(x), List.of("x"), 3, 8);
            assertEquals(a, b);
        }
    }
}
