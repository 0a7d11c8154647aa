package io.gen4j.pytorch;

import io.gen4j.core.kernels.AdamUpdate;
import io.gen4j.core.kernels.Kernels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/** Shared by the tests of this module: PyTorch's Adam in double precision, the resident set, a kernels A/B. */
final class KernelTestSupport {

    private KernelTestSupport() {}

    /** PyTorch's Adam (coupled decay) or AdamW (decoupled) in double precision, element by element. */
    static void adamReference(double[] w, double[] g, double[] m, double[] v, AdamUpdate u) {
        for (int i = 0; i < w.length; i++) {
            double gi = g[i];
            if (u.decoupled()) {
                w[i] *= 1 - u.learningRate() * u.weightDecay();
            } else {
                gi += u.weightDecay() * w[i];
            }
            m[i] = u.beta1() * m[i] + (1 - u.beta1()) * gi;
            v[i] = u.beta2() * v[i] + (1 - u.beta2()) * gi * gi;
            double mHat = m[i] / (1 - Math.pow(u.beta1(), u.step()));
            double vHat = v[i] / (1 - Math.pow(u.beta2(), u.step()));
            w[i] -= u.learningRate() * mHat / (Math.sqrt(vHat) + u.epsilon());
        }
    }

    /** @return this process's resident set in KiB, from /proc/self/status */
    static long rssKib() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS");
    }

    /**
     * @param kernels {@code auto} or {@code composed}, set as {@link Kernels#PROPERTY} while the body runs
     * @param body what to run
     * @return its result
     */
    static <T> T withKernels(String kernels, Supplier<T> body) {
        String previous = System.getProperty(Kernels.PROPERTY);
        System.setProperty(Kernels.PROPERTY, kernels);
        try {
            return body.get();
        } finally {
            if (previous == null) {
                System.clearProperty(Kernels.PROPERTY);
            } else {
                System.setProperty(Kernels.PROPERTY, previous);
            }
        }
    }
}
