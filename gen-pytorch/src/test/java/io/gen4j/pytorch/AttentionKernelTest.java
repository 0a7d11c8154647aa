package io.gen4j.pytorch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.sun.jna.Platform;
import io.gen4j.core.kernels.FusedAttention;
import io.gen4j.core.kernels.Kernels;
import io.gen4j.core.nn.Attention;
import io.gen4j.core.testing.GradientCheck;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Attention#scaledDotProduct} on libtorch's {@code scaled_dot_product_attention} ({@link AtenOps})
 * against a float64 host loop of the definition (heads split, padding mask, causal mask), its gradients by
 * finite differences, and the arguments the kernel must decline.
 */
class AttentionKernelTest {

    @BeforeEach
    void onlyWhereTheEntryPointsAreUsed() {
        Engine.getInstance().setRandomSeed(702);
        assumeTrue(Platform.isLinux() && Platform.ARCH.equals("x86-64"), "entry points are used on Linux x86-64 only");
        assertTrue(Kernels.forEngine(PtKernels.ENGINE).attention().isPresent());
    }

    /** softmax(q_h·k_hᵀ/√d + bias)·v_h per example and head, in double precision, with masks as −1e9. */
    private static double[] reference(double[] q, double[] k, double[] v, double[] mask, int n, int lq, int lk,
            int dim, int heads, boolean causal) {
        int d = dim / heads;
        double[] out = new double[n * lq * dim];
        for (int b = 0; b < n; b++) {
            for (int h = 0; h < heads; h++) {
                for (int i = 0; i < lq; i++) {
                    double[] s = new double[lk];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < lk; j++) {
                        double dot = 0;
                        for (int c = 0; c < d; c++) {
                            dot += q[(b * lq + i) * dim + h * d + c] * k[(b * lk + j) * dim + h * d + c];
                        }
                        s[j] = dot / Math.sqrt(d);
                        if (mask != null && mask[b * lk + j] == 0) {
                            s[j] -= 1e9;
                        }
                        if (causal && j > i) {
                            s[j] -= 1e9;
                        }
                        max = Math.max(max, s[j]);
                    }
                    double z = 0;
                    for (int j = 0; j < lk; j++) {
                        s[j] = Math.exp(s[j] - max);
                        z += s[j];
                    }
                    for (int c = 0; c < d; c++) {
                        double acc = 0;
                        for (int j = 0; j < lk; j++) {
                            acc += s[j] / z * v[(b * lk + j) * dim + h * d + c];
                        }
                        out[(b * lq + i) * dim + h * d + c] = acc;
                    }
                }
            }
        }
        return out;
    }

    @Test
    void attentionIsTheDefinitionWithAndWithoutMasks() {
        int n = 2;
        int dim = 8;
        try (NDManager m = NDManager.newBaseManager()) {
            for (DataType type : new DataType[] {DataType.FLOAT32, DataType.FLOAT64}) {
                for (int heads : new int[] {1, 2, 4}) {
                    for (int variant = 0; variant < 4; variant++) {
                        boolean masked = (variant & 1) != 0;
                        boolean causal = (variant & 2) != 0;
                        int lq = causal ? 5 : 3;
                        int lk = 5;
                        NDArray q = m.randomNormal(0f, 1.5f, new Shape(n, lq, dim), DataType.FLOAT64);
                        NDArray k = m.randomNormal(0f, 1.5f, new Shape(n, lk, dim), DataType.FLOAT64);
                        NDArray v = m.randomNormal(0f, 1f, new Shape(n, lk, dim), DataType.FLOAT64);
                        double[] maskValues = {1, 1, 0, 1, 0, 1, 0, 1, 1, 1};
                        NDArray mask = masked ? m.create(maskValues, new Shape(n, lk)) : null;
                        NDArray got = Attention.scaledDotProduct(q.toType(type, false), k.toType(type, false),
                                v.toType(type, false), mask == null ? null : mask.toType(type, false), heads, causal);
                        assertEquals(type, got.getDataType());
                        assertEquals(new Shape(n, lq, dim), got.getShape());
                        double[] expected = reference(q.toDoubleArray(), k.toDoubleArray(), v.toDoubleArray(),
                                masked ? maskValues : null, n, lq, lk, dim, heads, causal);
                        double[] actual = got.toType(DataType.FLOAT64, false).toDoubleArray();
                        double tol = type == DataType.FLOAT64 ? 1e-12 : 2e-6;
                        for (int i = 0; i < expected.length; i++) {
                            assertEquals(expected[i], actual[i], tol * Math.max(1, Math.abs(expected[i])),
                                    type + " heads " + heads + " masked " + masked + " causal " + causal + " [" + i
                                            + "]");
                        }
                    }
                }
            }
        }
    }

    @Test
    void attentionGradientsMatchFiniteDifferences() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray q = m.randomNormal(0f, 1f, new Shape(2, 3, 4), DataType.FLOAT64);
            NDArray k = m.randomNormal(0f, 1f, new Shape(2, 4, 4), DataType.FLOAT64);
            NDArray v = m.randomNormal(0f, 1f, new Shape(2, 4, 4), DataType.FLOAT64);
            NDArray mask = m.create(new double[] {1, 0, 1, 1, 1, 1, 1, 0}, new Shape(2, 4));
            GradientCheck.Result r = GradientCheck.check(m, unused -> Attention.scaledDotProduct(q, k, v, mask, 2),
                    List.of(q, k, v), List.of("q", "k", "v"), 12, 7);
            assertTrue(r.worstRelativeError() < 1e-6, r::toString);
        }
    }

    @Test
    void theKernelDeclinesWhatItWouldThrowOn() {
        FusedAttention fused = Kernels.forEngine(PtKernels.ENGINE).attention().orElseThrow();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray q = m.randomNormal(new Shape(2, 2, 3, 4));
            NDArray k = m.randomNormal(new Shape(2, 2, 5, 4));
            assertNotNull(fused.apply(q, k, k, null));
            assertNotNull(fused.apply(q, k, k, m.zeros(new Shape(2, 1, 1, 5))));
            assertNotNull(fused.apply(q, k, k, m.zeros(new Shape(3, 5))));
            assertNull(fused.apply(q, k, k, m.zeros(new Shape(2, 1, 1, 4))), "bias does not broadcast");
            assertNull(fused.apply(q, k, k, m.zeros(new Shape(2, 1, 1, 5), DataType.FLOAT64)), "bias of another type");
            assertNull(fused.apply(q, k.toType(DataType.FLOAT64, false), k, null), "mixed types");
            assertNull(fused.apply(q.reshape(4, 3, 4), k.reshape(4, 5, 4), k.reshape(4, 5, 4), null), "3-D");
            assertNull(fused.apply(q, m.randomNormal(new Shape(2, 2, 5, 3)), k, null), "widths differ");
            assertNull(fused.apply(q.toType(DataType.FLOAT16, false), k.toType(DataType.FLOAT16, false),
                    k.toType(DataType.FLOAT16, false), null));
        }
    }
}
