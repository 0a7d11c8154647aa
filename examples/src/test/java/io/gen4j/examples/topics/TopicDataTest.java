package io.gen4j.examples.topics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gen4j.core.data.DatasetId;
import io.gen4j.examples.testing.SubsetData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a run's report says about its data: the folder, the split sizes and a content hash; and a
 * {@code --data} folder that is given is used or refused, never replaced by data from elsewhere.
 */
class TopicDataTest {

    @TempDir
    Path dir;

    private static String hash(String note) {
        Matcher m = Pattern.compile("content sha256 ([0-9a-f]{16})").matcher(note);
        assertTrue(m.find(), note);
        return m.group(1);
    }

    @Test
    void theNoteNamesFolderSizesAndContentHash() throws Exception {
        Path data = SubsetData.directory(dir);
        TopicData d = TopicData.load(DatasetId.FASHION_MNIST, DatasetId.MNIST, Optional.of(data));
        assertEquals(DatasetId.FASHION_MNIST, d.id());
        assertTrue(d.note().startsWith("Data: FASHION_MNIST from " + data + " (" + d.train().size() + " training, "
                + d.test().size() + " test images; content sha256 "), d.note());
        // the hash is of the content, not of the place: the same files elsewhere give the same hash
        Path copy = Files.createDirectories(dir.resolve("copy"));
        try (var files = Files.list(data)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, copy.resolve(f.getFileName()));
            }
        }
        TopicData again = TopicData.load(DatasetId.FASHION_MNIST, DatasetId.MNIST, Optional.of(copy));
        assertEquals(hash(d.note()), hash(again.note()));
        // the stand-in, when that is what the folder holds, is named as such (MNIST and FashionMNIST files have
        // the same names, so a folder of either counts as both; CIFAR-10's do not)
        TopicData standIn = TopicData.load(DatasetId.CIFAR10, DatasetId.FASHION_MNIST, Optional.of(data));
        assertEquals(DatasetId.FASHION_MNIST, standIn.id());
        assertTrue(standIn.note().startsWith("--data " + data + " holds FASHION_MNIST, not CIFAR10, so this run uses "
                + "FASHION_MNIST. Data: FASHION_MNIST from " + data), standIn.note());
        // a subset of the same data is other content
        TopicData sub = d.subset(100, 50);
        assertTrue(sub.note().endsWith("This run uses the first 100 training and 50 test images."), sub.note());
        assertTrue(!TopicData.contentHash(sub.train(), sub.test()).startsWith(hash(d.note())));
    }

    @Test
    void aGivenFolderWithoutTheDataIsRefusedNotReplaced() throws Exception {
        Path other = Files.createDirectories(dir.resolve("other"));
        Files.writeString(other.resolve("notes.txt"), "not a dataset");
        io.gen4j.core.data.DatasetFormatException e = assertThrows(io.gen4j.core.data.DatasetFormatException.class,
                () -> TopicData.load(DatasetId.FASHION_MNIST, DatasetId.MNIST, Optional.of(other)));
        assertTrue(e.getMessage().startsWith(other + ": holds no image data: expected IDX files"), e.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> TopicData.load(DatasetId.FASHION_MNIST, DatasetId.MNIST, Optional.of(dir.resolve("none"))));
        assertEquals("--data " + dir.resolve("none") + ": no such directory", missing.getMessage());
    }
}
