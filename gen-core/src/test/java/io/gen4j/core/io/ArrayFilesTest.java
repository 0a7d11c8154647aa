package io.gen4j.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.data.PixelRange;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The output writers of {@link ArrayFiles}: samples, images, log-likelihoods. */
class ArrayFilesTest {

    @TempDir
    Path dir;

    @Test
    void samplesAreWrittenAsFloat32() throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray samples = manager.create(new double[] {0.25, -1.5, 3, 4}, new Shape(2, 2));
            for (String name : new String[] {"s.npy", "s.npz", "s.csv"}) {
                ArrayFiles.writeSamples(dir.resolve(name), samples);
                NumpyArray back = ArrayFiles.read(dir.resolve(name));
                assertArrayEquals(new float[] {0.25f, -1.5f, 3f, 4f}, back.toFloatArray(), name);
                assertEquals(new Shape(2, 2), back.shape(), name);
            }
            assertEquals(NumpyType.FLOAT32, Npy.read(dir.resolve("s.npy")).type());
        }
    }

    @Test
    void imagesAreQuantisedWithTheirRange() throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray images = manager.create(new float[] {-1f, -0.5f, 0f, 1f, 1.5f, -3f}, new Shape(1, 1, 2, 3));
            ArrayFiles.writeImages(dir.resolve("i.npz"), images, PixelRange.MINUS_ONE_ONE);
            NumpyArray back = Npz.readSingle(dir.resolve("i.npz"));
            assertEquals(NumpyType.UINT8, back.type());
            assertEquals(new Shape(1, 1, 2, 3), back.shape());
            int[] expected = new int[6];
            float[] v = images.toFloatArray();
            for (int i = 0; i < 6; i++) {
                expected[i] = PixelRange.MINUS_ONE_ONE.toPixel(v[i]);
            }
            assertArrayEquals(expected, back.toIntArray());
            assertArrayEquals(new int[] {0, 64, 128, 255, 255, 0}, back.toIntArray());
        }
    }

    @Test
    void likelihoodsGoToNpyOrCsvWithAHeader() throws IOException {
        double[] ll = {-1.25, -1e-3, -700.5};
        ArrayFiles.writeLikelihoods(dir.resolve("ll.npy"), ll);
        assertEquals(NumpyArray.of(ll), Npy.read(dir.resolve("ll.npy")));
        ArrayFiles.writeLikelihoods(dir.resolve("ll.csv"), ll);
        List<String> lines = Files.readAllLines(dir.resolve("ll.csv"));
        assertEquals(ArrayFiles.LOG_LIKELIHOOD_HEADER, lines.get(0));
        assertArrayEquals(ll, Csv.read(dir.resolve("ll.csv")).toDoubleArray(), 0.0);
        assertThrows(IllegalArgumentException.class, () -> ArrayFiles.writeLikelihoods(dir.resolve("ll.txt"), ll));
    }
}
