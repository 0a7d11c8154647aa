package io.gen4j.core.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the binary version of CIFAR-10 (Krizhevsky 2009): {@code data_batch_1.bin} ...
 * {@code data_batch_5.bin} (training, 50 000 images) and {@code test_batch.bin} (10 000 images),
 * with class names from {@code batches.meta.txt} when present.
 *
 * <p>A batch file is a sequence of 3073-byte records: one label byte in [0, 9], then 3072 pixel
 * bytes, the 32x32 red plane, then green, then blue, each row-major, which is already the
 * C x H x W order of {@link ImageDataset}. A length that is not a multiple of 3073 or a label above
 * 9 raises a {@link DatasetFormatException} naming the file.
 */
public final class Cifar10Reader {

    /** Image side. */
    public static final int SIZE = 32;

    /** Bytes of one record: 1 label + 3 x 32 x 32 pixels. */
    public static final int RECORD_BYTES = 1 + 3 * SIZE * SIZE;

    /** The class names of CIFAR-10, index = label. */
    public static final List<String> CLASS_NAMES =
            List.of(
                    "airplane",
                    "automobile",
                    "bird",
                    "cat",
                    "deer",
                    "dog",
                    "frog",
                    "horse",
                    "ship",
                    "truck");

    /** Name of the training batch files, in order. */
    public static final List<String> TRAIN_FILES =
            List.of(
                    "data_batch_1.bin",
                    "data_batch_2.bin",
                    "data_batch_3.bin",
                    "data_batch_4.bin",
                    "data_batch_5.bin");

    /** Name of the test batch file. */
    public static final String TEST_FILE = "test_batch.bin";

    /** Name of the class-name file. */
    public static final String META_FILE = "batches.meta.txt";

    private Cifar10Reader() {}

    /**
     * Reads one or more batch files into one dataset, in the given order.
     *
     * @param files the batch files
     * @param name the dataset name
     * @param classNames the class names (10 of them)
     * @return the dataset, 3 x 32 x 32 images
     * @throws DatasetFormatException when a file is not a valid CIFAR-10 batch
     * @throws IOException when a file cannot be read
     */
    public static ImageDataset readBatches(List<Path> files, String name, List<String> classNames)
            throws IOException {
        if (classNames.size() != CLASS_NAMES.size()) {
            throw new IllegalArgumentException(
                    "CIFAR-10 has 10 classes, got " + classNames.size() + " names");
        }
        List<byte[]> contents = new ArrayList<>();
        long records = 0;
        for (Path file : files) {
            byte[] bytes = IdxReader.readAll(file);
            if (bytes.length == 0 || bytes.length % RECORD_BYTES != 0) {
                throw new DatasetFormatException(
                        file,
                        "length "
                                + bytes.length
                                + " is not a positive multiple of the record size "
                                + RECORD_BYTES
                                + " (1 label byte + 3072 pixel bytes): truncated or not a"
                                + " CIFAR-10 binary batch");
            }
            for (int offset = 0; offset < bytes.length; offset += RECORD_BYTES) {
                int label = bytes[offset] & 0xFF;
                if (label > 9) {
                    throw new DatasetFormatException(
                            file,
                            "record "
                                    + offset / RECORD_BYTES
                                    + " has label "
                                    + label
                                    + ", must be in [0, 9] (CIFAR-100 file?)");
                }
            }
            contents.add(bytes);
            records += bytes.length / RECORD_BYTES;
        }
        if (records * (RECORD_BYTES - 1) > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("too many records for one dataset: " + records);
        }
        int n = (int) records;
        int imageBytes = RECORD_BYTES - 1;
        byte[] pixels = new byte[n * imageBytes];
        int[] labels = new int[n];
        int k = 0;
        for (byte[] bytes : contents) {
            for (int offset = 0; offset < bytes.length; offset += RECORD_BYTES, k++) {
                labels[k] = bytes[offset] & 0xFF;
                System.arraycopy(bytes, offset + 1, pixels, k * imageBytes, imageBytes);
            }
        }
        return new ImageDataset(name, 3, SIZE, SIZE, pixels, labels, classNames);
    }

    /**
     * Reads a split from a {@code cifar-10-batches-bin} directory.
     *
     * @param directory the directory holding the batch files
     * @param split which files: the five training batches or the test batch
     * @return the dataset, named {@code cifar10/train} or {@code cifar10/test}
     * @throws IOException when a file is missing, unreadable or invalid
     */
    public static ImageDataset readDirectory(Path directory, Split split) throws IOException {
        List<Path> files = new ArrayList<>();
        for (String f : filesOf(split)) {
            Path p = directory.resolve(f);
            if (!Files.isRegularFile(p)) {
                throw new java.nio.file.NoSuchFileException(
                        p.toString(), null, "CIFAR-10 batch file missing");
            }
            files.add(p);
        }
        return readBatches(
                files,
                "cifar10/" + split.name().toLowerCase(java.util.Locale.ROOT),
                readClassNames(directory));
    }

    /**
     * The batch file names of a split.
     *
     * @param split the split
     * @return the file names
     */
    public static List<String> filesOf(Split split) {
        return split == Split.TRAIN ? TRAIN_FILES : List.of(TEST_FILE);
    }

    /**
     * The class names from {@code batches.meta.txt} (one per line, blank lines ignored), or {@link
     * #CLASS_NAMES} when the file is absent.
     *
     * @param directory the batch directory
     * @return ten names
     * @throws IOException when the file exists but does not list exactly ten names
     */
    public static List<String> readClassNames(Path directory) throws IOException {
        Path meta = directory.resolve(META_FILE);
        if (!Files.isRegularFile(meta)) {
            return CLASS_NAMES;
        }
        List<String> names = new ArrayList<>();
        for (String line : Files.readAllLines(meta, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                names.add(line.strip());
            }
        }
        if (names.size() != CLASS_NAMES.size()) {
            throw new DatasetFormatException(
                    meta, "lists " + names.size() + " class names, expected 10");
        }
        return names;
    }
}
