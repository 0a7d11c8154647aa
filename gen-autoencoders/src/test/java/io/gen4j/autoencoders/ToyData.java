package io.gen4j.autoencoders;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;

/** Tiny seeded data sets for tests: 1×8×8 "bars" images with a class label. */
final class ToyData {

    private ToyData() {}

    /** Labels: 0 = one horizontal bar, 1 = one vertical bar, 2 = both. */
    static final int CLASSES = 3;

    static final Shape IMAGE = new Shape(1, 8, 8);

    /**
     * @param manager the manager
     * @param n number of images
     * @param seed seed
     * @return images (n, 1, 8, 8) in {0, 1} and labels (n) int64
     */
    static NDArray[] bars(NDManager manager, int n, long seed) {
        Random rng = new Random(seed);
        float[] data = new float[n * 64];
        long[] labels = new long[n];
        for (int i = 0; i < n; i++) {
            int kind = rng.nextInt(CLASSES);
            labels[i] = kind;
            int row = rng.nextInt(8);
            int col = rng.nextInt(8);
            for (int r = 0; r < 8; r++) {
                for (int c = 0; c < 8; c++) {
                    boolean on = (kind != 1 && r == row) || (kind != 0 && c == col);
                    data[i * 64 + r * 8 + c] = on ? 1f : 0f;
                }
            }
        }
        return new NDArray[] {manager.create(data, new Shape(n, 1, 8, 8)), manager.create(labels)};
    }
}
