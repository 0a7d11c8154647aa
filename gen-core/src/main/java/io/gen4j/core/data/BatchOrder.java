package io.gen4j.core.data;

import java.util.Random;

/**
 * The shuffling core shared by every in-memory {@link BatchSource}: which example indices make up
 * the batch at a given stream position.
 *
 * <p>Epoch {@code e} visits the examples in the order of the Fisher–Yates permutation {@link
 * Permutations#permutation(int, Random) Permutations.permutation(N, new Random(seed + e))}; batch
 * {@code p} is slice {@code p mod B} of epoch {@code p / B}, where {@code B} is the number of batches per epoch ({@code floor(N / batch)} with drop-last,
 * {@code ceil(N / batch)} without, the last batch then being smaller). A batch is therefore a pure
 * function of its position: seeking is exact and costs one permutation.
 */
public final class BatchOrder {

    private final int size;
    private final int batchSize;
    private final long seed;
    private final boolean dropLast;
    private final long batchesPerEpoch;

    private long cachedEpoch = -1;
    private int[] cachedPermutation;

    /**
     * Creates the order.
     *
     * @param size the number of examples N, at least 1
     * @param batchSize examples per batch, at least 1 (and at most N with drop-last)
     * @param seed the shuffling seed
     * @param dropLast whether the last, smaller batch of each epoch is skipped
     */
    public BatchOrder(int size, int batchSize, long seed, boolean dropLast) {
        if (size < 1) {
            throw new IllegalArgumentException("dataset size must be >= 1, got " + size);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        if (dropLast && batchSize > size) {
            throw new IllegalArgumentException(
                    "with dropLast, batchSize must be <= dataset size " + size + ", got "
                            + batchSize);
        }
        this.size = size;
        this.batchSize = batchSize;
        this.seed = seed;
        this.dropLast = dropLast;
        this.batchesPerEpoch = dropLast ? size / batchSize : (size + batchSize - 1) / batchSize;
    }

    /** @return the number of examples N */
    public int size() {
        return size;
    }

    /** @return the nominal batch size */
    public int batchSize() {
        return batchSize;
    }

    /** @return the shuffling seed */
    public long seed() {
        return seed;
    }

    /** @return whether the last, smaller batch of each epoch is skipped */
    public boolean dropLast() {
        return dropLast;
    }

    /** @return the number of batches in one epoch */
    public long batchesPerEpoch() {
        return batchesPerEpoch;
    }

    /**
     * @param position a stream position, at least 0
     * @return the epoch the batch at this position belongs to
     */
    public long epochOf(long position) {
        checkPosition(position);
        return position / batchesPerEpoch;
    }

    /**
     * The example indices of the batch served at {@code position}.
     *
     * @param position a stream position, at least 0
     * @return the indices, {@code batchSize} of them except for the last batch of an epoch without
     *     drop-last
     */
    public synchronized int[] indices(long position) {
        checkPosition(position);
        long epoch = position / batchesPerEpoch;
        int slot = (int) (position % batchesPerEpoch);
        int[] permutation = permutation(epoch);
        int from = slot * batchSize;
        int to = Math.min(size, from + batchSize);
        int[] out = new int[to - from];
        System.arraycopy(permutation, from, out, 0, out.length);
        return out;
    }

    private int[] permutation(long epoch) {
        if (epoch != cachedEpoch) {
            cachedPermutation = Permutations.permutation(size, new Random(seed + epoch));
            cachedEpoch = epoch;
        }
        return cachedPermutation;
    }

    private static void checkPosition(long position) {
        if (position < 0) {
            throw new IllegalArgumentException("position must be >= 0, got " + position);
        }
    }
}
