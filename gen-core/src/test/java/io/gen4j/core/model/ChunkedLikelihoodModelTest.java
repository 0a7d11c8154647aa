package io.gen4j.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link ChunkedLikelihoodModel}: same values as one call, chunk sizes, no growth of the root. */
class ChunkedLikelihoodModelTest {

    /**
     * The standard normal density, log p(x) = −½|x|² − (D/2) log 2π, computed with engine ops (so it
     * allocates intermediates in the input's manager); records chunk sizes and the root's arrays.
     */
    static final class RecordingGaussian implements LikelihoodModel {
        final NDManager root;
        final List<Long> chunks = new ArrayList<>();
        final List<Integer> rootArraysAtStart = new ArrayList<>();

        RecordingGaussian(NDManager root) {
            this.root = root;
        }

        @Override
        public NDArray logLikelihood(NDArray x) {
            chunks.add(x.getShape().get(0));
            rootArraysAtStart.add(root.getManagedArrays().size());
            long d = x.getShape().size() / x.getShape().get(0);
            return x.square().reshape(x.getShape().get(0), -1).sum(new int[] {1}).mul(-0.5)
                    .sub(0.5 * d * Math.log(2 * Math.PI));
        }

        @Override
        public boolean isExact() {
            return false;
        }
    }

    private static NDArray data(NDManager manager, int n) {
        Random random = new Random(17);
        float[] v = new float[n * 2 * 3];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return manager.create(v, new Shape(n, 2, 3));
    }

    @Test
    void doublesEqualOneUnchunkedCall() {
        try (NDManager root = NDManager.newBaseManager()) {
            NDArray x = data(root, 10);
            RecordingGaussian model = new RecordingGaussian(root);
            double[] expected;
            try (NDManager scratch = root.newSubManager()) {
                NDArray copy = x.duplicate();
                copy.attach(scratch);
                expected = model.logLikelihood(copy).toType(DataType.FLOAT64, false).toDoubleArray();
            }
            model.chunks.clear();
            double[] ll = new ChunkedLikelihoodModel(model, 3).logLikelihoods(x);
            assertEquals(List.of(3L, 3L, 3L, 1L), model.chunks);
            assertArrayEquals(expected, ll, 0.0);
        }
    }

    @Test
    void ndArrayResultIsInTheInputsManager() {
        try (NDManager root = NDManager.newBaseManager()) {
            NDManager data = root.newSubManager();
            NDArray x = data(data, 7);
            RecordingGaussian model = new RecordingGaussian(root);
            NDArray ll = new ChunkedLikelihoodModel(model, 4).logLikelihood(x);
            assertEquals(List.of(4L, 3L), model.chunks);
            assertEquals(new Shape(7), ll.getShape());
            assertEquals(DataType.FLOAT32, ll.getDataType());
            assertSame(data, ll.getManager());
            double[] doubles = new ChunkedLikelihoodModel(model, 4).logLikelihoods(x);
            assertArrayEquals(doubles, ll.toType(DataType.FLOAT64, false).toDoubleArray(), 0.0);
        }
    }

    @Test
    void theRootDoesNotGrow() {
        try (NDManager root = NDManager.newBaseManager()) {
            NDArray x = data(root, 50);
            int before = root.getManagedArrays().size();
            RecordingGaussian model = new RecordingGaussian(root);
            new ChunkedLikelihoodModel(model, 8).logLikelihoods(x);
            assertEquals(7, model.chunks.size());
            for (int at : model.rootArraysAtStart) {
                // the model sees the current chunk's slice and nothing of the previous chunks
                assertEquals(before + 1, at, "arrays held when a chunk starts");
            }
            assertEquals(before, root.getManagedArrays().size(), "logLikelihoods leaves nothing behind");

            model.rootArraysAtStart.clear();
            NDArray ll = new ChunkedLikelihoodModel(model, 8).logLikelihood(x);
            for (int j = 0; j < model.rootArraysAtStart.size(); j++) {
                assertEquals(before + 1 + j, model.rootArraysAtStart.get(j), "the slice and earlier results held");
            }
            assertEquals(before + 1, root.getManagedArrays().size());
            ll.close();
            assertEquals(before, root.getManagedArrays().size());
        }
    }

    @Test
    void delegatesExactnessAndHandlesEdgeCases() {
        try (NDManager root = NDManager.newBaseManager()) {
            RecordingGaussian model = new RecordingGaussian(root);
            ChunkedLikelihoodModel chunked = new ChunkedLikelihoodModel(model, 2);
            assertFalse(chunked.isExact());
            assertTrue(new ChunkedLikelihoodModel(x -> x.sum(new int[] {1}), 2).isExact());
            NDArray empty = root.zeros(new Shape(0, 3));
            assertEquals(0, chunked.logLikelihoods(empty).length);
            assertEquals(new Shape(0), chunked.logLikelihood(empty).getShape());
            assertThrows(IllegalArgumentException.class, () -> chunked.logLikelihood(root.create(1f)));
            assertThrows(IllegalArgumentException.class, () -> new ChunkedLikelihoodModel(model, 0));
            LikelihoodModel perElement = x -> x.mul(1);
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> new ChunkedLikelihoodModel(perElement, 2).logLikelihoods(root.zeros(new Shape(3, 2))));
            assertTrue(e.getMessage().contains("returned shape (2, 2), expected (2)"), e.getMessage());
        }
    }
}
