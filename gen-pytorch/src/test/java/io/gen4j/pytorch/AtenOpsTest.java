package io.gen4j.pytorch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.sun.jna.Platform;
import io.gen4j.core.kernels.FusedGroupNorm;
import io.gen4j.core.kernels.Kernels;
import io.gen4j.core.nn.Activation;
import io.gen4j.core.nn.GroupNorm;
import io.gen4j.core.testing.GradientCheck;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SiLU and group normalisation through libtorch's operator entry points ({@link AtenOps}) against their
 * definitions: values computed on the host in double precision, gradients by finite differences in
 * float64 ({@link GradientCheck}) and SiLU's derivative in closed form.
 */
class AtenOpsTest {

    @BeforeEach
    void onlyWhereTheEntryPointsAreUsed() {
        Engine.getInstance();
        assumeTrue(Platform.isLinux() && Platform.ARCH.equals("x86-64"), "entry points are used on Linux x86-64 only");
        assertTrue(AtenOps.get().isPresent(), "on Linux x86-64 with DJL's libtorch the entry points must be found");
        assertTrue(Kernels.forEngine(PtKernels.ENGINE).silu().isPresent());
        assertTrue(Kernels.forEngine(PtKernels.ENGINE).groupNorm().isPresent());
    }

    private static double sigmoid(double a) {
        return a >= 0 ? 1 / (1 + Math.exp(-a)) : Math.exp(a) / (1 + Math.exp(a));
    }

    @Test
    void siluAndItsDerivativeAreTheDefinition() {
        double[] v = {-80, -7.5, -1, -1e-3, 0, 2e-4, 0.5, 3, 12, 90};
        try (NDManager m = NDManager.newBaseManager()) {
            for (DataType type : new DataType[] {DataType.FLOAT32, DataType.FLOAT64}) {
                NDArray x = m.create(v).toType(type, false).reshape(2, 5);
                x.setRequiresGradient(true);
                NDArray y;
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    y = Activation.silu(x);
                    gc.backward(y.sum());
                }
                assertEquals(type, y.getDataType());
                assertEquals(new Shape(2, 5), y.getShape());
                assertEquals(m, y.getManager());
                double[] got = y.toType(DataType.FLOAT64, false).toDoubleArray();
                double[] grad = x.getGradient().toType(DataType.FLOAT64, false).toDoubleArray();
                double tol = type == DataType.FLOAT64 ? 1e-13 : 2e-6;
                for (int i = 0; i < v.length; i++) {
                    double s = sigmoid(v[i]);
                    assertEquals(v[i] * s, got[i], tol * Math.max(1, Math.abs(v[i])), type + " silu(" + v[i] + ")");
                    assertEquals(s * (1 + v[i] * (1 - s)), grad[i], tol, type + " silu'(" + v[i] + ")");
                }
            }
        }
    }

    @Test
    void groupNormIsTheDefinitionWithAndWithoutItsAffine() {
        try (NDManager m = NDManager.newBaseManager()) {
            int n = 3;
            int c = 6;
            int groups = 3;
            int hw = 20;
            NDArray x = m.randomNormal(0f, 2f, new Shape(n, c, 4, 5), DataType.FLOAT64).add(0.7);
            NDArray gamma = m.randomNormal(1f, 0.5f, new Shape(c), DataType.FLOAT64);
            NDArray beta = m.randomNormal(0f, 0.5f, new Shape(c), DataType.FLOAT64);
            double[] xv = x.toDoubleArray();
            double[] gv = gamma.toDoubleArray();
            double[] bv = beta.toDoubleArray();
            for (boolean affine : new boolean[] {true, false}) {
                NDArray y = GroupNorm.groupNorm(x, groups, affine ? gamma : null, affine ? beta : null, 1e-5f);
                double[] got = y.toDoubleArray();
                int per = c / groups * hw;
                for (int e = 0; e < n; e++) {
                    for (int g = 0; g < groups; g++) {
                        int start = (e * groups + g) * per;
                        double mean = 0;
                        for (int i = 0; i < per; i++) {
                            mean += xv[start + i];
                        }
                        mean /= per;
                        double var = 0;
                        for (int i = 0; i < per; i++) {
                            var += (xv[start + i] - mean) * (xv[start + i] - mean);
                        }
                        var /= per;
                        for (int i = 0; i < per; i++) {
                            int channel = g * (c / groups) + i / hw;
                            double want = (xv[start + i] - mean) / Math.sqrt(var + (double) 1e-5f);
                            if (affine) {
                                want = want * gv[channel] + bv[channel];
                            }
                            assertEquals(want, got[start + i], 1e-12, "affine " + affine + " at " + (start + i));
                        }
                    }
                }
            }
        }
    }

    @Test
    void groupNormGradientsMatchFiniteDifferences() {
        Engine.getInstance().setRandomSeed(126);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomNormal(0f, 1.5f, new Shape(2, 4, 3, 3), DataType.FLOAT64);
            NDArray gamma = m.randomNormal(1f, 0.5f, new Shape(4), DataType.FLOAT64);
            NDArray beta = m.randomNormal(0f, 0.5f, new Shape(4), DataType.FLOAT64);
            GradientCheck.Result r = GradientCheck.check(m, unused -> GroupNorm.groupNorm(x, 2, gamma, beta, 1e-5f),
                    List.of(x, gamma, beta), List.of("x", "gamma", "beta"), 12, 5);
            assertTrue(r.worstRelativeError() < 1e-6, r::toString);
            GradientCheck.Result s =
                    GradientCheck.check(m, unused -> Activation.silu(x), List.of(x), List.of("x"), 12, 6);
            assertTrue(s.worstRelativeError() < 1e-6, s::toString);
        }
    }

    @Test
    void groupNormDeclinesParametersItWouldThrowOn() {
        FusedGroupNorm fused = Kernels.forEngine(PtKernels.ENGINE).groupNorm().orElseThrow();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomNormal(new Shape(2, 4, 3));
            // a C++ exception inside the call would end the process: these must not reach it
            assertNull(fused.apply(x, 2, m.ones(new Shape(4), DataType.FLOAT64), null, 1e-5));
            assertNull(fused.apply(x, 2, m.ones(new Shape(3)), null, 1e-5));
            assertNull(fused.apply(x.toType(DataType.INT32, false), 2, null, null, 1e-5));
            assertNull(fused.apply(x.toType(DataType.FLOAT16, false), 2, null, null, 1e-5));
            assertNull(fused.apply(x, 3, null, null, 1e-5)); // 3 groups do not divide 4 channels
            assertNull(fused.apply(x, 0, null, null, 1e-5));
            NDArray y = fused.apply(x, 2, null, m.zeros(new Shape(4)), 1e-5);
            assertEquals(x.getShape(), y.getShape());
        }
    }

    /** Each result is freed when its manager closes: the resident set stays flat over many calls. */
    @Test
    void resultsAreFreedWithTheirManager() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomNormal(new Shape(16, 32, 32, 32)); // 2 MiB
            NDArray gamma = m.ones(new Shape(32));
            NDArray beta = m.zeros(new Shape(32));
            for (int i = 0; i < 50; i++) {
                try (NDManager step = m.newSubManager()) {
                    GroupNorm.groupNorm(x, 8, gamma, beta, 1e-5f).attach(step);
                }
            }
            long before = KernelTestSupport.rssKib();
            for (int i = 0; i < 400; i++) {
                try (NDManager step = m.newSubManager()) {
                    Activation.silu(x).attach(step);
                    GroupNorm.groupNorm(x, 8, gamma, beta, 1e-5f).attach(step);
                }
            }
            long grownMib = (KernelTestSupport.rssKib() - before) / 1024;
            // 800 results of 2 MiB: 1.6 GiB if none were freed
            assertTrue(grownMib < 200, "resident set grew by " + grownMib + " MiB over 800 results of 2 MiB");
        }
    }
}
