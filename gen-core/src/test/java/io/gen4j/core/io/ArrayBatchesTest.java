package io.gen4j.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.data.BatchSource;
import io.gen4j.core.data.DatasetFormatException;
import io.gen4j.core.data.TensorBatches;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ArrayFiles} picks the format by extension; {@link ArrayBatches} serves the rows. */
class ArrayBatchesTest {

    @TempDir
    Path dir;

    @Test
    void theSamePointsFromEveryFormat() throws IOException {
        NumpyArray points = NumpyFixtures.expected("points-f8.npy");
        assertEquals(points, ArrayFiles.read(NumpyFixtures.file("points-f8.npy")));
        assertEquals(points, ArrayFiles.read(NumpyFixtures.file("single.npz")));
        assertEquals(points, ArrayFiles.read(NumpyFixtures.file("points-header.csv")));
        for (String name : new String[] {"p.npy", "p.npz", "p.csv"}) {
            ArrayFiles.write(dir.resolve(name), points);
            assertEquals(points, ArrayFiles.read(dir.resolve(name)), name);
        }
        assertEquals(java.util.List.of(ArrayFiles.NPZ_ARRAY_NAME), Npz.names(dir.resolve("p.npz")));
    }

    @Test
    void unknownExtensionsAreRefused() {
        Path txt = NumpyFixtures.file("points-spaces.txt");
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> ArrayFiles.read(txt));
        assertTrue(e.getMessage().contains(".npy, .npz or .csv"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> ArrayFiles.write(dir.resolve("x.bin"), NumpyArray.of(new double[] {1})));
    }

    @Test
    void oneLineSourceOfFloat32Batches() throws IOException {
        TensorBatches source = ArrayBatches.read(NumpyFixtures.file("points-f8.npy"), 3, 42);
        assertEquals(3, source.order().batchesPerEpoch());
        float[] expected = NumpyFixtures.expected("points-f8.npy").toFloatArray();
        Set<String> seen = new HashSet<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            for (int b = 0; b < 3; b++) {
                try (NDManager step = manager.newSubManager()) {
                    NDList batch = source.next(step);
                    assertEquals(1, batch.size());
                    NDArray x = batch.head();
                    assertEquals(DataType.FLOAT32, x.getDataType());
                    assertEquals(b < 2 ? new Shape(3, 2) : new Shape(1, 2), x.getShape());
                    float[] v = x.toFloatArray();
                    for (int r = 0; r < v.length / 2; r++) {
                        seen.add(v[2 * r] + "," + v[2 * r + 1]);
                    }
                }
            }
        }
        Set<String> all = new HashSet<>();
        for (int r = 0; r < 7; r++) {
            all.add(expected[2 * r] + "," + expected[2 * r + 1]);
        }
        assertEquals(all, seen, "one epoch visits every row once");
    }

    @Test
    void namedDataAndLabelsFromAnNpz() throws IOException {
        Path file = dir.resolve("train.npz");
        Map<String, NumpyArray> arrays = new LinkedHashMap<>();
        arrays.put("x", NumpyArray.of(new float[] {0, 0, 1, 1, 2, 2, 3, 3}, new Shape(4, 1, 2)));
        arrays.put("y", NumpyArray.of(new long[] {0, 1, 2, 3}, new Shape(4)));
        Npz.write(file, arrays);
        TensorBatches source = ArrayBatches.read(file, "x", "y", 2, 7, true);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList batch = source.next(manager);
            assertEquals(new Shape(2, 1, 2), batch.get(0).getShape());
            assertEquals(DataType.INT32, batch.get(1).getDataType());
            float[] x = batch.get(0).toFloatArray();
            int[] y = batch.get(1).toIntArray();
            for (int k = 0; k < 2; k++) {
                assertEquals(y[k], x[2 * k], 0f, "labels travel with their rows");
            }
        }
        DatasetFormatException wrong = assertThrows(DatasetFormatException.class,
                () -> ArrayBatches.read(file, "y", "x", 2, 7, true));
        assertTrue(wrong.getMessage().contains("labels must"), wrong.getMessage());
    }

    @Property(tries = 30, seed = "20261201")
    void seekThenNextIsTheBatchOfAFreshSource(
            @ForAll @IntRange(min = 1, max = 20) int n,
            @ForAll @IntRange(min = 1, max = 6) int batch,
            @ForAll @IntRange(min = 0, max = 30) int position) {
        float[] rows = new float[n * 2];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = i;
        }
        NumpyArray data = NumpyArray.of(rows, new Shape(n, 2));
        BatchSource fresh = ArrayBatches.of(data, null, batch, 99, false);
        BatchSource resumed = ArrayBatches.of(data, null, batch, 99, false);
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] expected = null;
            for (int p = 0; p <= position; p++) {
                try (NDManager step = manager.newSubManager()) {
                    expected = fresh.next(step).head().toFloatArray();
                }
            }
            resumed.seek(position);
            assertArrayEquals(expected, resumed.next(manager).head().toFloatArray());
            assertEquals(position + 1, resumed.position());
        }
    }

    @Test
    void rejectsArraysThatCannotBeBatched() {
        NumpyArray scalar = NumpyArray.of(new double[] {1}, new Shape());
        assertThrows(IllegalArgumentException.class, () -> ArrayBatches.of(scalar, null, 1, 0, false));
        NumpyArray rows = NumpyArray.of(new double[] {1, 2, 3}, new Shape(3));
        NumpyArray floatLabels = NumpyArray.of(new double[] {0, 1, 0}, new Shape(3));
        assertThrows(IllegalArgumentException.class, () -> ArrayBatches.of(rows, floatLabels, 1, 0, false));
        NumpyArray shortLabels = NumpyArray.of(new int[] {0, 1}, new Shape(2));
        assertThrows(IllegalArgumentException.class, () -> ArrayBatches.of(rows, shortLabels, 1, 0, false));
    }
}
