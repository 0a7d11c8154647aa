package io.gen4j.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdxReaderTest {

    private static final List<String> TEN = DatasetId.MNIST.classNames();

    @TempDir Path dir;

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void readsImagesAndLabelsRawAndGzip(boolean gzip) throws IOException {
        byte[] pixels = DataFixtures.randomPixels(7 * 5 * 4, 1);
        int[] labels = {0, 9, 3, 3, 1, 2, 8};
        byte[] img = DataFixtures.idxImages(IdxReader.IMAGES_MAGIC, 7, 5, 4, pixels);
        byte[] lab = DataFixtures.idxLabels(IdxReader.LABELS_MAGIC, 7, labels);
        // the name never says gzip: detection is by magic bytes
        Path i = dir.resolve("images.bin");
        Path l = dir.resolve("labels.bin");
        Files.write(i, gzip ? DataFixtures.gzip(img) : img);
        Files.write(l, gzip ? DataFixtures.gzip(lab) : lab);

        ImageDataset ds = IdxReader.read(i, l, "t", TEN, 5, 4);
        assertEquals(7, ds.size());
        assertEquals(1, ds.channels());
        assertEquals(5, ds.height());
        assertEquals(4, ds.width());
        assertArrayEquals(pixels, ds.pixelBytes());
        assertArrayEquals(labels, ds.labels());
        assertEquals(pixels[20 + 2 * 4 + 3] & 0xFF, ds.pixel(1, 0, 2, 3));
    }

    @Test
    void writerRoundTrips() throws IOException {
        byte[] pixels = DataFixtures.randomPixels(3 * 28 * 28, 2);
        ImageDataset ds = new ImageDataset("x", 1, 28, 28, pixels, new int[] {4, 5, 6}, TEN);
        for (boolean gzip : new boolean[] {false, true}) {
            Path i = dir.resolve("i" + gzip);
            Path l = dir.resolve("l" + gzip);
            IdxWriter.writeImages(ds, i, gzip);
            IdxWriter.writeLabels(ds, l, gzip);
            ImageDataset back = IdxReader.read(i, l, "x", TEN, 28, 28);
            assertArrayEquals(pixels, back.pixelBytes());
            assertArrayEquals(ds.labels(), back.labels());
        }
    }

    @Test
    void emptyFileIsValid() throws IOException {
        Path i = write("i", DataFixtures.idxImages(IdxReader.IMAGES_MAGIC, 0, 28, 28, new byte[0]));
        assertEquals(0, IdxReader.readImages(i).count());
    }

    @Test
    void badMagicNamesFileAndValues() throws IOException {
        Path labelsAsImages =
                write("swapped", DataFixtures.idxLabels(IdxReader.LABELS_MAGIC, 2, new int[] {1, 2}));
        DatasetFormatException e =
                assertThrows(DatasetFormatException.class, () -> IdxReader.readImages(labelsAsImages));
        assertTrue(e.getMessage().contains(labelsAsImages.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("bad magic 0x00000801"), e.getMessage());
        assertTrue(e.getMessage().contains("swapped?"), e.getMessage());
        assertEquals(labelsAsImages, e.file());

        Path png = write("x.png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 0, 0, 0, 0, 0, 0});
        e = assertThrows(DatasetFormatException.class, () -> IdxReader.readLabels(png));
        assertTrue(e.getMessage().contains("bad magic 0x89504e47"), e.getMessage());
    }

    @Test
    void tooShortForHeader() throws IOException {
        Path f = write("short", new byte[] {0, 0});
        DatasetFormatException e =
                assertThrows(DatasetFormatException.class, () -> IdxReader.readImages(f));
        assertTrue(e.getMessage().contains("too short"), e.getMessage());
        Path g = write("short2", new byte[] {0, 0, 8, 3, 0, 0, 0, 1});
        e = assertThrows(DatasetFormatException.class, () -> IdxReader.readImages(g));
        assertTrue(e.getMessage().contains("truncated header"), e.getMessage());
    }

    @Test
    void truncatedRawBody() throws IOException {
        byte[] img = DataFixtures.idxImages(IdxReader.IMAGES_MAGIC, 3, 4, 4, new byte[48]);
        Path f = write("trunc", Arrays.copyOf(img, img.length - 5));
        DatasetFormatException e =
                assertThrows(DatasetFormatException.class, () -> IdxReader.readImages(f));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        assertTrue(e.getMessage().contains("3 images of 4x4 (64 bytes)"), e.getMessage());
        assertTrue(e.getMessage().contains("59 bytes"), e.getMessage());
    }

    @Test
    void trailingBytesAreAnError() throws IOException {
        byte[] lab = DataFixtures.idxLabels(IdxReader.LABELS_MAGIC, 2, new int[] {1, 2, 3});
        Path f = write("long", lab);
        DatasetFormatException e =
                assertThrows(DatasetFormatException.class, () -> IdxReader.readLabels(f));
        assertTrue(e.getMessage().contains("wrong length"), e.getMessage());
    }

    @Test
    void truncatedGzipStream() throws IOException {
        byte[] gz = DataFixtures.gzip(DataFixtures.idxImages(
                IdxReader.IMAGES_MAGIC, 50, 28, 28, DataFixtures.randomPixels(50 * 784, 3)));
        Path f = write("cut.gz", Arrays.copyOf(gz, gz.length / 2));
        DatasetFormatException e =
                assertThrows(DatasetFormatException.class, () -> IdxReader.readImages(f));
        assertTrue(e.getMessage().contains("truncated gzip"), e.getMessage());
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
    }

    @Test
    void corruptGzipStream() throws IOException {
        byte[] gz = DataFixtures.gzip(DataFixtures.idxImages(
                IdxReader.IMAGES_MAGIC, 50, 28, 28, DataFixtures.randomPixels(50 * 784, 3)));
        for (int i = 20; i < 60; i++) {
            gz[i] ^= (byte) 0x5a;
        }
        Path f = write("bad.gz", gz);
        assertThrows(DatasetFormatException.class, () -> IdxReader.readImages(f));
    }

    @Test
    void countMismatchNamesBothFiles() throws IOException {
        Path i = write("i", DataFixtures.idxImages(IdxReader.IMAGES_MAGIC, 3, 2, 2, new byte[12]));
        Path l = write("l", DataFixtures.idxLabels(IdxReader.LABELS_MAGIC, 2, new int[] {1, 2}));
        DatasetFormatException e =
                assertThrows(DatasetFormatException.class, () -> IdxReader.read(i, l, "x", TEN, 0, 0));
        assertTrue(e.getMessage().contains("3 images"), e.getMessage());
        assertTrue(e.getMessage().contains(l + " holds 2 labels"), e.getMessage());
    }

    @Test
    void dimensionMismatch() throws IOException {
        Path i = write("i", DataFixtures.idxImages(IdxReader.IMAGES_MAGIC, 1, 27, 28, new byte[27 * 28]));
        Path l = write("l", DataFixtures.idxLabels(IdxReader.LABELS_MAGIC, 1, new int[] {1}));
        DatasetFormatException e =
                assertThrows(DatasetFormatException.class, () -> IdxReader.read(i, l, "x", TEN, 28, 28));
        assertTrue(e.getMessage().contains("images are 27x28, expected 28x28"), e.getMessage());
    }

    @Test
    void labelOutOfRange() throws IOException {
        Path i = write("i", DataFixtures.idxImages(IdxReader.IMAGES_MAGIC, 2, 2, 2, new byte[8]));
        Path l = write("l", DataFixtures.idxLabels(IdxReader.LABELS_MAGIC, 2, new int[] {3, 12}));
        DatasetFormatException e =
                assertThrows(DatasetFormatException.class, () -> IdxReader.read(i, l, "x", TEN, 0, 0));
        assertTrue(e.getMessage().contains("label of example 1 is 12, must be in [0, 10)"),
                e.getMessage());
    }

    @Test
    void negativeDimensionsRejected() throws IOException {
        Path i = write("i", DataFixtures.idxImages(IdxReader.IMAGES_MAGIC, -1, 2, 2, new byte[0]));
        DatasetFormatException e =
                assertThrows(DatasetFormatException.class, () -> IdxReader.readImages(i));
        assertTrue(e.getMessage().contains("invalid dimensions"), e.getMessage());
    }

    @Test
    void missingFileIsNotAFormatError() {
        IOException e =
                assertThrows(IOException.class, () -> IdxReader.readImages(dir.resolve("nope")));
        assertTrue(e.getMessage().contains("nope"));
        assertTrue(!(e instanceof DatasetFormatException));
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }
}
