package io.gen4j.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gen4j.core.data.transform.HorizontalFlip;
import io.gen4j.core.data.transform.ImageTransform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One argument, every kind of image data. */
class ImageSourceTest {

    @TempDir Path dir;

    private static ImageDataset tiny(String name, int n) {
        byte[] px = new byte[n * 4 * 4];
        int[] labels = new int[n];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i * 7);
        }
        for (int i = 0; i < n; i++) {
            labels[i] = i % 3;
        }
        return new ImageDataset(name, 1, 4, 4, px, labels, List.of("a", "b", "c"));
    }

    @Test
    void namesWithAndWithoutSplit() throws IOException {
        ImageSource s = ImageSource.parse("FMNIST:train", Split.TEST);
        assertEquals(ImageSource.Kind.DATASET, s.kind());
        assertEquals(DatasetId.FASHION_MNIST, s.dataset());
        assertEquals(Split.TRAIN, s.split());
        assertEquals("cifar10/test", ImageSource.parse("cifar-10", Split.TEST).name());
        assertThrows(IllegalArgumentException.class, () -> ImageSource.parse("mnist:valid", Split.TEST));
    }

    @Test
    void idxFolderReadsItsSplitsWithNumberedClasses() throws IOException {
        ImageDataset train = tiny("t", 6);
        IdxWriter.writeImages(train, dir.resolve("train-images-idx3-ubyte.gz"), true);
        IdxWriter.writeLabels(train, dir.resolve("train-labels-idx1-ubyte.gz"), true);
        ImageSource s = ImageSource.parse(dir.toString(), Split.TRAIN);
        assertEquals(ImageSource.Kind.IDX_FOLDER, s.kind());
        ImageDataset read = s.read(DatasetResolver.defaults());
        assertEquals(6, read.size());
        assertEquals(List.of("0", "1", "2"), read.classNames());
        assertEquals(train.pixel(5, 0, 3, 3), read.pixel(5, 0, 3, 3));
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> s.withSplit(Split.TEST).read(DatasetResolver.defaults()));
        assertTrue(e.getMessage().contains("t10k-images-idx3-ubyte"), e.getMessage());
    }

    @Test
    void imageFolderTreeHasNoSplitsAndAppliesTheLoadTransform() throws IOException {
        Path root = ImageFolderFixture.write(dir.resolve("root"), 10, 2, 28, false, 3);
        ImageSource s = ImageSource.parse(root.toString(), Split.TEST);
        assertEquals(ImageSource.Kind.IMAGE_FOLDER, s.kind());
        assertFalse(s.hasSplits());
        ImageDataset ds = s.read(DatasetResolver.defaults(), ImagePreprocessing.square(32, ColorMode.RGB).load(), 0);
        assertEquals(20, ds.size());
        assertEquals(10, ds.numClasses());
        assertEquals(3, ds.channels());
        assertEquals(32, ds.height());
    }

    @Test
    void wrongArgumentsSayWhatIsExpected() throws IOException {
        NoSuchFileException missing = assertThrows(NoSuchFileException.class,
                () -> ImageSource.parse(dir.resolve("nope").toString(), Split.TEST));
        assertTrue(missing.getReason().contains("fashion-mnist"), missing.getReason());
        Files.createDirectories(dir.resolve("empty"));
        DatasetFormatException empty = assertThrows(DatasetFormatException.class,
                () -> ImageSource.parse(dir.resolve("empty").toString(), Split.TEST));
        assertTrue(empty.getMessage().contains("holds no image data"), empty.getMessage());
        Path file = Files.writeString(dir.resolve("x.txt"), "x");
        assertThrows(DatasetFormatException.class, () -> ImageSource.parse(file.toString(), Split.TEST));
    }

    @Test
    void transformIsSeededPerImage() {
        ImageDataset ds = tiny("t", 8);
        ImageTransform flip = new HorizontalFlip(0.5);
        ImageDataset a = ds.transform(flip, 11);
        ImageDataset b = ds.transform(flip, 11);
        assertEquals(java.util.Arrays.toString(a.pixelBytes()), java.util.Arrays.toString(b.pixelBytes()));
        int flipped = 0;
        for (int i = 0; i < ds.size(); i++) {
            boolean mirrored = a.pixel(i, 0, 0, 0) == ds.pixel(i, 0, 0, 3);
            boolean same = java.util.Arrays.equals(a.imageBytes(i), ds.imageBytes(i));
            assertTrue(mirrored || same);
            flipped += same ? 0 : 1;
        }
        assertTrue(flipped > 0 && flipped < 8, "flipped " + flipped + " of 8");
    }
}
