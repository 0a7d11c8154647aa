package io.gen4j.eval;

import ai.djl.ndarray.NDManager;
import io.gen4j.core.data.DatasetFormatException;
import io.gen4j.core.io.CorruptFileException;
import io.gen4j.core.testing.ReaderFuzz;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random bytes fed to the readers {@code gen4j eval} uses: a folder of PNGs, a {@code .npy}, a
 * {@code .npz} and a classifier file. Each read must fail with a clear exception naming the file
 * ({@link DatasetFormatException}, {@link CorruptFileException}), never another exception, a JVM
 * crash or a set of images.
 */
class RandomBytesImageReaderProperties {

    private static Path dir;
    private static NDManager manager;

    @BeforeContainer
    static void setUp() throws IOException {
        dir = Files.createTempDirectory("gen4j-eval-fuzz");
        manager = NDManager.newBaseManager();
    }

    @AfterContainer
    static void tearDown() throws IOException {
        manager.close();
        ReaderFuzz.deleteTree(dir);
    }

    @Provide
    Arbitrary<byte[]> junk() {
        return ReaderFuzz.bytes(3000);
    }

    private static void refused(ReaderFuzz.Read read, Path file) {
        ReaderFuzz.assertRefused(read, file, "random bytes");
    }

    @Property(tries = 80, seed = "15")
    void randomBytesAreNeverImagesOrAClassifier(@ForAll("junk") byte[] bytes) throws Exception {
        Path folder = Files.createDirectories(dir.resolve("pngs"));
        Path png = Files.write(folder.resolve("000.png"), bytes);
        refused(() -> ImageSets.decode(folder, null), png);
        Path npy = Files.write(dir.resolve("junk.npy"), bytes);
        refused(() -> ImageSets.decode(npy, null), npy);
        Path npz = Files.write(dir.resolve("junk.npz"), bytes);
        refused(() -> ImageSets.decode(npz, null), npz);
        Path classifier = Files.write(dir.resolve("junk-cnn.bin"), bytes);
        refused(() -> CnnFeatureExtractor.load(classifier, manager), classifier);
        byte[] tagged = bytes.clone(); // past the magic, into the header and parameters
        if (tagged.length >= 8) {
            System.arraycopy("GEN4JCNN".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, tagged, 0, 8);
            Path magic = Files.write(dir.resolve("tagged-cnn.bin"), tagged);
            refused(() -> CnnFeatureExtractor.load(magic, manager), magic);
        }
    }
}
