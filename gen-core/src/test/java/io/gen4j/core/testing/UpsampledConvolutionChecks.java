package io.gen4j.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.gen4j.core.nn.Conv2d;
import java.util.Arrays;
import java.util.Random;

/**
 * {@link Conv2d#conv2dNearestUpsampled} against the definition summed on the host in double precision, for any
 * engine's kernels (gen-core's composed ones, gen-pytorch's strided views). With U the input upsampled ×2 by
 * nearest neighbours, U[n, c, r, z] = x[n, c, ⌊r/2⌋, ⌊z/2⌋] for 0 ≤ r &lt; 2H, 0 ≤ z &lt; 2W and zero
 * elsewhere: y[n, o, i, j] = b[o] + Σ W[o, c, u, v]·U[n, c, s·i − p + u, s·j − p + v], and for the loss Σ g·y
 * ∂x[n, c, h, w] = Σ g[n, o, i, j]·W[o, c, u, v] over the (i, j, u, v) that read an upsampled copy of x[n, c,
 * h, w], ∂W[o, c, u, v] = Σ g[n, o, i, j]·U[n, c, s·i − p + u, s·j − p + v], ∂b[o] = Σ g[n, o, ·, ·].
 */
public final class UpsampledConvolutionChecks {

    private UpsampledConvolutionChecks() {}

    /**
     * One case: the input's size, the channels, the square kernel k, stride s, padding p and the data type.
     *
     * @param h input rows
     * @param w input columns
     * @param cIn input channels
     * @param cOut output channels
     * @param k kernel size
     * @param s stride
     * @param p padding
     * @param float64 float64 arrays (else float32)
     */
    public record Case(int h, int w, int cIn, int cOut, int k, int s, int p, boolean float64) {}

    /**
     * Checks the output and the three gradients of each case (batch 2, Gaussian values from a fixed seed).
     *
     * @param manager where the arrays are made
     * @param tolerance32 the float32 tolerance relative to the largest expected magnitude (float64: 1e-10)
     * @param cases the cases
     * @return the outputs, in the order of the cases (for layout checks)
     */
    public static NDArray[] check(NDManager manager, double tolerance32, Case... cases) {
        Random random = new Random(11);
        NDArray[] outputs = new NDArray[cases.length];
        for (int index = 0; index < cases.length; index++) {
            Case c = cases[index];
            int n = 2;
            int hu = 2 * c.h();
            int wu = 2 * c.w();
            int ho = (hu + 2 * c.p() - c.k()) / c.s() + 1;
            int wo = (wu + 2 * c.p() - c.k()) / c.s() + 1;
            double[] xv = gaussian(random, n * c.cIn() * c.h() * c.w());
            double[] wv = gaussian(random, c.cOut() * c.cIn() * c.k() * c.k());
            double[] bv = gaussian(random, c.cOut());
            double[] gv = gaussian(random, n * c.cOut() * ho * wo);
            double[] ey = new double[gv.length];
            double[] ex = new double[xv.length];
            double[] ew = new double[wv.length];
            double[] eb = new double[c.cOut()];
            for (int e = 0; e < n; e++) {
                for (int o = 0; o < c.cOut(); o++) {
                    for (int i = 0; i < ho; i++) {
                        for (int j = 0; j < wo; j++) {
                            int yi = ((e * c.cOut() + o) * ho + i) * wo + j;
                            ey[yi] = bv[o];
                            eb[o] += gv[yi];
                            for (int ci = 0; ci < c.cIn(); ci++) {
                                for (int u = 0; u < c.k(); u++) {
                                    for (int v = 0; v < c.k(); v++) {
                                        int r = c.s() * i - c.p() + u;
                                        int z = c.s() * j - c.p() + v;
                                        if (r < 0 || r >= hu || z < 0 || z >= wu) {
                                            continue;
                                        }
                                        int xi = ((e * c.cIn() + ci) * c.h() + r / 2) * c.w() + z / 2;
                                        int wi = ((o * c.cIn() + ci) * c.k() + u) * c.k() + v;
                                        ey[yi] += wv[wi] * xv[xi];
                                        ex[xi] += gv[yi] * wv[wi];
                                        ew[wi] += gv[yi] * xv[xi];
                                    }
                                }
                            }
                        }
                    }
                }
            }
            DataType type = c.float64() ? DataType.FLOAT64 : DataType.FLOAT32;
            NDArray x = manager.create(xv).reshape(n, c.cIn(), c.h(), c.w()).toType(type, false);
            NDArray w = manager.create(wv).reshape(c.cOut(), c.cIn(), c.k(), c.k()).toType(type, false);
            NDArray b = manager.create(bv).toType(type, false);
            NDArray g = manager.create(gv).reshape(n, c.cOut(), ho, wo).toType(type, false);
            x.setRequiresGradient(true);
            w.setRequiresGradient(true);
            b.setRequiresGradient(true);
            NDArray y;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                y = Conv2d.conv2dNearestUpsampled(x, w, b, new Shape(c.s(), c.s()), new Shape(c.p(), c.p()),
                        new Shape(1, 1));
                gc.backward(y.mul(g).sum());
            }
            String what = c.toString();
            assertEquals(new Shape(n, c.cOut(), ho, wo), y.getShape(), what);
            double tolerance = c.float64() ? 1e-10 : tolerance32;
            close(ey, y, tolerance, what + " output");
            close(ex, x.getGradient(), tolerance, what + " ∂x");
            close(ew, w.getGradient(), tolerance, what + " ∂W");
            close(eb, b.getGradient(), tolerance, what + " ∂b");
            outputs[index] = y;
        }
        return outputs;
    }

    private static double[] gaussian(Random random, int size) {
        double[] v = new double[size];
        for (int i = 0; i < size; i++) {
            v[i] = random.nextGaussian();
        }
        return v;
    }

    private static void close(double[] expected, NDArray got, double tolerance, String what) {
        double[] g = got.toType(DataType.FLOAT64, false).toDoubleArray();
        assertEquals(expected.length, g.length, what);
        double scale = Arrays.stream(expected).map(Math::abs).max().orElse(0);
        for (int i = 0; i < g.length; i++) {
            assertEquals(expected[i], g[i], tolerance * Math.max(1, scale), what + " at " + i);
        }
    }
}
