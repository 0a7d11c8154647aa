package io.gen4j.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderReaderTest {

    @TempDir Path root;

    private void rgb(Path file, int w, int h, int r, int g, int b) throws IOException {
        Files.createDirectories(file.getParent());
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, (r << 16) | (g << 8) | (b + x) & 0xFF);
            }
        }
        ImageIO.write(img, "png", file.toFile());
    }

    private void gray(Path file, int w, int h, int v) throws IOException {
        Files.createDirectories(file.getParent());
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.getRaster().setSample(x, y, 0, v + y);
            }
        }
        ImageIO.write(img, "png", file.toFile());
    }

    @Test
    void readsClassesInOrderRgb() throws IOException {
        rgb(root.resolve("dog/b.png"), 4, 3, 10, 20, 30);
        rgb(root.resolve("dog/a.png"), 4, 3, 11, 21, 31);
        rgb(root.resolve("cat/x.PNG"), 4, 3, 200, 100, 50);
        Files.writeString(root.resolve("cat/notes.txt"), "not an image");
        ImageDataset ds = ImageFolderReader.read(root, ColorMode.RGB);
        assertEquals(List.of("cat", "dog"), ds.classNames());
        assertArrayEquals(new int[] {0, 1, 1}, ds.labels());
        assertEquals(3, ds.channels());
        assertEquals(3, ds.height());
        assertEquals(4, ds.width());
        assertEquals(200, ds.pixel(0, 0, 2, 1));
        assertEquals(100, ds.pixel(0, 1, 2, 1));
        assertEquals(51, ds.pixel(0, 2, 2, 1));
        assertEquals(11, ds.pixel(1, 0, 0, 0)); // a.png sorts before b.png
    }

    @Test
    void grayscaleExactAndLuma() throws IOException {
        gray(root.resolve("g/one.png"), 2, 2, 100);
        rgb(root.resolve("g/two.png"), 2, 2, 200, 100, 50);
        ImageDataset ds = ImageFolderReader.read(root, ColorMode.GRAYSCALE);
        assertEquals(1, ds.channels());
        assertEquals(101, ds.pixel(0, 0, 1, 0)); // gray read without colour conversion
        assertEquals(Math.round(0.299f * 200 + 0.587f * 100 + 0.114f * 50), ds.pixel(1, 0, 0, 0));
        ImageDataset asRgb = ImageFolderReader.read(root, ColorMode.RGB);
        assertEquals(101, asRgb.pixel(0, 2, 1, 1));
    }

    @Test
    void sizeMismatchNamesTheFirstMismatchingFile() throws IOException {
        rgb(root.resolve("a/1.png"), 4, 4, 0, 0, 0);
        rgb(root.resolve("a/2.png"), 4, 4, 0, 0, 0);
        rgb(root.resolve("b/3.png"), 5, 4, 0, 0, 0);
        rgb(root.resolve("b/4.png"), 6, 4, 0, 0, 0);
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> ImageFolderReader.read(root, ColorMode.RGB));
        assertEquals(root.resolve("b/3.png"), e.file());
        assertTrue(e.getMessage().contains("is 5x4"), e.getMessage());
        assertTrue(e.getMessage().contains(root.resolve("a/1.png") + " is 4x4"), e.getMessage());
    }

    @Test
    void undecodableImage() throws IOException {
        Files.createDirectories(root.resolve("a"));
        Files.write(root.resolve("a/bad.jpg"), new byte[] {1, 2, 3});
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> ImageFolderReader.read(root, ColorMode.RGB));
        assertTrue(e.getMessage().contains("bad.jpg"), e.getMessage());
    }

    @Test
    void emptyLayouts() throws IOException {
        assertThrows(DatasetFormatException.class, () -> ImageFolderReader.read(root, ColorMode.RGB));
        Files.createDirectories(root.resolve("empty"));
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> ImageFolderReader.read(root, ColorMode.RGB));
        assertTrue(e.getMessage().contains("holds no PNG or JPEG"), e.getMessage());
        assertThrows(IOException.class, () -> ImageFolderReader.read(root.resolve("none"), ColorMode.RGB));
    }

    @Test
    void flatFolderIsOneClassNamedAfterIt() throws IOException {
        Path flat = root.resolve("faces");
        gray(flat.resolve("b.png"), 3, 2, 10);
        gray(flat.resolve("a.png"), 3, 2, 20);
        Files.writeString(flat.resolve("notes.txt"), "not an image");
        ImageDataset ds = ImageFolderReader.read(flat, ColorMode.GRAYSCALE);
        assertEquals(List.of("faces"), ds.classNames());
        assertEquals(2, ds.size());
        assertEquals(20, ds.pixel(0, 0, 0, 0)); // a.png first
        assertEquals(11, ds.pixel(1, 0, 1, 2));
    }

    @Test
    void generatedFixtureReadsWithItsClassesAndJpegColours() throws IOException {
        Path gray = ImageFolderFixture.write(root.resolve("gray"), 10, 3, 28, false, 1);
        ImageDataset g = ImageFolderReader.read(gray, io.gen4j.core.data.transform.ImageTransform.identity(), 0);
        assertEquals(30, g.size());
        assertEquals(1, g.channels());
        assertEquals(28, g.height());
        assertEquals("class-0", g.classNames().get(0));
        assertEquals(9, g.label(29));
        // class 0's square covers rows 1..7, columns 0..6: bright there, dark elsewhere
        assertTrue(g.pixel(0, 0, 3, 3) >= 200 && g.pixel(0, 0, 20, 20) < 40);
        Path jpeg = ImageFolderFixture.write(root.resolve("jpeg"), 2, 2, 32, true, 2);
        ImageDataset c = ImageFolderReader.read(jpeg, io.gen4j.core.data.transform.ImageTransform.identity(), 0);
        assertEquals(3, c.channels());
        assertEquals(32, c.width());
        // class 0 is bright in all channels inside its square (JPEG is lossy: a margin of 40 levels)
        assertTrue(c.pixel(0, 0, 4, 4) > 160 && c.pixel(0, 2, 4, 4) > 160, "jpeg pixel " + c.pixel(0, 0, 4, 4));
    }

    @Test
    void differentSizesAreBroughtToOneByThePreprocessing() throws IOException {
        rgb(root.resolve("a/wide.png"), 8, 4, 10, 20, 30);
        gray(root.resolve("b/square.png"), 6, 6, 50);
        ImageDataset ds = ImageFolderReader.read(root, ImagePreprocessing.square(4, null).load(), 0);
        // the gray image is copied to RGB because the folder mixes gray and colour
        assertEquals(3, ds.channels());
        assertEquals(4, ds.height());
        assertEquals(4, ds.width());
        assertEquals(2, ds.size());
        ImageDataset grayDs = ImageFolderReader.read(root, ImagePreprocessing.square(4, ColorMode.GRAYSCALE).load(), 0);
        assertEquals(1, grayDs.channels());
    }

    @Test
    void undecodableFileIsNamedAmongGoodOnes() throws IOException {
        gray(root.resolve("a/1.png"), 4, 4, 0);
        Files.createDirectories(root.resolve("b"));
        Files.write(root.resolve("b/broken.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0});
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> ImageFolderReader.read(root, ColorMode.GRAYSCALE));
        assertEquals(root.resolve("b/broken.png"), e.file());
        assertTrue(e.getMessage().startsWith(root.resolve("b/broken.png").toString()), e.getMessage());
    }
}
