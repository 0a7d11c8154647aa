package io.gen4j.pytorch;

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
import io.gen4j.core.kernels.Kernels;
import io.gen4j.core.nn.Conv2d;
import io.gen4j.core.runtime.ConvGuard;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Whether autograd records an array, from libtorch's own flag ({@link PtKernels#requiresGradient}): DJL 0.36's
 * {@code hasGradient()} says false for the result of a recorded operation, which would keep gen-core's strided
 * convolution of such inputs (a discriminator's first layer in the generator's update) on the slow direct form.
 */
class RequiresGradientTest {

    private Kernels kernels;

    @BeforeEach
    void onlyWhereTheEntryPointsAreUsed() {
        Engine.getInstance();
        assumeTrue(Platform.isLinux() && Platform.ARCH.equals("x86-64"), "entry points are used on Linux x86-64 only");
        assertTrue(AtenOps.get().isPresent(), "on Linux x86-64 with DJL's libtorch the entry points must be found");
        kernels = Kernels.forEngine(PtKernels.ENGINE);
        ConvGuard.prepare(); // the canary runs outside any GradientCollector
    }

    @Test
    void recordedResultsNeedAGradientAndDetachedOnesDoNot() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray leaf = m.randomNormal(new Shape(3));
            NDArray plain = m.randomNormal(new Shape(3));
            assertFalse(kernels.requiresGradient(leaf));
            leaf.setRequiresGradient(true);
            assertTrue(kernels.requiresGradient(leaf), "a marked leaf");
            NDArray outside = leaf.mul(2); // no GradientCollector: not recorded
            assertFalse(kernels.requiresGradient(outside), "an operation outside grad mode");
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray y = leaf.mul(plain).tanh().reshape(3, 1);
                assertTrue(kernels.requiresGradient(y), "a recorded result");
                assertFalse(y.hasGradient(), "DJL's flag for a recorded result (if this fails, DJL fixed it)");
                assertFalse(kernels.requiresGradient(plain.mul(2)), "an operation on unmarked arrays");
                assertFalse(kernels.requiresGradient(y.stopGradient()), "a detached result");
                gc.backward(y.sum());
            }
        }
    }

    /**
     * A strided first layer on a recorded input (D on G's output): conv2d's result and input gradient agree
     * with the direct guarded convolution's to rounding, and the input is one conv2d sees as needing a gradient.
     */
    @Test
    void stridedConvolutionOfARecordedInputAgreesWithTheDirectOne() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray z = m.randomNormal(0, 1, new Shape(4, 1, 12, 12), DataType.FLOAT32);
            NDArray w = m.randomNormal(0, 0.2f, new Shape(32, 1, 4, 4), DataType.FLOAT32);
            NDArray g = m.randomNormal(0, 1, new Shape(4, 32, 6, 6), DataType.FLOAT32);
            Shape two = new Shape(2, 2);
            Shape one = new Shape(1, 1);
            NDArray[] out = new NDArray[2];
            NDArray[] grad = new NDArray[2];
            for (int i = 0; i < 2; i++) {
                NDArray leaf = z.duplicate();
                leaf.setRequiresGradient(true);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray x = leaf.tanh();
                    assertTrue(kernels.requiresGradient(x));
                    NDArray y = i == 0 ? Conv2d.conv2d(x, w, null, two, one, one)
                            : ConvGuard.convolution(x, w, null, two, one, one);
                    out[i] = y.duplicate();
                    gc.backward(y.mul(g).sum());
                }
                grad[i] = leaf.getGradient().duplicate();
            }
            assertEquals(out[1].getShape(), out[0].getShape());
            assertTrue(out[0].sub(out[1]).abs().max().getFloat() < 1e-5f);
            assertTrue(grad[0].sub(grad[1]).abs().max().getFloat() < 1e-5f);
        }
    }
}
