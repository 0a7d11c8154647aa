package io.gen4j.core.data.toy;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.data.BatchSource;
import java.util.Objects;
import java.util.Random;

/**
 * An endless {@link BatchSource} of fresh samples from a {@link Toy2d}: batch {@code p} is {@code
 * batchSize} points drawn from {@code new Random(mix(seed, p))}, float32 (B, 2). Every batch is new
 * data (no epochs, no overfitting to a fixed sample) and a pure function of its position, so {@code
 * seek} is exact. For a fixed training set use {@link io.gen4j.core.data.TensorBatches#ofRows}.
 */
public final class Toy2dBatches implements BatchSource {

    private final Toy2d toy;
    private final int batchSize;
    private final long seed;
    private long position;

    /**
     * Creates the source at position 0.
     *
     * @param toy the distribution
     * @param batchSize points per batch, at least 1
     * @param seed the seed
     */
    public Toy2dBatches(Toy2d toy, int batchSize, long seed) {
        this.toy = Objects.requireNonNull(toy, "toy");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        this.batchSize = batchSize;
        this.seed = seed;
    }

    /**
     * The points of the batch at a position, without NDArrays.
     *
     * @param position a stream position, at least 0
     * @return {@code batchSize} rows {@code {x, y}}
     */
    public double[][] points(long position) {
        if (position < 0) {
            throw new IllegalArgumentException("position must be >= 0, got " + position);
        }
        return toy.sample(batchSize, new Random(mix(seed, position)));
    }

    @Override
    public NDList next(NDManager manager) {
        double[][] p = points(position);
        position++;
        float[] flat = new float[2 * batchSize];
        for (int i = 0; i < batchSize; i++) {
            flat[2 * i] = (float) p[i][0];
            flat[2 * i + 1] = (float) p[i][1];
        }
        return new NDList(manager.create(flat, new Shape(batchSize, 2)));
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public void seek(long position) {
        if (position < 0) {
            throw new IllegalArgumentException("position must be >= 0, got " + position);
        }
        this.position = position;
    }

    /** SplitMix64 finaliser of {@code seed + (position + 1) * golden}: decorrelated per-batch seeds. */
    static long mix(long seed, long position) {
        long z = seed + (position + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
