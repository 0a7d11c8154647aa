package io.gen4j.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.repository.Repository;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DJL basicdataset path, offline: a local repository serves the committed Fashion-MNIST subset
 * to DJL's FashionMnist builder, and the result must equal what the IDX reader reads.
 */
class DjlDatasetsTest {

    @TempDir Path tmp;
    private String previousCache;

    @BeforeEach
    void isolateCache() {
        previousCache = System.getProperty("DJL_CACHE_DIR");
        System.setProperty("DJL_CACHE_DIR", tmp.resolve("djl-cache").toString());
    }

    @AfterEach
    void restoreCache() {
        if (previousCache == null) {
            System.clearProperty("DJL_CACHE_DIR");
        } else {
            System.setProperty("DJL_CACHE_DIR", previousCache);
        }
    }

    @Test
    void localRepositoryMatchesIdxReader() throws Exception {
        Path dir = FashionMnistSubsetTest.subsetDirectory();
        Path images = dir.resolve("t10k-images-idx3-ubyte.gz");
        Path labels = dir.resolve("t10k-labels-idx1-ubyte.gz");
        Repository repo = DjlDatasets.localRepository(tmp.resolve("repo"), DatasetId.FASHION_MNIST,
                dir.resolve("train-images-idx3-ubyte.gz"), dir.resolve("train-labels-idx1-ubyte.gz"), images, labels);
        ImageDataset viaDjl = DjlDatasets.load(DatasetId.FASHION_MNIST, Split.TEST, repo);
        ImageDataset viaIdx = FashionMnistSubsetTest.load();
        assertEquals(500, viaDjl.size());
        assertEquals("fashion-mnist/test", viaDjl.name());
        assertArrayEquals(viaIdx.labels(), viaDjl.labels());
        assertArrayEquals(viaIdx.pixelBytes(), viaDjl.pixelBytes());
        ImageDataset trainViaDjl = DjlDatasets.load(DatasetId.FASHION_MNIST, Split.TRAIN, repo);
        ImageDataset trainViaIdx = FashionMnistSubsetTest.load(Split.TRAIN);
        assertEquals(600, trainViaDjl.size());
        assertArrayEquals(trainViaIdx.labels(), trainViaDjl.labels());
        assertArrayEquals(trainViaIdx.pixelBytes(), trainViaDjl.pixelBytes());
    }

    @Test
    void cifarHasNoLocalRepository() {
        Path f = tmp.resolve("x");
        assertThrows(IllegalArgumentException.class,
                () -> DjlDatasets.localRepository(tmp, DatasetId.CIFAR10, f, f, f, f));
    }
}
