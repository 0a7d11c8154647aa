package io.gen4j.core.data;

import java.util.Objects;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * A training set and a test set, for data that come without splits (a folder of the user's own
 * images): {@link #holdOut} keeps a seeded random sample aside for evaluation.
 *
 * @param train the training images
 * @param test the held-out images
 */
public record TrainTest(ImageDataset train, ImageDataset test) {

    /** Checks the parts. */
    public TrainTest {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(test, "test");
    }

    /**
     * Holds out {@code max(1, round(fraction * N))} images drawn without replacement by {@link
     * Permutations#sortedSample} with {@code new Random(seed)}; both sets in a seeded random order
     * (see {@link #holdOut(ImageDataset, int, long)}).
     *
     * @param all the images, at least 2
     * @param fraction the share held out, in (0, 1)
     * @param seed the seed of the draw
     * @return both sets
     */
    public static TrainTest holdOut(ImageDataset all, double fraction, long seed) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("held-out fraction must be in (0, 1), got " + fraction);
        }
        if (all.size() < 2) {
            throw new IllegalArgumentException(all.name() + " has " + all.size()
                    + " image; holding out a test set needs at least 2");
        }
        int n = all.size();
        return holdOut(all, (int) Math.max(1, Math.min(n - 1, Math.round(fraction * n))), seed);
    }

    /**
     * Holds out {@code testSize} images drawn without replacement by {@link
     * Permutations#sortedSample} with {@code new Random(seed)}; the rest are the training set. Both
     * sets are then put in a random order drawn from the same generator ({@link
     * Permutations#permutation}), so that a prefix of either (the first 256 images of a report's
     * floor, say) mixes the classes of a folder that was read class by class.
     *
     * @param all the images
     * @param testSize how many to hold out, in [1, N − 1]
     * @param seed the seed of the draw
     * @return both sets
     */
    public static TrainTest holdOut(ImageDataset all, int testSize, long seed) {
        int n = all.size();
        if (testSize < 1 || testSize > n - 1) {
            throw new IllegalArgumentException("held-out size must be in [1, " + (n - 1) + "] for " + all.name()
                    + " of " + n + " images, got " + testSize);
        }
        int k = testSize;
        Random random = new Random(seed);
        int[] test = Permutations.sortedSample(n, k, random);
        boolean[] held = new boolean[n];
        for (int i : test) {
            held[i] = true;
        }
        int[] train = IntStream.range(0, n).filter(i -> !held[i]).toArray();
        // a folder is read class by class: shuffled, every prefix of either set mixes the classes
        return new TrainTest(all.subset(shuffle(train, random)), all.subset(shuffle(test, random)));
    }

    private static int[] shuffle(int[] indices, Random random) {
        int[] p = Permutations.permutation(indices.length, random);
        int[] out = new int[indices.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = indices[p[i]];
        }
        return out;
    }
}
