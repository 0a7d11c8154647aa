package io.gen4j.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the full Fashion-MNIST of the Debian package {@code dataset-fashion-mnist} when installed
 * (slow profile only: it depends on the machine).
 */
@Tag("slow")
class SystemFashionMnistTest {

    private static final Logger LOGGER = LoggerFactory.getLogger(SystemFashionMnistTest.class);

    @Test
    void readsAllSeventyThousandImages() throws Exception {
        Path root = Paths.get("/usr/share/datasets");
        assumeTrue(Files.isDirectory(root.resolve("fashion-mnist")), "dataset-fashion-mnist not installed");
        DatasetResolver r = DatasetResolver.builder()
                .optEnvironment(Map.of())
                .optGen4jHome(Files.createTempDirectory("gen4j-home"))
                .optSystemRoots(List.of(root))
                .build();
        long start = System.nanoTime();
        ImageDataset train = r.load(DatasetId.FASHION_MNIST, Split.TRAIN);
        ImageDataset test = r.load(DatasetId.FASHION_MNIST, Split.TEST);
        LOGGER.info("read {} + {} images in {} ms", train.size(), test.size(),
                (System.nanoTime() - start) / 1_000_000);
        assertEquals(60_000, train.size());
        assertEquals(10_000, test.size());
        // the committed subset is the head of the test split
        ImageDataset subset = FashionMnistSubsetTest.load();
        assertArrayEquals(subset.pixelBytes(), test.subset(0, 500).pixelBytes());
        assertArrayEquals(subset.labels(), test.subset(0, 500).labels());
        int[] counts = new int[10];
        for (int l : train.labels()) {
            counts[l]++;
        }
        for (int c : counts) {
            assertEquals(6000, c);
        }
    }
}
