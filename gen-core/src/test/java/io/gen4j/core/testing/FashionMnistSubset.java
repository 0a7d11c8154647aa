package io.gen4j.core.testing;

import io.gen4j.core.data.DatasetId;
import io.gen4j.core.data.IdxReader;
import io.gen4j.core.data.ImageDataset;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The committed 500-image FashionMNIST subset of this test-jar ({@code fashion-mnist-subset/}: the
 * first 500 images of the test set, see its README) as an {@link ImageDataset}, for tests of any
 * module. The files are read from the class path, so this works whether the test-jar is a folder
 * (an IDE, {@code mvn test}) or a jar ({@code mvn verify}).
 */
public final class FashionMnistSubset {

    /** Images in the subset. */
    public static final int SIZE = 500;

    private static ImageDataset cached;

    private FashionMnistSubset() {}

    /**
     * @return the 500 images (1×28×28) and labels, named {@code fashion-mnist-subset}; the same
     *     instance on every call (an ImageDataset is immutable)
     */
    public static synchronized ImageDataset load() {
        if (cached == null) {
            try {
                Path dir = Files.createTempDirectory("gen4j-fashion-mnist-subset");
                Path images = copy("t10k-images-idx3-ubyte.gz", dir);
                Path labels = copy("t10k-labels-idx1-ubyte.gz", dir);
                cached = IdxReader.read(images, labels, "fashion-mnist-subset",
                        DatasetId.FASHION_MNIST.classNames(), 28, 28);
                Files.delete(images);
                Files.delete(labels);
                Files.delete(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return cached;
    }

    private static Path copy(String name, Path dir) throws IOException {
        try (InputStream in = FashionMnistSubset.class.getResourceAsStream("/fashion-mnist-subset/" + name)) {
            if (in == null) {
                throw new IllegalStateException("gen-core's test-jar lacks fashion-mnist-subset/" + name);
            }
            Path file = dir.resolve(name);
            Files.copy(in, file);
            return file;
        }
    }
}
