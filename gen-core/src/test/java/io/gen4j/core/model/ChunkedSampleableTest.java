package io.gen4j.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link ChunkedSampleable}: chunk sizes, order, and memory bounded by the chunk, not by N. */
class ChunkedSampleableTest {

    /**
     * Draws rows (i, -i) numbered across calls; allocates scratch arrays in the manager it is
     * given, as a real sampler's intermediate steps would, and records the chunk sizes and how
     * many arrays the root manager held when each chunk started.
     */
    static final class RecordingSampler implements Sampleable {
        final NDManager root;
        final List<Integer> chunks = new ArrayList<>();
        final List<Integer> rootArraysAtStart = new ArrayList<>();
        int drawn;

        RecordingSampler(NDManager root) {
            this.root = root;
        }

        @Override
        public NDArray sample(NDManager manager, int n) {
            chunks.add(n);
            rootArraysAtStart.add(root.getManagedArrays().size());
            NDArray scratch = manager.ones(new Shape(n, 256));
            scratch.mul(2).sum();
            float[] v = new float[2 * n];
            for (int i = 0; i < n; i++) {
                v[2 * i] = drawn + i;
                v[2 * i + 1] = -(drawn + i);
            }
            drawn += n;
            return manager.create(v, new Shape(n, 2));
        }
    }

    @Test
    void drawsInChunksAndConcatenatesInOrder() {
        try (NDManager root = NDManager.newBaseManager()) {
            RecordingSampler model = new RecordingSampler(root);
            NDArray x = new ChunkedSampleable(model, 4).sample(root, 10);
            assertEquals(List.of(4, 4, 2), model.chunks);
            assertEquals(new Shape(10, 2), x.getShape());
            assertSame(root, x.getManager());
            float[] v = x.toFloatArray();
            for (int i = 0; i < 10; i++) {
                assertEquals(i, v[2 * i]);
                assertEquals(-i, v[2 * i + 1]);
            }
        }
    }

    @Test
    void aChunkAtLeastNIsOneCall() {
        try (NDManager root = NDManager.newBaseManager()) {
            RecordingSampler model = new RecordingSampler(root);
            NDArray x = new ChunkedSampleable(model, 100).sample(root, 7);
            assertEquals(List.of(7), model.chunks);
            assertEquals(new Shape(7, 2), x.getShape());
        }
    }

    @Test
    void onlyTheResultStaysInTheCallersManager() {
        try (NDManager root = NDManager.newBaseManager()) {
            int before = root.getManagedArrays().size();
            RecordingSampler model = new RecordingSampler(root);
            NDArray x = new ChunkedSampleable(model, 3).sample(root, 12);
            // at the start of chunk j, only the j previous chunks' samples are held: no scratch
            for (int j = 0; j < model.rootArraysAtStart.size(); j++) {
                assertEquals(before + j, model.rootArraysAtStart.get(j), "arrays held when chunk " + j + " starts");
            }
            assertEquals(before + 1, root.getManagedArrays().size());
            x.close();
            assertEquals(before, root.getManagedArrays().size());
        }
    }

    @Test
    void streamingKeepsNothing() throws Exception {
        try (NDManager root = NDManager.newBaseManager()) {
            int before = root.getManagedArrays().size();
            RecordingSampler model = new RecordingSampler(root);
            List<Shape> seen = new ArrayList<>();
            List<Float> firsts = new ArrayList<>();
            new ChunkedSampleable(model, 4).sampleTo(root, 10L, chunk -> {
                seen.add(chunk.getShape());
                firsts.add(chunk.getFloat(0, 0));
            });
            assertEquals(List.of(new Shape(4, 2), new Shape(4, 2), new Shape(2, 2)), seen);
            assertEquals(List.of(0f, 4f, 8f), firsts);
            for (int at : model.rootArraysAtStart) {
                assertEquals(before, at, "a chunk starts with nothing of the previous ones held");
            }
            assertEquals(before, root.getManagedArrays().size());
        }
    }

    @Test
    void rejectsBadArgumentsAndModelsThatMiscount() {
        try (NDManager root = NDManager.newBaseManager()) {
            RecordingSampler model = new RecordingSampler(root);
            assertThrows(IllegalArgumentException.class, () -> new ChunkedSampleable(model, 0));
            assertThrows(IllegalArgumentException.class, () -> new ChunkedSampleable(model, 2).sample(root, 0));
            Sampleable oneShort = (m, n) -> m.zeros(new Shape(n - 1, 2));
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> new ChunkedSampleable(oneShort, 2).sample(root, 5));
            assertTrue(e.getMessage().contains("asked for 2 samples and returned shape (1, 2)"), e.getMessage());
        }
    }
}
