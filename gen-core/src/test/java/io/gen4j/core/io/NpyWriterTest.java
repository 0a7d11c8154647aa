package io.gen4j.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.data.DatasetFormatException;
import io.gen4j.core.data.PixelRange;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link NpyWriter}: chunked writing gives the file of a whole-array write. */
class NpyWriterTest {

    @TempDir
    Path dir;

    @Test
    void chunksMakeTheBytesOfAWholeArrayWrite() throws IOException {
        NumpyArray whole = NpyTest.randomArray(NumpyType.FLOAT32, new Shape(10, 3), new Random(3));
        float[] values = whole.toFloatArray();
        Path chunked = dir.resolve("chunked.npy");
        try (NpyWriter out = NpyWriter.create(chunked, NumpyType.FLOAT32, new Shape(3))) {
            for (int from = 0; from < 10; from += 4) {
                int k = Math.min(4, 10 - from);
                float[] part = java.util.Arrays.copyOfRange(values, from * 3, (from + k) * 3);
                out.append(NumpyArray.of(part, new Shape(k, 3)));
            }
            assertEquals(10, out.rows());
        }
        Path direct = dir.resolve("direct.npy");
        Npy.write(direct, whole);
        assertArrayEquals(Files.readAllBytes(direct), Files.readAllBytes(chunked));
    }

    @Test
    void convertsNDArrayChunksToTheFileType() throws IOException {
        Path file = dir.resolve("f32.npy");
        try (NDManager manager = NDManager.newBaseManager();
                NpyWriter out = NpyWriter.create(file, NumpyType.FLOAT32, new Shape())) {
            out.append(manager.create(new double[] {0.5, -1.25}));
            out.append(manager.create(new double[] {3.0}));
        }
        NumpyArray back = Npy.read(file);
        assertEquals(NumpyType.FLOAT32, back.type());
        assertArrayEquals(new float[] {0.5f, -1.25f, 3f}, back.toFloatArray());
    }

    @Test
    void imageWriterQuantisesFloatsWithItsRange() throws IOException {
        Path file = dir.resolve("images.npy");
        try (NpyWriter out = NpyWriter.images(file, new Shape(1, 1, 2), PixelRange.MINUS_ONE_ONE)) {
            out.append(NumpyArray.of(new float[] {-1f, 1f, 0f, 7f}, new Shape(2, 1, 1, 2)));
            out.append(new NumpyArray(NumpyType.UINT8, new Shape(1, 1, 1, 2), new byte[] {5, (byte) 250}));
        }
        NumpyArray back = Npy.read(file);
        assertEquals(NumpyType.UINT8, back.type());
        assertEquals(new Shape(3, 1, 1, 2), back.shape());
        assertArrayEquals(new int[] {0, 255, 128, 255, 5, 250}, back.toIntArray());
    }

    @Test
    void anUnclosedFileDoesNotPassForAComplete() throws IOException {
        Path file = dir.resolve("partial.npy");
        NpyWriter out = NpyWriter.create(file, NumpyType.INT64, new Shape(2));
        try {
            out.append(NumpyArray.of(new long[] {1, 2, 3, 4}, new Shape(2, 2)));
            DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> Npy.read(file));
            assertTrue(e.getMessage().contains("wrong length"), e.getMessage());
        } finally {
            out.close();
        }
        assertEquals(new Shape(2, 2), Npy.read(file).shape());
    }

    @Test
    void rejectsChunksOfAnotherShape() throws IOException {
        try (NpyWriter out = NpyWriter.create(dir.resolve("x.npy"), NumpyType.FLOAT32, new Shape(2))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> out.append(NumpyArray.of(new float[] {1, 2, 3}, new Shape(1, 3))));
            assertTrue(e.getMessage().contains("(k, 2)"), e.getMessage());
        }
    }
}
