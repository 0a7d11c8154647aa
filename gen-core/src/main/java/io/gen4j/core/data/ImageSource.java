package io.gen4j.core.data;

import io.gen4j.core.data.transform.ImageTransform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a user's image-data argument names (the CLI's {@code --data}, {@code --real}, {@code --fake}),
 * resolved once and read through one path for every command.
 *
 * <ul>
 *   <li>{@link Kind#DATASET}: a dataset name, {@code fashion-mnist}, {@code fmnist}, {@code mnist},
 *       {@code cifar10} (also {@code cifar-10}), optionally with {@code :train} or {@code :test},
 *       found by a {@link DatasetResolver};
 *   <li>{@link Kind#IDX_FOLDER}: a folder holding IDX files ({@code train-images-idx3-ubyte[.gz]},
 *       {@code train-labels-idx1-ubyte[.gz]}, {@code t10k-*}); classes are named {@code 0 ... K-1};
 *   <li>{@link Kind#CIFAR_FOLDER}: a folder holding CIFAR-10's binary batches (directly or in
 *       {@code cifar-10-batches-bin});
 *   <li>{@link Kind#IMAGE_FOLDER}: a folder of PNG/JPEG images, flat or one sub-folder per class
 *       (torchvision's {@code ImageFolder}), read by {@link ImageFolderReader}; it has no splits.
 * </ul>
 *
 * <p>Names are recognised before paths: a folder called {@code mnist} in the working directory is
 * reached as {@code ./mnist}.
 *
 * @param kind what the argument is
 * @param argument the argument as given
 * @param path the folder, or {@code null} for a dataset name
 * @param dataset the named dataset, or {@code null}
 * @param split the split of a name or of an IDX / CIFAR folder
 */
public record ImageSource(Kind kind, String argument, Path path, DatasetId dataset, Split split) {

    /** What an argument names. */
    public enum Kind {
        /** A dataset name found by the resolver. */
        DATASET,
        /** A folder of IDX image and label files. */
        IDX_FOLDER,
        /** A folder of CIFAR-10 binary batches. */
        CIFAR_FOLDER,
        /** A folder of PNG/JPEG images, flat or with class sub-folders. */
        IMAGE_FOLDER
    }

    /**
     * Resolves an argument.
     *
     * @param argument a dataset name (with optional {@code :train}/{@code :test}) or a folder
     * @param defaultSplit the split of a name or IDX/CIFAR folder without a suffix
     * @return the source
     * @throws IllegalArgumentException for an unknown split suffix
     * @throws NoSuchFileException when the argument is neither a known name nor an existing path
     *     (the reason lists the names)
     * @throws DatasetFormatException when the path is a file, or a folder holding no IDX files, no
     *     CIFAR-10 batches and no PNG/JPEG image
     * @throws IOException when the folder cannot be listed
     */
    public static ImageSource parse(String argument, Split defaultSplit) throws IOException {
        String lower = argument.trim().toLowerCase(Locale.ROOT);
        int colon = lower.lastIndexOf(':');
        Optional<DatasetId> id = datasetId(colon > 0 ? lower.substring(0, colon) : lower);
        if (id.isPresent()) {
            Split split = colon > 0 ? split(argument, lower.substring(colon + 1)) : defaultSplit;
            return new ImageSource(Kind.DATASET, argument, null, id.get(), split);
        }
        Path p = Path.of(argument);
        if (!Files.exists(p)) {
            throw new NoSuchFileException(argument, null, "no such file or directory, and not a dataset name ("
                    + knownNames() + ", each with an optional :train or :test)");
        }
        if (!Files.isDirectory(p)) {
            throw new DatasetFormatException(p, "is a file; expected a dataset name (" + knownNames()
                    + ") or a folder: of IDX files, of CIFAR-10 batches, of PNG/JPEG images, or of one sub-folder of"
                    + " images per class");
        }
        if (Files.isRegularFile(p.resolve(Cifar10Reader.TEST_FILE))
                || Files.isRegularFile(p.resolve("cifar-10-batches-bin").resolve(Cifar10Reader.TEST_FILE))) {
            return new ImageSource(Kind.CIFAR_FOLDER, argument, p, null, defaultSplit);
        }
        if (DatasetResolver.findIdx(p, "train", "images-idx3-ubyte").isPresent()
                || DatasetResolver.findIdx(p, "t10k", "images-idx3-ubyte").isPresent()) {
            return new ImageSource(Kind.IDX_FOLDER, argument, p, null, defaultSplit);
        }
        if (ImageFolderReader.holdsImages(p)) {
            return new ImageSource(Kind.IMAGE_FOLDER, argument, p, null, null);
        }
        throw new DatasetFormatException(p, "holds no image data: expected IDX files (train-images-idx3-ubyte[.gz], "
                + "t10k-*), CIFAR-10 batches (" + Cifar10Reader.TEST_FILE + "), PNG/JPEG images, or one sub-folder of "
                + "PNG/JPEG images per class");
    }

    /**
     * @param name a lower-case name
     * @return the dataset it names: a {@link DatasetId}'s directory name, system directory name or
     *     constant (any case), or the alias {@code fmnist}
     */
    public static Optional<DatasetId> datasetId(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        if (n.equals("fmnist")) {
            return Optional.of(DatasetId.FASHION_MNIST);
        }
        for (DatasetId id : DatasetId.values()) {
            if (n.equals(id.directoryName()) || id.systemDirectoryNames().contains(n)
                    || n.equals(id.name().toLowerCase(Locale.ROOT))) {
                return Optional.of(id);
            }
        }
        return Optional.empty();
    }

    private static Split split(String argument, String suffix) {
        return switch (suffix) {
            case "train" -> Split.TRAIN;
            case "test" -> Split.TEST;
            default -> throw new IllegalArgumentException(argument + ": unknown split '" + suffix
                    + "', expected train or test");
        };
    }

    private static String knownNames() {
        return Arrays.stream(DatasetId.values()).map(DatasetId::directoryName).collect(Collectors.joining(", "));
    }

    /** @return whether the source has train and test splits (not so an image folder) */
    public boolean hasSplits() {
        return kind != Kind.IMAGE_FOLDER;
    }

    /**
     * @param other the split wanted
     * @return this source with another split (an image folder is returned as it is)
     */
    public ImageSource withSplit(Split other) {
        return hasSplits() ? new ImageSource(kind, argument, path, dataset, other) : this;
    }

    /**
     * @return a name for reports: {@code fashion-mnist/test}, or the folder as given (with the split
     *     of an IDX or CIFAR folder)
     */
    public String name() {
        String s = split == null ? "" : split.name().toLowerCase(Locale.ROOT);
        return switch (kind) {
            case DATASET -> dataset.directoryName() + "/" + s;
            case IDX_FOLDER, CIFAR_FOLDER -> path + " (" + s + ")";
            case IMAGE_FOLDER -> path.toString();
        };
    }

    /**
     * Reads the images, as they are.
     *
     * @param resolver finds named datasets
     * @return the dataset
     * @throws IOException when something is missing or does not decode (the message names the file)
     */
    public ImageDataset read(DatasetResolver resolver) throws IOException {
        return read(resolver, ImageTransform.identity(), 0L);
    }

    /**
     * Reads the images, applying {@code load} to every one (for an image folder, as each file is
     * decoded, so that files of different sizes can be brought to one).
     *
     * @param resolver finds named datasets
     * @param load the read-time transform, e.g. {@link ImagePreprocessing#load()}
     * @param seed the seed of random steps of {@code load}
     * @return the dataset
     * @throws IOException when something is missing or does not decode (the message names the file)
     */
    public ImageDataset read(DatasetResolver resolver, ImageTransform load, long seed) throws IOException {
        ImageDataset raw;
        switch (kind) {
            case DATASET -> raw = resolver.load(dataset, split);
            case CIFAR_FOLDER -> {
                Path dir = Files.isRegularFile(path.resolve(Cifar10Reader.TEST_FILE)) ? path
                        : path.resolve("cifar-10-batches-bin");
                raw = Cifar10Reader.readDirectory(dir, split);
            }
            case IDX_FOLDER -> raw = readIdx();
            default -> {
                return ImageFolderReader.read(path, load, seed);
            }
        }
        try {
            return raw.transform(load, seed);
        } catch (IllegalArgumentException e) {
            throw new DatasetFormatException(path == null ? Path.of(argument) : path, e.getMessage(), e);
        }
    }

    private ImageDataset readIdx() throws IOException {
        String prefix = split == Split.TRAIN ? "train" : "t10k";
        Optional<Path> images = DatasetResolver.findIdx(path, prefix, "images-idx3-ubyte");
        Optional<Path> labels = DatasetResolver.findIdx(path, prefix, "labels-idx1-ubyte");
        if (images.isEmpty() || labels.isEmpty()) {
            throw new DatasetFormatException(path, "has no " + prefix + "-images-idx3-ubyte[.gz] and "
                    + prefix + "-labels-idx1-ubyte[.gz] for the " + split.name().toLowerCase(Locale.ROOT) + " split");
        }
        int max = Arrays.stream(IdxReader.readLabels(labels.get())).max().orElse(0);
        List<String> names = new ArrayList<>();
        for (int k = 0; k <= Math.max(1, max); k++) {
            names.add(Integer.toString(k));
        }
        return IdxReader.read(images.get(), labels.get(), name(), names, 0, 0);
    }
}
