package io.gen4j.gans;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Spectral norm's power iteration converges to the largest singular value (computed independently,
 * by Jacobi rotations on W^T W), its layer then has spectral norm 1, and inference leaves u alone.
 */
class SpectralNormTest {

    @BeforeEach
    void seeded() {
        Engine.getInstance().setRandomSeed(563);
    }

    /** The largest singular value of a (rows × cols) matrix: sqrt of the largest eigenvalue of W^T W (Jacobi). */
    static double largestSingularValue(double[][] w) {
        int n = w[0].length;
        double[][] a = new double[n][n];
        for (double[] row : w) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    a[i][j] += row[i] * row[j];
                }
            }
        }
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    off += a[p][q] * a[p][q];
                    if (Math.abs(a[p][q]) < 1e-300) {
                        continue;
                    }
                    double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(t * t + 1);
                    double s = t * c;
                    for (int k = 0; k < n; k++) {
                        double akp = a[k][p];
                        double akq = a[k][q];
                        a[k][p] = c * akp - s * akq;
                        a[k][q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < n; k++) {
                        double apk = a[p][k];
                        double aqk = a[q][k];
                        a[p][k] = c * apk - s * aqk;
                        a[q][k] = s * apk + c * aqk;
                    }
                }
            }
            if (off < 1e-28) {
                break;
            }
        }
        double max = 0;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, a[i][i]);
        }
        return Math.sqrt(max);
    }

    private static NDArray parameter(SpectralNorm sn, String suffix) {
        for (Pair<String, Parameter> p : sn.getParameters()) {
            if (p.getKey().endsWith(suffix) || ("_" + p.getKey()).endsWith(suffix)) {
                return p.getValue().getArray();
            }
        }
        throw new IllegalStateException(suffix);
    }

    @Property(tries = 25, seed = "20261201")
    void powerIterationConvergesToTheLargestSingularValue(@ForAll @IntRange(min = 1, max = 9) int rows,
            @ForAll @IntRange(min = 1, max = 9) int cols, @ForAll @IntRange(min = 0, max = 1_000_000) int seed) {
        Random random = new Random(seed);
        double[][] w = new double[rows][cols];
        double[] flat = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                w[i][j] = random.nextGaussian();
                flat[i * cols + j] = w[i][j];
            }
        }
        // separate the top two singular values a little, so that 200 steps converge far below the tolerance
        for (int j = 0; j < cols; j++) {
            flat[j] *= 3;
            w[0][j] *= 3;
        }
        double truth = largestSingularValue(w);
        try (NDManager m = NDManager.newBaseManager()) {
            SpectralNorm sn = new SpectralNorm(new DenseMap(rows, true));
            sn.initialize(m, DataType.FLOAT64, new Shape(2, cols));
            m.create(flat, new Shape(rows, cols)).copyTo(parameter(sn, "weight"));
            ParameterStore ps = new ParameterStore(m, false);
            NDArray x = m.randomNormal(0, 1, new Shape(2, cols), DataType.FLOAT64);
            for (int k = 0; k < 200; k++) {
                try (NDManager step = m.newSubManager()) {
                    NDArray local = x.duplicate();
                    local.attach(step);
                    sn.forward(ps, new NDList(local), true);
                }
            }
            double estimate = sn.sigma(ps, x, false).getDouble();
            assertEquals(truth, estimate, 1e-6 * truth, rows + "x" + cols + " seed " + seed);
            // the normalised weight has spectral norm 1
            double[] normalised = sn.weight(ps, x, false).toDoubleArray();
            double[][] wn = new double[rows][cols];
            for (int i = 0; i < rows; i++) {
                System.arraycopy(normalised, i * cols, wn[i], 0, cols);
            }
            assertEquals(1, largestSingularValue(wn), 1e-6);
        }
    }

    @Test
    void inferenceLeavesUAloneAndIsDeterministic() {
        try (NDManager m = NDManager.newBaseManager()) {
            SpectralNorm sn = new SpectralNorm(new ConvMap(4, 3, 1, 1));
            sn.initialize(m, DataType.FLOAT32, new Shape(2, 3, 5, 5));
            ParameterStore ps = new ParameterStore(m, false);
            NDArray x = m.randomNormal(new Shape(2, 3, 5, 5));
            float[] u0 = parameter(sn, "_u").toFloatArray();
            float[] y1 = sn.forward(ps, new NDList(x), false).head().toFloatArray();
            float[] y2 = sn.forward(ps, new NDList(x), false).head().toFloatArray();
            assertArrayEquals(u0, parameter(sn, "_u").toFloatArray(), 0f, "inference changed u");
            assertArrayEquals(y1, y2, 0f);
            sn.forward(ps, new NDList(x), true);
            float[] u1 = parameter(sn, "_u").toFloatArray();
            double moved = 0;
            for (int i = 0; i < u0.length; i++) {
                moved += Math.abs(u1[i] - u0[i]);
            }
            org.junit.jupiter.api.Assertions.assertTrue(moved > 1e-3, "a training forward must refine u");
        }
    }
}
