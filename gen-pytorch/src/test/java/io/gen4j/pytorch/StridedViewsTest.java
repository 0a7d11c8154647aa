package io.gen4j.pytorch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import io.gen4j.core.kernels.StridedViews;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * libtorch's {@code as_strided} through {@link AtenOps}: the layouts it calls dense, the elements a view reads
 * (arrays whose every element holds its own memory offset, so the expected values are the offsets Σ i·stride),
 * the gradient it adds back (computed on the host from the same offsets), and the arguments it refuses.
 */
class StridedViewsTest {

    private StridedViews views;

    @BeforeEach
    void onlyWhereTheEntryPointsAreUsed() {
        Engine.getInstance();
        assumeTrue(Platform.isLinux() && Platform.ARCH.equals("x86-64"), "entry points are used on Linux x86-64 only");
        assertTrue(AtenOps.get().isPresent(), "on Linux x86-64 with DJL's libtorch the entry points must be found");
        views = Kernels.forEngine(PtKernels.ENGINE).stridedViews().orElseThrow();
    }

    /** (n, c, h, w) whose memory holds 0, 1, 2, …: row-major, or channels-last ((n, h, w, c) in memory). */
    private static NDArray offsets(NDManager m, boolean channelsLast, DataType type) {
        double[] v = new double[2 * 3 * 4 * 5];
        for (int i = 0; i < v.length; i++) {
            v[i] = i;
        }
        NDArray a = m.create(v).toType(type, false);
        return channelsLast ? a.reshape(2, 4, 5, 3).transpose(0, 3, 1, 2) : a.reshape(2, 3, 4, 5);
    }

    @Test
    void denseStridesAreThoseOfTheRowMajorAndChannelsLastLayoutsOnly() {
        try (NDManager m = NDManager.newBaseManager()) {
            assertArrayEquals(new long[] {60, 20, 5, 1}, views.denseStrides(offsets(m, false, DataType.FLOAT32)));
            assertArrayEquals(new long[] {60, 1, 15, 3}, views.denseStrides(offsets(m, true, DataType.FLOAT32)));
            assertArrayEquals(new long[] {1}, views.denseStrides(m.ones(new Shape(7))));
            NDArray x = offsets(m, false, DataType.FLOAT64);
            assertNull(views.denseStrides(x.transpose(0, 1, 3, 2)), "a transposed view");
            assertNull(views.denseStrides(x.get(":, 1:")), "a slice of the channels");
            assertNull(views.denseStrides(offsets(m, true, DataType.FLOAT32).get(":, :2")), "a channels-last slice");
            assertArrayEquals(new long[] {20, 5, 1}, views.denseStrides(x.get("1")), "a whole example is dense");
        }
    }

    @Test
    void aViewReadsTheElementsAtItsOffsetsFromTheFirstAndItsGradientAddsBackThere() {
        // the view of interleaveByView's kind: one step of the middle axis moves a row and a channel block
        long[] size = {2, 3, 2, 4};
        long[] stride = {60, 5, 21, 1};
        double[] weights = new double[2 * 3 * 2 * 4];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = 0.5 + 0.25 * i;
        }
        try (NDManager m = NDManager.newBaseManager()) {
            for (boolean channelsLast : new boolean[] {false, true}) {
                for (DataType type : new DataType[] {DataType.FLOAT32, DataType.FLOAT64}) {
                    NDArray x = offsets(m, channelsLast, type);
                    x.setRequiresGradient(true);
                    NDArray v;
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        v = views.view(x, size, stride);
                        gc.backward(v.mul(m.create(weights).toType(type, false).reshape(size)).sum());
                    }
                    assertEquals(new Shape(size), v.getShape());
                    assertEquals(m, v.getManager());
                    double[] got = v.toType(DataType.FLOAT64, false).toDoubleArray();
                    double[] expectedGrad = new double[120];
                    int i = 0;
                    for (long a = 0; a < size[0]; a++) {
                        for (long b = 0; b < size[1]; b++) {
                            for (long c = 0; c < size[2]; c++) {
                                for (long d = 0; d < size[3]; d++) {
                                    long offset = a * stride[0] + b * stride[1] + c * stride[2] + d * stride[3];
                                    assertEquals(offset, got[i], 0.0, "element " + i);
                                    expectedGrad[(int) offset] += weights[i];
                                    i++;
                                }
                            }
                        }
                    }
                    // the gradient in memory order: x's own layout
                    NDArray g = x.getGradient();
                    double[] grad = (channelsLast ? g.transpose(0, 2, 3, 1) : g).toType(DataType.FLOAT64, false)
                            .toDoubleArray();
                    assertArrayEquals(expectedGrad, grad, 1e-6, "channels-last " + channelsLast + ", " + type);
                }
            }
        }
    }

    @Test
    void overlappingReadsSumTheirGradients() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new double[] {1, 2, 3, 4, 5});
            x.setRequiresGradient(true);
            NDArray v;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                // windows of 3 with step 1: (1 2 3) (2 3 4) (3 4 5)
                v = views.view(x, new long[] {3, 3}, new long[] {1, 1});
                gc.backward(v.sum());
            }
            assertArrayEquals(new double[] {1, 2, 3, 2, 3, 4, 3, 4, 5}, v.toDoubleArray(), 0.0);
            assertArrayEquals(new double[] {1, 2, 3, 2, 1}, x.getGradient().toDoubleArray(), 0.0);
        }
    }

    @Test
    void viewsOutsideTheArrayOrOfNonDenseArraysAreRefused() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.zeros(new Shape(4, 5));
            assertThrows(IllegalArgumentException.class, () -> views.view(x, new long[] {4, 6}, new long[] {5, 1}),
                    "reads element 20 of 20");
            assertThrows(IllegalArgumentException.class, () -> views.view(x, new long[] {2, 2}, new long[] {-1, 1}));
            assertThrows(IllegalArgumentException.class, () -> views.view(x, new long[] {0, 2}, new long[] {1, 1}));
            assertThrows(IllegalArgumentException.class, () -> views.view(x, new long[] {2}, new long[] {1, 1}));
            assertThrows(IllegalArgumentException.class,
                    () -> views.view(x, new long[AtenOps.MAX_VIEW_AXES + 1], new long[AtenOps.MAX_VIEW_AXES + 1]));
            assertThrows(IllegalArgumentException.class,
                    () -> views.view(x.transpose(), new long[] {2}, new long[] {1}), "not dense");
            NDArray ints = m.zeros(new Shape(4, 5), DataType.INT32);
            assertFalse(views.takes(ints), "integer arrays are not among the types the self-check covers");
            assertTrue(views.takes(x) && views.takes(x.toType(DataType.FLOAT64, false)));
            assertNull(views.denseStrides(ints));
            assertThrows(IllegalArgumentException.class, () -> views.view(ints, new long[] {2}, new long[] {1}));
            assertEquals(19.0, views.view(m.arange(20f).reshape(4, 5), new long[] {2, 2}, new long[] {10, 9})
                    .toFloatArray()[3], 0.0, "the last element is inside");
        }
    }
}
