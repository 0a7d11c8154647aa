package io.gen4j.examples.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import java.util.function.BinaryOperator;

/**
 * What {@code doctor} says about the engine's matrix products: whether Intel MKL may take its Intel code
 * paths on this AMD CPU ({@code scripts/mkl-amd}'s library preloaded, as {@code ./gen4j} does), and a check of
 * float32 products of a few shapes against a float64 loop of the definition. {@code bench} prints the first
 * too, so that its figures say which path they were measured on.
 */
public final class MatmulCheck {

    /** The shapes (m, k, n) checked: odd sizes, a vector, and the VAE's largest product. */
    private static final int[][] SHAPES = {{1, 16, 4}, {37, 61, 53}, {128, 784, 256}, {256, 64, 4}, {5, 300, 7}};

    /** A float32 product whose error against float64 exceeds this relative (Frobenius) bound is wrong. */
    static final double TOLERANCE = 1e-5;

    private MatmulCheck() {}

    /** The result: whether every product was within the bound, and a one-line summary. */
    record Report(boolean passed, String summary) {}

    /**
     * @param manager scratch arrays
     * @param product the product under test, {@code (a, b) -> a·b} for (m, k) and (k, n) arrays
     * @return the worst relative error over {@link #SHAPES}
     */
    static Report run(NDManager manager, BinaryOperator<NDArray> product) {
        Random random = new Random(11);
        double worst = 0;
        int correct = 0;
        for (int[] s : SHAPES) {
            int m = s[0];
            int k = s[1];
            int n = s[2];
            float[] a = new float[m * k];
            float[] b = new float[k * n];
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) random.nextGaussian();
            }
            for (int i = 0; i < b.length; i++) {
                b[i] = (float) random.nextGaussian();
            }
            float[] c;
            try (NDManager scope = manager.newSubManager()) {
                c = product.apply(scope.create(a, new Shape(m, k)), scope.create(b, new Shape(k, n))).toFloatArray();
            }
            double diff = 0;
            double norm = 0;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double exact = 0;
                    for (int l = 0; l < k; l++) {
                        exact += (double) a[i * k + l] * b[l * n + j];
                    }
                    diff += (c[i * n + j] - exact) * (c[i * n + j] - exact);
                    norm += exact * exact;
                }
            }
            double error = Math.sqrt(diff / norm);
            worst = Math.max(worst, error);
            if (error <= TOLERANCE) {
                correct++;
            }
        }
        return new Report(correct == SHAPES.length, String.format(Locale.ROOT,
                "%d/%d float32 products within %.0e of float64, worst relative error %.2e", correct, SHAPES.length,
                TOLERANCE, worst));
    }

    /** @return how MKL runs here: the Intel code paths forced on an AMD CPU, or why not */
    public static String mklPath() {
        boolean amd;
        try {
            amd = Files.readString(Path.of("/proc/cpuinfo")).contains("AuthenticAMD");
        } catch (IOException | RuntimeException e) {
            return "unknown (no /proc/cpuinfo)";
        }
        if (!amd) {
            return "the CPU's own (not an AMD CPU)";
        }
        boolean preloaded;
        try {
            preloaded = Files.readString(Path.of("/proc/self/maps")).contains("libgen4j-mkl-amd");
        } catch (IOException | RuntimeException e) {
            preloaded = false;
        }
        return preloaded
                ? "Intel code paths on this AMD CPU (libgen4j-mkl-amd preloaded)"
                : "generic kernels on this AMD CPU: matrix products up to 2x slower; ./gen4j preloads"
                        + " scripts/mkl-amd's library when a C compiler is present (docs/performance.md)";
    }
}
