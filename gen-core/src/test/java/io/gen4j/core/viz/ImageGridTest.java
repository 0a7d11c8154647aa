package io.gen4j.core.viz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.data.PixelRange;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageGridTest {

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    @TempDir
    Path dir;

    @Test
    void grayscaleGridHasTheLayoutAndPixelValues() throws IOException {
        // 5 images of 3x4 (H x W), image i filled with i / 4 in [0, 1]
        int n = 5;
        float[] pixels = new float[n * 3 * 4];
        for (int i = 0; i < n; i++) {
            Arrays.fill(pixels, i * 12, (i + 1) * 12, i / 4f);
        }
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray images = m.create(pixels, new Shape(n, 1, 3, 4));
            Path file = dir.resolve("grid/gray.png");
            ImageGrid.writePng(images, PixelRange.ZERO_ONE, 3, 2, file);
            byte[] bytes = Files.readAllBytes(file);
            assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(bytes, 8));
            BufferedImage img = ImageIO.read(file.toFile());
            assertEquals(3 * (4 + 2) + 2, img.getWidth());
            assertEquals(2 * (3 + 2) + 2, img.getHeight());
            assertEquals(0, gray(img, 0, 0)); // padding
            assertEquals(0, gray(img, 2, 2)); // image 0 = 0
            assertEquals(64, gray(img, 2 + 6, 2)); // image 1 = 0.25 -> 63.75 -> 64
            assertEquals(128, gray(img, 2 + 12 + 3, 2 + 2)); // image 2 = 0.5 -> 127.5 -> 128
            assertEquals(255, gray(img, 2 + 6, 2 + 5)); // image 4 = 1.0, row 1 col 1
            assertEquals(0, gray(img, 2 + 12, 2 + 5)); // empty sixth cell
        }
    }

    private static int gray(BufferedImage img, int x, int y) {
        return img.getRGB(x, y) & 0xFF;
    }

    @Test
    void rgbGridMapsMinusOneOneAndKeepsChannelOrder() throws IOException {
        // one 2x2 RGB image: R = -1, G = 0, B = 1 everywhere; out-of-range value clamps
        float[] pixels = {-1, -1, -1, -3, 0, 0, 0, 0, 1, 1, 1, 1};
        Path file = dir.resolve("rgb.png");
        ImageGrid.writePng(ImageGrid.render(pixels, new Shape(1, 3, 2, 2),
                PixelRange.MINUS_ONE_ONE, 1, 1, 0), file);
        BufferedImage img = ImageIO.read(file.toFile());
        assertEquals(2, img.getWidth());
        assertEquals(2, img.getHeight());
        int rgb = img.getRGB(1, 1);
        assertEquals(0, (rgb >> 16) & 0xFF);
        assertEquals(128, (rgb >> 8) & 0xFF);
        assertEquals(255, rgb & 0xFF);
    }

    @Test
    void rejectsBadShapes() {
        assertThrows(IllegalArgumentException.class, () -> ImageGrid.render(new float[8],
                new Shape(1, 2, 2, 2), PixelRange.ZERO_ONE, 1, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> ImageGrid.render(new float[7],
                new Shape(1, 1, 2, 4), PixelRange.ZERO_ONE, 1, 1, 0));
    }

    @Test
    void nanPixelsAreBlack() {
        BufferedImage img = ImageGrid.render(new float[] {Float.NaN}, new Shape(1, 1, 1, 1),
                PixelRange.ZERO_ONE, 1, 1, 0);
        assertEquals(0, gray(img, 0, 0));
    }
}
