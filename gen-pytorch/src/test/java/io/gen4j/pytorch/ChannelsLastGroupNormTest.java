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
import io.gen4j.core.nn.GroupNorm;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ChannelsLastGroupNorm}: which arrays it takes, its values against the definition summed on the host in
 * double precision, and its gradients against libtorch's own group norm kernel on the row-major copy.
 */
class ChannelsLastGroupNormTest {

    @BeforeEach
    void setUp() {
        Engine.getInstance().setRandomSeed(11);
        assumeTrue(Platform.isLinux() && Platform.ARCH.equals("x86-64"), "entry points are used on Linux x86-64 only");
        assumeTrue(AtenOps.get().isPresent(), "libtorch's entry points are reachable");
    }

    /** (N, H, W, C) in memory, (N, C, H, W) as a shape: a copy. */
    private static NDArray channelsLast(NDArray x) {
        Shape s = x.getShape();
        return x.transpose(0, 2, 3, 1).reshape(s.get(0), s.get(2), s.get(3) * s.get(1))
                .reshape(s.get(0), s.get(2), s.get(3), s.get(1)).transpose(0, 3, 1, 2);
    }

    @Test
    void takesChannelsLastFloat32ArraysOfFewPositionsAndGroupSizesNotAMultipleOfEight() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray slow = m.randomNormal(new Shape(2, 96, 16, 16));
            assertTrue(ChannelsLastGroupNorm.takes(channelsLast(slow), 8), "12 channels per group, 16 x 16");
            assertTrue(ChannelsLastGroupNorm.takes(channelsLast(m.randomNormal(new Shape(2, 128, 8, 8))), 32));
            assertFalse(ChannelsLastGroupNorm.takes(slow, 8), "row-major");
            assertFalse(ChannelsLastGroupNorm.takes(channelsLast(m.randomNormal(new Shape(2, 64, 16, 16))), 8),
                    "8 channels per group");
            assertFalse(ChannelsLastGroupNorm.takes(channelsLast(m.randomNormal(new Shape(2, 96, 32, 32))), 8),
                    "1024 positions");
            assertFalse(ChannelsLastGroupNorm.takes(channelsLast(slow.toType(DataType.FLOAT64, false)), 8),
                    "float64");
            assertFalse(ChannelsLastGroupNorm.takes(channelsLast(slow), 7), "groups not dividing C");
        }
    }

    /**
     * Through {@link GroupNorm#groupNorm} (which the kernels route here), with and without the affine, for group
     * sizes 12, 4, 3 and 1 and uneven positions; the result is stored channels-last.
     */
    @Test
    void equalsTheDefinitionInDoublePrecision() {
        int[][] cases = {{2, 96, 16, 16, 8}, {3, 128, 8, 8, 32}, {2, 24, 5, 7, 8}, {2, 12, 4, 3, 12}};
        try (NDManager m = NDManager.newBaseManager()) {
            for (int[] k : cases) {
                for (boolean affine : new boolean[] {true, false}) {
                    int c = k[1];
                    int groups = k[4];
                    // a mean far from zero against the spread, as activations after a convolution can have
                    NDArray x = channelsLast(m.randomNormal(new Shape(k[0], c, k[2], k[3])).mul(1.5f).add(3f));
                    assertTrue(ChannelsLastGroupNorm.takes(x, groups));
                    NDArray gamma = affine ? m.randomNormal(new Shape(c)) : null;
                    NDArray beta = affine ? m.randomNormal(new Shape(c)) : null;
                    NDArray y = GroupNorm.groupNorm(x, groups, gamma, beta, 1e-5f);
                    assertArrayEquals(new long[] {(long) k[2] * k[3] * c, 1, (long) k[3] * c, c},
                            AtenOps.denseStrides(y));
                    double[] expected = definition(x.toFloatArray(), k, gamma == null ? null : gamma.toFloatArray(),
                            beta == null ? null : beta.toFloatArray(), 1e-5);
                    float[] actual = y.toFloatArray();
                    for (int i = 0; i < expected.length; i++) {
                        assertEquals(expected[i], actual[i], 2e-5 * (1 + Math.abs(expected[i])),
                                java.util.Arrays.toString(k) + " affine " + affine + ", element " + i);
                    }
                }
            }
        }
    }

    /** Everything it makes lands in the data's manager, none in the parameters' (a model's, in a network). */
    @Test
    void makesNothingInTheParametersManager() {
        try (NDManager m = NDManager.newBaseManager(); NDManager parameters = NDManager.newBaseManager()) {
            NDArray gamma = parameters.randomNormal(new Shape(96));
            NDArray beta = parameters.randomNormal(new Shape(96));
            int before = parameters.getManagedArrays().size();
            try (NDManager step = m.newSubManager()) {
                NDArray x = channelsLast(step.randomNormal(new Shape(2, 96, 4, 4)));
                ChannelsLastGroupNorm.apply(x, 8, gamma, beta, 1e-5);
                ChannelsLastGroupNorm.apply(x, 8, null, null, 1e-5);
            }
            assertEquals(before, parameters.getManagedArrays().size());
        }
    }

    /** y = (x − μ)/√(σ² + ε)·γ + β per (example, group), from (N, C, H, W) values, in double precision. */
    private static double[] definition(float[] x, int[] k, float[] gamma, float[] beta, double eps) {
        int n = k[0];
        int c = k[1];
        int hw = k[2] * k[3];
        int d = c / k[4];
        double[] y = new double[x.length];
        for (int e = 0; e < n; e++) {
            for (int g = 0; g < k[4]; g++) {
                int from = (e * c + g * d) * hw;
                int to = from + d * hw;
                double mean = 0;
                for (int i = from; i < to; i++) {
                    mean += x[i];
                }
                mean /= d * hw;
                double var = 0;
                for (int i = from; i < to; i++) {
                    var += (x[i] - mean) * (x[i] - mean);
                }
                var /= d * hw;
                for (int i = from; i < to; i++) {
                    int ch = (i / hw) % c;
                    double v = (x[i] - mean) / Math.sqrt(var + eps);
                    y[i] = gamma == null ? v : v * gamma[ch] + beta[ch];
                }
            }
        }
        return y;
    }

    /** ∂x, ∂γ and ∂β of a weighted sum of the output, against libtorch's group norm of the row-major copy. */
    @Test
    void gradientsEqualLibtorchsKernelOnTheRowMajorCopy() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x0 = m.randomNormal(new Shape(2, 96, 6, 5)).mul(2f).add(1f);
            NDArray weights = m.randomNormal(x0.getShape());
            float[][] composed = gradients(m, channelsLast(x0), weights, true);
            float[][] kernel = gradients(m, x0, weights, false);
            for (int a = 0; a < composed.length; a++) {
                for (int i = 0; i < kernel[a].length; i++) {
                    assertEquals(kernel[a][i], composed[a][i], 1e-4f * (1 + Math.abs(kernel[a][i])),
                            "array " + a + ", element " + i);
                }
            }
        }
    }

    private static float[][] gradients(NDManager m, NDArray input, NDArray weights, boolean channelsLast) {
        NDArray x = input.duplicate();
        NDArray gamma = m.linspace(0.5f, 1.5f, 96);
        NDArray beta = m.linspace(-1f, 1f, 96);
        for (NDArray a : new NDArray[] {x, gamma, beta}) {
            a.setRequiresGradient(true);
        }
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray xi = channelsLast ? channelsLast(x) : x;
            assertEquals(channelsLast, ChannelsLastGroupNorm.takes(xi, 8));
            NDArray y = channelsLast ? ChannelsLastGroupNorm.apply(xi, 8, gamma, beta, 1e-5)
                    : AtenOps.get().orElseThrow().groupNorm(xi, 8, gamma, beta, 1e-5);
            gc.backward(y.mul(weights).sum());
        }
        return new float[][] {x.getGradient().toFloatArray(), gamma.getGradient().toFloatArray(),
            beta.getGradient().toFloatArray()};
    }
}
