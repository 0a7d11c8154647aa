package io.gen4j.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class ShuffledBatchesTest {

    private static ImageDataset dataset(int n) {
        byte[] p = new byte[n * 4];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            Arrays.fill(p, i * 4, i * 4 + 4, (byte) i);
            labels[i] = i % 3;
        }
        return new ImageDataset("d", 1, 2, 2, p, labels, List.of("a", "b", "c"));
    }

    @Property(tries = 60, seed = "20261128")
    void everyEpochIsAPermutation(
            @ForAll @IntRange(min = 1, max = 40) int n,
            @ForAll @IntRange(min = 1, max = 12) int batch,
            @ForAll @LongRange(min = -5, max = 5) long seed) {
        BatchOrder order = new BatchOrder(n, batch, seed, false);
        for (long epoch = 0; epoch < 3; epoch++) {
            int[] seen = new int[n];
            long start = epoch * order.batchesPerEpoch();
            for (long p = start; p < start + order.batchesPerEpoch(); p++) {
                int[] idx = order.indices(p);
                assertEquals(p < start + order.batchesPerEpoch() - 1 ? batch : n - (order.batchesPerEpoch() - 1) * batch,
                        idx.length);
                for (int i : idx) {
                    seen[i]++;
                }
                assertEquals(epoch, order.epochOf(p));
            }
            for (int s : seen) {
                assertEquals(1, s);
            }
        }
    }

    @Property(tries = 60, seed = "20261128")
    void seekThenNextEqualsFreshStream(
            @ForAll @IntRange(min = 1, max = 30) int n,
            @ForAll @IntRange(min = 1, max = 8) int batch,
            @ForAll boolean dropLast,
            @ForAll @IntRange(min = 0, max = 40) int position,
            @ForAll @LongRange(min = 0, max = 1000) long seed) {
        if (dropLast && batch > n) {
            return;
        }
        BatchOrder fresh = new BatchOrder(n, batch, seed, dropLast);
        int[] expected = null;
        for (int p = 0; p <= position; p++) {
            expected = fresh.indices(p);
        }
        BatchOrder other = new BatchOrder(n, batch, seed, dropLast);
        other.indices(position + 17); // a different epoch is cached first
        assertArrayEquals(expected, other.indices(position));
    }

    @Test
    void dropLastSkipsPartialBatch() {
        BatchOrder keep = new BatchOrder(10, 4, 1, false);
        BatchOrder drop = new BatchOrder(10, 4, 1, true);
        assertEquals(3, keep.batchesPerEpoch());
        assertEquals(2, drop.batchesPerEpoch());
        assertEquals(2, keep.indices(2).length);
        assertEquals(4, drop.indices(2).length);
        assertEquals(1, drop.epochOf(2));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new BatchOrder(3, 4, 0, true));
        assertEquals("with dropLast, batchSize must be <= dataset size 3, got 4", e.getMessage());
    }

    @Test
    void epochsAreReshuffledWithSeedPlusEpoch() {
        BatchOrder order = new BatchOrder(50, 50, 7, true);
        assertFalse(Arrays.equals(order.indices(0), order.indices(1)));
        // epoch 1 of seed 7 is epoch 0 of seed 8
        assertArrayEquals(order.indices(1), new BatchOrder(50, 50, 8, true).indices(0));
        assertFalse(Arrays.equals(order.indices(0), new BatchOrder(50, 50, 9, true).indices(0)));
    }

    @Test
    void batchesCarryImagesAndMatchingLabels() {
        ImageDataset d = dataset(25);
        ShuffledBatches source = d.batches(8, 3, true, PixelRange.ZERO_ONE);
        try (NDManager root = NDManager.newBaseManager()) {
            for (int step = 0; step < 7; step++) {
                try (NDManager scope = root.newSubManager()) {
                    int[] idx = source.peekIndices();
                    NDList b = source.next(scope);
                    assertEquals(new Shape(8, 1, 2, 2), b.get(0).getShape());
                    assertEquals(new Shape(8), b.get(1).getShape());
                    float[] x = b.get(0).toFloatArray();
                    int[] y = b.get(1).toIntArray();
                    for (int k = 0; k < 8; k++) {
                        assertEquals(idx[k] / 255f, x[k * 4 + 3], 1e-7);
                        assertEquals(idx[k] % 3, y[k]);
                    }
                }
            }
            assertEquals(7, source.position());
            assertEquals(2, source.epoch());
        }
    }

    @Test
    void seekReplaysTheSameBatches() {
        ImageDataset d = dataset(30);
        ShuffledBatches a = d.batches(7, 42, false, PixelRange.MINUS_ONE_ONE);
        try (NDManager m = NDManager.newBaseManager()) {
            float[][] first = new float[12][];
            for (int p = 0; p < 12; p++) {
                first[p] = a.next(m).get(0).toFloatArray();
            }
            ShuffledBatches b = d.batches(7, 42, false, PixelRange.MINUS_ONE_ONE);
            for (int p : new int[] {9, 0, 11, 4, 5}) {
                b.seek(p);
                assertArrayEquals(first[p], b.next(m).get(0).toFloatArray());
                assertEquals(p + 1, b.position());
            }
            assertThrows(IllegalArgumentException.class, () -> b.seek(-1));
        }
    }

    @Test
    void scopedLoopDoesNotLeak() {
        ImageDataset d = dataset(40);
        ShuffledBatches source = d.batches(8, 1, true, PixelRange.ZERO_ONE);
        try (NDManager root = NDManager.newBaseManager()) {
            int before = root.getManagedArrays().size();
            for (int i = 0; i < 20; i++) {
                try (NDManager scope = root.newSubManager()) {
                    source.next(scope);
                }
            }
            assertEquals(before, root.getManagedArrays().size());
        }
    }

    @Test
    void tensorBatchesShareTheOrder() {
        double[][] rows = new double[13][2];
        for (int i = 0; i < 13; i++) {
            rows[i][0] = i;
            rows[i][1] = -i;
        }
        TensorBatches t = TensorBatches.ofRows(rows, 5, 9, false);
        BatchOrder order = new BatchOrder(13, 5, 9, false);
        try (NDManager m = NDManager.newBaseManager()) {
            for (int p = 0; p < 6; p++) {
                NDList b = t.next(m);
                int[] idx = order.indices(p);
                assertEquals(new Shape(idx.length, 2), b.get(0).getShape());
                assertEquals(1, b.size());
                float[] x = b.get(0).toFloatArray();
                for (int k = 0; k < idx.length; k++) {
                    assertEquals(idx[k], x[2 * k]);
                    assertEquals(-idx[k], x[2 * k + 1]);
                }
            }
            t.seek(2);
            assertArrayEquals(new float[] {order.indices(2)[0], -order.indices(2)[0]},
                    Arrays.copyOf(t.next(m).get(0).toFloatArray(), 2));
        }
    }

    @Test
    void tensorBatchesWithShapeAndLabels() {
        float[] data = new float[4 * 6];
        for (int i = 0; i < data.length; i++) {
            data[i] = i;
        }
        TensorBatches t = new TensorBatches(data, new long[] {1, 6}, new int[] {0, 1, 2, 3},
                new BatchOrder(4, 2, 0, true));
        try (NDManager m = NDManager.newBaseManager()) {
            NDList b = t.next(m);
            assertEquals(new Shape(2, 1, 6), b.get(0).getShape());
            int[] y = b.get(1).toIntArray();
            assertEquals(y[0] * 6f, b.get(0).toFloatArray()[0]);
        }
        assertThrows(IllegalArgumentException.class, () -> new TensorBatches(new float[5],
                new long[] {2}, null, new BatchOrder(3, 1, 0, false)));
    }
}
