package io.gen4j.examples.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Hermetic data for the topic tests: the 500-image FashionMNIST subset that gen-core's test-jar
 * carries, laid out as a dataset folder with both splits (the same images serve as train and test),
 * so that no test depends on a system dataset or the network.
 */
public final class SubsetData {

    private static final Map<String, String> FILES = Map.of(
            "t10k-images-idx3-ubyte.gz", "train-images-idx3-ubyte.gz",
            "t10k-labels-idx1-ubyte.gz", "train-labels-idx1-ubyte.gz");

    private SubsetData() {}

    /**
     * @param parent a temporary folder
     * @return a folder with {@code train-*} and {@code t10k-*} IDX files
     */
    public static Path directory(Path parent) {
        try {
            Path dir = Files.createDirectories(parent.resolve("fashion-mnist-subset"));
            for (Map.Entry<String, String> e : FILES.entrySet()) {
                try (InputStream in = SubsetData.class.getResourceAsStream("/fashion-mnist-subset/" + e.getKey())) {
                    if (in == null) {
                        throw new IllegalStateException("gen-core's test-jar lacks fashion-mnist-subset/" + e.getKey());
                    }
                    byte[] bytes = in.readAllBytes();
                    Files.write(dir.resolve(e.getKey()), bytes);
                    Files.write(dir.resolve(e.getValue()), bytes);
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
