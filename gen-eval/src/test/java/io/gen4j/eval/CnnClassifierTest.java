package io.gen4j.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trains the in-project classifier briefly on the 600 training images of gen-core's FashionMNIST
 * subset and tests it on the first 300 of its test images.
 */
class CnnClassifierTest {

    private static ImageSet train;
    private static int[] trainLabels;
    private static ImageSet test;
    private static int[] testLabels;

    @TempDir
    Path dir;

    @BeforeAll
    static void load() throws Exception {
        train = ImageSets.readIdx(subsetFile("train-images-idx3-ubyte.gz"));
        trainLabels = ImageSets.readIdxLabels(subsetFile("train-labels-idx1-ubyte.gz"));
        test = ImageSets.readIdx(subsetFile("t10k-images-idx3-ubyte.gz")).head(300);
        testLabels = java.util.Arrays.copyOf(ImageSets.readIdxLabels(subsetFile("t10k-labels-idx1-ubyte.gz")), 300);
    }

    /**
     * A file of the FashionMNIST subset in gen-core's test-jar, copied out of the jar when the
     * reactor gives the jar rather than a directory.
     */
    static Path subsetFile(String name) throws Exception {
        java.net.URL url = CnnClassifierTest.class.getResource("/fashion-mnist-subset/" + name);
        if (url == null) {
            throw new IllegalStateException("gen-core's test-jar lacks fashion-mnist-subset/" + name);
        }
        if ("file".equals(url.getProtocol())) {
            return Path.of(url.toURI());
        }
        Path copy = java.nio.file.Files.createTempFile("fashion-mnist-subset-", "-" + name);
        copy.toFile().deleteOnExit();
        try (java.io.InputStream in = url.openStream()) {
            java.nio.file.Files.copy(in, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return copy;
    }

    @Test
    void trainsAboveChanceSavesLoadsAndExtractsBatchIndependently() throws Exception {
        try (NDManager manager = Managers.create();
                CnnFeatureExtractor cnn = new CnnClassifierTraining(2, 50, 2e-3, 7)
                        .train(CnnClassifierConfig.fashionMnist(), train, trainLabels, manager)) {
            Features probs = FeatureExtraction.classProbabilities(cnn, test, 100, manager);
            double accuracy = CnnFeatureExtractor.accuracy(probs, testLabels);
            assertTrue(accuracy > 0.5, "test accuracy after 24 steps: " + accuracy);
            assertEquals("FID-fmnist-cnn", cnn.info().metricName("FID"));

            Path file = dir.resolve("fmnist-cnn.bin");
            cnn.save(file);
            assertEquals(Hashes.sha256(file), cnn.info().fileHash());
            Features f1 = FeatureExtraction.features(cnn, test, 300, manager);
            // a stop (Ctrl-C under the CLI) ends the pass before its next batch
            int[] batches = {0};
            io.gen4j.core.runtime.StopSignal.request("test");
            try {
                org.junit.jupiter.api.Assertions.assertThrows(io.gen4j.core.runtime.StopRequestedException.class,
                        () -> FeatureExtraction.features(cnn, test, 7, manager, done -> batches[0]++));
                assertEquals(0, batches[0]);
            } finally {
                io.gen4j.core.runtime.StopSignal.clear();
            }
            try (CnnFeatureExtractor loaded = CnnFeatureExtractor.load(file, manager)) {
                assertEquals(cnn.info(), loaded.info());
                Features f2 = FeatureExtraction.features(loaded, test, 7, manager);
                assertEquals(128, f2.dim());
                assertArrayEquals(f1.data(), f2.data(), 1e-5);
            }
        }
    }

    @Test
    void theFileEndsWithItsChecksumAndAChangedBitIsRefused() throws Exception {
        try (NDManager manager = Managers.create()) {
            NDManager owner = manager.newSubManager();
            CnnClassifier block = new CnnClassifier(CnnClassifierConfig.fashionMnist());
            block.initialize(owner, ai.djl.ndarray.types.DataType.FLOAT32, block.inputShape());
            try (CnnFeatureExtractor cnn = CnnFeatureExtractor.of(block, owner)) {
                Path file = dir.resolve("cnn.bin");
                cnn.save(file);
                byte[] good = java.nio.file.Files.readAllBytes(file);
                // the last 32 bytes are the SHA-256 of the rest, computed here with the JDK's digest
                byte[] body = java.util.Arrays.copyOf(good, good.length - 32);
                assertArrayEquals(java.security.MessageDigest.getInstance("SHA-256").digest(body),
                        java.util.Arrays.copyOfRange(good, good.length - 32, good.length));

                byte[] flipped = good.clone();
                flipped[good.length - 32 - 2] ^= 0x01; // a bit of the last weight
                Path changed = java.nio.file.Files.write(dir.resolve("changed.bin"), flipped);
                io.gen4j.core.io.CorruptFileException e = org.junit.jupiter.api.Assertions.assertThrows(
                        io.gen4j.core.io.CorruptFileException.class, () -> CnnFeatureExtractor.load(changed, manager));
                assertTrue(e.getMessage().startsWith(changed + ": damaged: its SHA-256"), e.getMessage());

                // a file of format 1 (no checksum) still loads and gives the same features
                java.nio.ByteBuffer.wrap(body).putInt(8, 1);
                Path old = java.nio.file.Files.write(dir.resolve("format-1.bin"), body);
                try (CnnFeatureExtractor loaded = CnnFeatureExtractor.load(old, manager)) {
                    ImageSet few = test.head(5);
                    assertArrayEquals(FeatureExtraction.features(cnn, few, 5, manager).data(),
                            FeatureExtraction.features(loaded, few, 5, manager).data(), 0.0);
                }
            }
        }
    }

    @Test
    void trainingIsSeeded() {
        ImageSet small = train.head(100);
        int[] labels = java.util.Arrays.copyOf(trainLabels, 100);
        CnnClassifierTraining training = new CnnClassifierTraining(1, 25, 1e-3, 3);
        try (NDManager manager = Managers.create();
                CnnFeatureExtractor a = training.train(CnnClassifierConfig.fashionMnist(), small, labels, manager);
                CnnFeatureExtractor b = training.train(CnnClassifierConfig.fashionMnist(), small, labels, manager)) {
            assertEquals(a.info().fileHash(), b.info().fileHash());
            try (NDManager caller = manager.newSubManager()) {
                ai.djl.ndarray.NDArray x = small.batch(caller, 0, 5);
                int held = caller.getManagedArrays().size();
                a.features(x);
                a.classProbabilities(x);
                a.logits(x);
                assertEquals(held + 3, caller.getManagedArrays().size());
            }
        }
    }
}
