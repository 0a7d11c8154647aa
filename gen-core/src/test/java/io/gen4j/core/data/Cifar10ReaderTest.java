package io.gen4j.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Cifar10ReaderTest {

    @TempDir Path dir;

    @Test
    void readsPlanesInChannelHeightWidthOrder() throws IOException {
        int[] labels = {3, 0, 9};
        byte[] batch = DataFixtures.cifarBatch(labels, 5);
        Path f = dir.resolve("data_batch_1.bin");
        Files.write(f, batch);
        ImageDataset ds = Cifar10Reader.readBatches(List.of(f), "c", Cifar10Reader.CLASS_NAMES);
        assertEquals(3, ds.size());
        assertEquals(3, ds.channels());
        assertEquals(32, ds.height());
        assertArrayEquals(labels, ds.labels());
        // record 1, green plane (c=1), row 5, column 7
        int offset = 3073 + 1 + 1024 + 5 * 32 + 7;
        assertEquals(batch[offset] & 0xFF, ds.pixel(1, 1, 5, 7));
        assertEquals(batch[2 * 3073 + 1 + 2048] & 0xFF, ds.pixel(2, 2, 0, 0));
    }

    @Test
    void readsDirectorySplitsAndMetaNames() throws IOException {
        DataFixtures.writeCifarDirectory(dir, 4, 11);
        List<String> names = List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j");
        Files.writeString(dir.resolve("batches.meta.txt"), String.join("\n", names) + "\n\n",
                StandardCharsets.UTF_8);
        ImageDataset train = Cifar10Reader.readDirectory(dir, Split.TRAIN);
        ImageDataset test = Cifar10Reader.readDirectory(dir, Split.TEST);
        assertEquals(20, train.size());
        assertEquals(4, test.size());
        assertEquals(names, train.classNames());
        assertEquals("cifar10/train", train.name());
        // batch order is kept: example 4 is the first record of data_batch_2
        byte[] second = Files.readAllBytes(dir.resolve("data_batch_2.bin"));
        assertEquals(second[0] & 0xFF, train.label(4));
        assertArrayEquals(Arrays.copyOfRange(second, 1, 3073), train.imageBytes(4));
    }

    @Test
    void defaultNamesWithoutMeta() throws IOException {
        DataFixtures.writeCifarDirectory(dir, 1, 1);
        assertEquals(Cifar10Reader.CLASS_NAMES, Cifar10Reader.readDirectory(dir, Split.TEST).classNames());
    }

    @Test
    void badMetaFile() throws IOException {
        DataFixtures.writeCifarDirectory(dir, 1, 1);
        Files.writeString(dir.resolve("batches.meta.txt"), "cat\ndog\n");
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> Cifar10Reader.readDirectory(dir, Split.TEST));
        assertTrue(e.getMessage().contains("lists 2 class names, expected 10"), e.getMessage());
    }

    @Test
    void lengthNotMultipleOfRecord() throws IOException {
        byte[] batch = DataFixtures.cifarBatch(new int[] {1, 2}, 1);
        Path f = dir.resolve("test_batch.bin");
        Files.write(f, Arrays.copyOf(batch, batch.length - 1));
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> Cifar10Reader.readBatches(List.of(f), "c", Cifar10Reader.CLASS_NAMES));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("length 6145 is not a positive multiple of the record size 3073"),
                e.getMessage());
    }

    @Test
    void emptyFileRejected() throws IOException {
        Path f = dir.resolve("test_batch.bin");
        Files.write(f, new byte[0]);
        assertThrows(DatasetFormatException.class,
                () -> Cifar10Reader.readBatches(List.of(f), "c", Cifar10Reader.CLASS_NAMES));
    }

    @Test
    void labelAboveNine() throws IOException {
        Path f = dir.resolve("test_batch.bin");
        Files.write(f, DataFixtures.cifarBatch(new int[] {1, 2, 57}, 1));
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> Cifar10Reader.readBatches(List.of(f), "c", Cifar10Reader.CLASS_NAMES));
        assertTrue(e.getMessage().contains("record 2 has label 57, must be in [0, 9]"), e.getMessage());
    }

    @Test
    void missingBatchFile() throws IOException {
        DataFixtures.writeCifarDirectory(dir, 1, 1);
        Files.delete(dir.resolve("data_batch_3.bin"));
        IOException e = assertThrows(IOException.class, () -> Cifar10Reader.readDirectory(dir, Split.TRAIN));
        assertTrue(e.getMessage().contains("data_batch_3.bin"), e.getMessage());
    }
}
