package io.gen4j.core.testing;

import io.gen4j.core.data.DatasetId;
import io.gen4j.core.data.IdxReader;
import io.gen4j.core.data.ImageDataset;
import io.gen4j.core.data.Split;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/**
 * The committed FashionMNIST subset of this test-jar ({@code fashion-mnist-subset/}: the first 600
 * training and the first 500 test images, see its README) as {@link ImageDataset}s, for tests of
 * any module. The files are read from the class path, so this works whether the test-jar is a
 * folder (an IDE, {@code mvn test}) or a jar ({@code mvn verify}).
 */
public final class FashionMnistSubset {

    /** Images in the training part. */
    public static final int TRAIN_SIZE = 600;

    /** Images in the test part. */
    public static final int TEST_SIZE = 500;

    private static final Map<Split, ImageDataset> CACHE = new EnumMap<>(Split.class);

    private FashionMnistSubset() {}

    /**
     * @param split {@link Split#TRAIN} (600 images) or {@link Split#TEST} (500 images)
     * @return the images (1×28×28) and labels, named {@code fashion-mnist-subset/train} or {@code
     *     …/test}; the same instance on every call (an ImageDataset is immutable)
     */
    public static synchronized ImageDataset load(Split split) {
        return CACHE.computeIfAbsent(split, FashionMnistSubset::read);
    }

    private static ImageDataset read(Split split) {
        String prefix = switch (split) {
            case TRAIN -> "train";
            case TEST -> "t10k";
        };
        try {
            Path dir = Files.createTempDirectory("gen4j-fashion-mnist-subset");
            Path images = copy(prefix + "-images-idx3-ubyte.gz", dir);
            Path labels = copy(prefix + "-labels-idx1-ubyte.gz", dir);
            ImageDataset data = IdxReader.read(images, labels,
                    "fashion-mnist-subset/" + (split == Split.TRAIN ? "train" : "test"),
                    DatasetId.FASHION_MNIST.classNames(), 28, 28);
            Files.delete(images);
            Files.delete(labels);
            Files.delete(dir);
            return data;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
