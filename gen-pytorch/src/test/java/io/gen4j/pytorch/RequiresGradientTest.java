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

    @Test
    void recordsGradientFollowsGradModeAndTheFlags() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray leaf = m.randomNormal(new Shape(3));
            NDArray plain = m.randomNormal(new Shape(3));
            leaf.setRequiresGradient(true);
            assertEquals(java.util.Optional.of(false), kernels.recordsGradient(leaf, plain), "grad mode is off");
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                assertEquals(java.util.Optional.of(true), kernels.recordsGradient(plain, null, leaf));
                NDArray y = leaf.mul(plain);
                assertEquals(java.util.Optional.of(true), kernels.recordsGradient(y));
                assertEquals(java.util.Optional.of(false), kernels.recordsGradient(plain, y.stopGradient(), null));
                gc.backward(y.sum());
            }
        }
        assertEquals(java.util.Optional.empty(), Kernels.composed().recordsGradient());
    }

    /**
     * Under channel padding, a convolution with out-channels that are not a multiple of 16 keeps them where
     * autograd records nothing (the result is the convolution's own dense array) and pads them where it records
     * the input's gradient (the result is a slice of the padded output); both equal the double-precision
     * definition.
     */
    @Test
    void forwardOnlyConvolutionsKeepTheirOutChannelsUnderPadding() {
        ConvGuard.Status status = ConvGuard.status();
        assumeTrue(status.forwardKeepsOutputChannels(), "only where the guard pads and the raw forward is right: "
                + status.describe());
        io.gen4j.core.kernels.StridedViews views = kernels.stridedViews().orElseThrow();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomNormal(0, 1, new Shape(2, 3, 5, 5), DataType.FLOAT32);
            NDArray w = m.randomNormal(0, 1, new Shape(5, 3, 3, 3), DataType.FLOAT32);
            Shape one = new Shape(1, 1);
            double[] xv = x.toType(DataType.FLOAT64, false).toDoubleArray();
            double[] wv = w.toType(DataType.FLOAT64, false).toDoubleArray();
            double[] expected = new double[2 * 5 * 3 * 3];
            for (int n = 0; n < 2; n++) {
                for (int o = 0; o < 5; o++) {
                    for (int i = 0; i < 3; i++) {
                        for (int j = 0; j < 3; j++) {
                            double sum = 0;
                            for (int c = 0; c < 3; c++) {
                                for (int u = 0; u < 3; u++) {
                                    for (int v = 0; v < 3; v++) {
                                        sum += xv[((n * 3 + c) * 5 + i + u) * 5 + j + v] * wv[((o * 3 + c) * 3 + u) * 3 + v];
                                    }
                                }
                            }
                            expected[((n * 5 + o) * 3 + i) * 3 + j] = sum;
                        }
                    }
                }
            }
            NDArray kept = ConvGuard.convolution(x, w, null, one, new Shape(0, 0), one);
            assertTrue(views.denseStrides(kept) != null, "not recorded: the out-channels are kept");
            NDArray leaf = x.duplicate();
            leaf.setRequiresGradient(true);
            NDArray padded;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                padded = ConvGuard.convolution(leaf, w, null, one, new Shape(0, 0), one);
                gc.backward(padded.sum());
            }
            assertTrue(views.denseStrides(padded) == null, "recorded: a slice of the padded output");
            for (NDArray y : new NDArray[] {kept, padded}) {
                double[] got = toDouble(y.toFloatArray());
                assertEquals(expected.length, got.length);
                for (int i = 0; i < expected.length; i++) {
                    assertEquals(expected[i], got[i], 1e-4 * (1 + Math.abs(expected[i])));
                }
            }
        }
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
