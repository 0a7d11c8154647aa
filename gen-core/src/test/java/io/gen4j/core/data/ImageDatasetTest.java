package io.gen4j.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageDatasetTest {

    private static final List<String> THREE = List.of("a", "b", "c");

    private static ImageDataset tiny() {
        // 3 images 1x2x3 with pixel values 0..17
        byte[] p = new byte[18];
        for (int i = 0; i < 18; i++) {
            p[i] = (byte) (i * 15);
        }
        return new ImageDataset("tiny", 1, 2, 3, p, new int[] {2, 0, 1}, THREE);
    }

    @Test
    void validatesConstruction() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ImageDataset("x", 2, 2, 2, new byte[8], new int[] {0}, THREE));
        assertTrue(e.getMessage().contains("channels must be 1 or 3, got 2"));
        e = assertThrows(IllegalArgumentException.class,
                () -> new ImageDataset("x", 1, 2, 2, new byte[7], new int[] {0, 1}, THREE));
        assertTrue(e.getMessage().contains("got 7"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new ImageDataset("x", 1, 1, 1, new byte[1], new int[] {3}, THREE));
        assertTrue(e.getMessage().contains("must be in [0, 3), got 3"), e.getMessage());
    }

    @Test
    void subsetsAndClasses() {
        ImageDataset d = tiny();
        ImageDataset s = d.subset(1, 3);
        assertEquals(2, s.size());
        assertArrayEquals(new int[] {0, 1}, s.labels());
        assertEquals(6 * 15, s.pixel(0, 0, 0, 0));
        ImageDataset picked = d.subset(new int[] {2, 2, 0});
        assertArrayEquals(new int[] {1, 1, 2}, picked.labels());
        assertArrayEquals(d.imageBytes(2), picked.imageBytes(1));
        assertEquals(1, d.ofClass(0).size());
        assertEquals(0, d.ofClass(0).subset(0, 0).size());
        assertThrows(IllegalArgumentException.class, () -> d.subset(2, 4));
        assertThrows(IndexOutOfBoundsException.class, () -> d.label(3));
    }

    @Test
    void padsCentredWithValue() {
        ImageDataset d = tiny().padTo(5, 6, 7);
        assertEquals(5, d.height());
        assertEquals(6, d.width());
        // top = (5-2)/2 = 1, left = (6-3)/2 = 1
        assertEquals(7, d.pixel(0, 0, 0, 0));
        assertEquals(0, d.pixel(0, 0, 1, 1));
        assertEquals(5 * 15, d.pixel(0, 0, 2, 3));
        assertEquals(7, d.pixel(0, 0, 4, 5));
        assertEquals(7, d.pixel(2, 0, 3, 4));
        assertEquals(17 * 15, d.pixel(2, 0, 2, 3));
        int border = 0;
        for (int y = 0; y < 5; y++) {
            for (int x = 0; x < 6; x++) {
                if (y < 1 || y > 2 || x < 1 || x > 3) {
                    assertEquals(7, d.pixel(1, 0, y, x));
                    border++;
                }
            }
        }
        assertEquals(30 - 6, border);
        assertThrows(IllegalArgumentException.class, () -> tiny().padTo(1, 6, 0));
    }

    @Test
    void mnistTo32() {
        ImageDataset d = new ImageDataset("m", 1, 28, 28, new byte[784], new int[] {0}, THREE);
        ImageDataset p = d.padTo(32, 32, 0);
        assertEquals(32 * 32, p.imageSize());
    }

    @Test
    void pixelRanges() {
        assertEquals(0f, PixelRange.ZERO_ONE.toFloat(0));
        assertEquals(1f, PixelRange.ZERO_ONE.toFloat(255));
        assertEquals(-1f, PixelRange.MINUS_ONE_ONE.toFloat(0));
        assertEquals(1f, PixelRange.MINUS_ONE_ONE.toFloat(255), 1e-7);
        for (PixelRange r : PixelRange.values()) {
            for (int v = 0; v < 256; v++) {
                assertEquals(v, r.toPixel(r.toFloat(v)));
            }
            assertEquals(0, r.toPixel(r.low() - 5 * (r.high() - r.low())));
            assertEquals(255, r.toPixel(r.high() + 5 * (r.high() - r.low())));
        }
    }

    @Test
    void toNDArrayShapesAndValues() {
        ImageDataset d = tiny();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = d.toNDArray(m, PixelRange.MINUS_ONE_ONE);
            assertEquals(new Shape(3, 1, 2, 3), x.getShape());
            assertEquals(DataType.FLOAT32, x.getDataType());
            float[] v = x.toFloatArray();
            assertEquals(-1f, v[0]);
            assertEquals(2f * 17 * 15 / 255f - 1f, v[17], 1e-6);
            NDArray some = d.toNDArray(m, new int[] {2}, PixelRange.ZERO_ONE);
            assertEquals(new Shape(1, 1, 2, 3), some.getShape());
            assertEquals(12 * 15 / 255f, some.toFloatArray()[0], 1e-6);
            NDArray labels = d.labelsToNDArray(m);
            assertEquals(DataType.INT32, labels.getDataType());
            assertArrayEquals(new int[] {2, 0, 1}, labels.toIntArray());
        }
    }
}
