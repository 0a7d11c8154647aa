package io.gen4j.eval;

import ai.djl.ndarray.NDManager;
import java.util.Random;

/** Shared helpers of the gen-eval tests. */
final class Managers {

    private Managers() {}

    /** @return a fresh base manager */
    static NDManager create() {
        return NDManager.newBaseManager();
    }

    /**
     * @param n rows
     * @param d columns
     * @param seed seed
     * @return standard normal features
     */
    static Features gaussian(int n, int d, long seed) {
        Random r = new Random(seed);
        double[] data = new double[n * d];
        for (int i = 0; i < data.length; i++) {
            data[i] = r.nextGaussian();
        }
        return new Features(n, d, data);
    }
}
