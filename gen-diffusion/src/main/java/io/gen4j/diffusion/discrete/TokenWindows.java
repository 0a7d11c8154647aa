package io.gen4j.diffusion.discrete;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.data.BatchSource;
import java.util.SplittableRandom;

/**
 * Training batches of random windows of a token stream: batch b is {@code batchSize} windows of L
 * consecutive tokens whose starts are drawn uniformly by a generator seeded from (seed, b), so the
 * stream is a pure function of its position and {@link #seek} is exact (resumable training).
 */
public final class TokenWindows implements BatchSource {

    private final int[] tokens;
    private final int length;
    private final int batchSize;
    private final long seed;
    private long position;

    /**
     * @param tokens the stream (e.g. {@link TextCorpus#tokens()}), at least L long
     * @param length L
     * @param batchSize windows per batch
     * @param seed the seed
     */
    public TokenWindows(int[] tokens, int length, int batchSize, long seed) {
        if (length < 1 || batchSize < 1 || tokens.length < length) {
            throw new IllegalArgumentException("need length, batchSize >= 1 and at least length tokens, got length "
                    + length + ", batchSize " + batchSize + ", " + tokens.length + " tokens");
        }
        this.tokens = tokens.clone();
        this.length = length;
        this.batchSize = batchSize;
        this.seed = seed;
    }

    @Override
    public NDList next(NDManager manager) {
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + position);
        position++;
        long[] out = new long[batchSize * length];
        int starts = tokens.length - length + 1;
        for (int b = 0; b < batchSize; b++) {
            int s = random.nextInt(starts);
            for (int i = 0; i < length; i++) {
                out[b * length + i] = tokens[s + i];
            }
        }
        return new NDList(manager.create(out, new Shape(batchSize, length)));
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public void seek(long newPosition) {
        if (newPosition < 0) {
            throw new IllegalArgumentException("position must be >= 0, got " + newPosition);
        }
        this.position = newPosition;
    }
}
