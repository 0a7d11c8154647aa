package io.gen4j.core.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/**
 * The phase kernels of a strided transposed convolution as one gather of W's elements: each element against
 * its definition, K[(φ_h, φ_w, o), c, τ_h, τ_w] = W[c, o, φ_h + s(t − 1 − τ_h), φ_w + s(t − 1 − τ_w)], with the
 * phases in reverse order (slot φ′ holds phase s − 1 − φ′) where asked; and the index made once per shape.
 */
class PhaseKernelsTest {

    @Test
    void gatheredKernelsAreTheFlippedTapsOfEachPhase() {
        int[][] cases = {{3, 2, 4, 2}, {2, 3, 6, 3}, {1, 1, 2, 2}, {2, 2, 9, 3}};
        try (NDManager m = NDManager.newBaseManager(ai.djl.Device.cpu())) {
            for (int[] c : cases) {
                int cIn = c[0];
                int cOut = c[1];
                int k = c[2];
                int s = c[3];
                int t = k / s;
                NDArray w = m.randomNormal(0, 1, new Shape(cIn, cOut, k, k), DataType.FLOAT64);
                double[] wv = w.toDoubleArray();
                for (boolean reversed : new boolean[] {false, true}) {
                    NDArray index = PhaseKernels.index(w, s, reversed);
                    assertEquals(DataType.INT64, index.getDataType());
                    double[] got = w.take(m, index).reshape(s * s * cOut, cIn, t, t).toDoubleArray();
                    for (int sh = 0; sh < s; sh++) {
                        for (int sw = 0; sw < s; sw++) {
                            int ph = reversed ? s - 1 - sh : sh;
                            int pw = reversed ? s - 1 - sw : sw;
                            for (int o = 0; o < cOut; o++) {
                                for (int ci = 0; ci < cIn; ci++) {
                                    for (int th = 0; th < t; th++) {
                                        for (int tw = 0; tw < t; tw++) {
                                            int u = ph + s * (t - 1 - th);
                                            int v = pw + s * (t - 1 - tw);
                                            int row = (sh * s + sw) * cOut + o;
                                            double expected = wv[((ci * cOut + o) * k + u) * k + v];
                                            assertEquals(expected, got[((row * cIn + ci) * t + th) * t + tw],
                                                    "case " + java.util.Arrays.toString(c) + " reversed " + reversed);
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void theIndexIsMadeOncePerShapeAndOrder() {
        try (NDManager m = NDManager.newBaseManager(ai.djl.Device.cpu())) {
            NDArray a = m.zeros(new Shape(5, 3, 4, 4));
            NDArray b = m.ones(new Shape(5, 3, 4, 4));
            assertSame(PhaseKernels.index(a, 2, true), PhaseKernels.index(b, 2, true));
            assertNotSame(PhaseKernels.index(a, 2, true), PhaseKernels.index(a, 2, false));
            assertNotSame(PhaseKernels.index(a, 2, false), PhaseKernels.index(m.zeros(new Shape(3, 5, 4, 4)), 2, false));
        }
    }
}
