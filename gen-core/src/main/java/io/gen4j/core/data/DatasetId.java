package io.gen4j.core.data;

import java.util.List;

/**
 * The public image datasets gen4j knows how to find, with their file layout, the environment
 * variable that points at them, their directory name in the user cache and where Linux packages
 * install them.
 *
 * <ul>
 *   <li>{@link #MNIST}: handwritten digits (LeCun et al. 1998), IDX files, 28x28 gray;
 *   <li>{@link #FASHION_MNIST}: Zalando article images (Xiao, Rasul and Vollgraf 2017), IDX files,
 *       28x28 gray; Debian/Ubuntu package {@code dataset-fashion-mnist};
 *   <li>{@link #CIFAR10}: tiny natural images (Krizhevsky 2009), CIFAR binary batches, 32x32 RGB.
 * </ul>
 */
public enum DatasetId {
    /** MNIST handwritten digits. */
    MNIST(
            "mnist",
            "GEN4J_MNIST",
            Format.IDX,
            List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
            List.of("mnist"),
            null),
    /** Fashion-MNIST article images. */
    FASHION_MNIST(
            "fashion-mnist",
            "GEN4J_FASHION_MNIST",
            Format.IDX,
            List.of(
                    "T-shirt/top",
                    "Trouser",
                    "Pullover",
                    "Dress",
                    "Coat",
                    "Sandal",
                    "Shirt",
                    "Sneaker",
                    "Bag",
                    "Ankle boot"),
            List.of("fashion-mnist"),
            "dataset-fashion-mnist"),
    /** CIFAR-10 natural images. */
    CIFAR10(
            "cifar10",
            "GEN4J_CIFAR10",
            Format.CIFAR_BINARY,
            Cifar10Reader.CLASS_NAMES,
            List.of("cifar10", "cifar-10"),
            null);

    /** The on-disk layout of a dataset. */
    public enum Format {
        /** IDX files {@code train-images-idx3-ubyte[.gz]} and friends (see {@link IdxReader}). */
        IDX,
        /** CIFAR binary batches (see {@link Cifar10Reader}). */
        CIFAR_BINARY
    }

    private final String directoryName;
    private final String environmentVariable;
    private final Format format;
    private final List<String> classNames;
    private final List<String> systemDirectoryNames;
    private final String debianPackage;

    DatasetId(
            String directoryName,
            String environmentVariable,
            Format format,
            List<String> classNames,
            List<String> systemDirectoryNames,
            String debianPackage) {
        this.directoryName = directoryName;
        this.environmentVariable = environmentVariable;
        this.format = format;
        this.classNames = classNames;
        this.systemDirectoryNames = systemDirectoryNames;
        this.debianPackage = debianPackage;
    }

    /** @return the directory name in the user cache, e.g. {@code fashion-mnist} */
    public String directoryName() {
        return directoryName;
    }

    /** @return the environment variable naming a directory that holds the files */
    public String environmentVariable() {
        return environmentVariable;
    }

    /** @return the file format */
    public Format format() {
        return format;
    }

    /** @return the class names, index = label */
    public List<String> classNames() {
        return classNames;
    }

    /** @return directory names under a system dataset root (e.g. {@code /usr/share/datasets}) */
    public List<String> systemDirectoryNames() {
        return systemDirectoryNames;
    }

    /** @return the Debian/Ubuntu package that installs the files, or {@code null} if none */
    public String debianPackage() {
        return debianPackage;
    }

    /** @return image side in pixels (28 or 32) */
    public int imageSize() {
        return format == Format.IDX ? 28 : 32;
    }

    /** @return the number of channels (1 or 3) */
    public int channels() {
        return format == Format.IDX ? 1 : 3;
    }
}
