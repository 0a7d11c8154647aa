package io.gen4j.core.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads the IDX files of MNIST and Fashion-MNIST (LeCun et al. 1998; Xiao et al. 2017), raw or
 * gzip-compressed (detected by the gzip magic {@code 0x1f8b}, not by the file name).
 *
 * <p>Format: a big-endian header, the magic {@code 0x000008DD} (type 0x08 = unsigned byte, DD =
 * number of dimensions), then one 32-bit size per dimension, then the bytes. Images are {@code
 * 0x00000803} (count, rows, columns), labels {@code 0x00000801} (count). Every inconsistency (bad
 * magic, a body shorter or longer than the header says, images and labels of different counts, a
 * label outside the class list) raises a {@link DatasetFormatException} naming the file.
 */
public final class IdxReader {

    /** Magic number of an IDX file of unsigned-byte images (3 dimensions). */
    public static final int IMAGES_MAGIC = 0x00000803;

    /** Magic number of an IDX file of unsigned-byte labels (1 dimension). */
    public static final int LABELS_MAGIC = 0x00000801;

    private IdxReader() {}

    /**
     * The pixels of an IDX image file.
     *
     * @param count number of images
     * @param rows image height
     * @param columns image width
     * @param pixels {@code count * rows * columns} bytes, row-major
     */
    public record IdxImages(int count, int rows, int columns, byte[] pixels) {}

    /**
     * Reads an image file.
     *
     * @param file the {@code *-images-idx3-ubyte[.gz]} file
     * @return the images
     * @throws DatasetFormatException when the content is not a valid IDX image file
     * @throws IOException when the file cannot be read
     */
    public static IdxImages readImages(Path file) throws IOException {
        byte[] bytes = readAll(file);
        checkMagic(file, bytes, IMAGES_MAGIC, "images");
        if (bytes.length < 16) {
            throw new DatasetFormatException(
                    file, "truncated header: " + bytes.length + " bytes, an image file needs 16");
        }
        int count = readInt(bytes, 4);
        int rows = readInt(bytes, 8);
        int columns = readInt(bytes, 12);
        if (count < 0 || rows < 1 || columns < 1) {
            throw new DatasetFormatException(
                    file,
                    "invalid dimensions count=" + count + ", rows=" + rows + ", columns="
                            + columns);
        }
        long body = (long) count * rows * columns;
        checkLength(file, bytes.length, 16, body, count + " images of " + rows + "x" + columns);
        byte[] pixels = new byte[(int) body];
        System.arraycopy(bytes, 16, pixels, 0, pixels.length);
        return new IdxImages(count, rows, columns, pixels);
    }

    /**
     * Reads a label file.
     *
     * @param file the {@code *-labels-idx1-ubyte[.gz]} file
     * @return the labels, each in [0, 255]
     * @throws DatasetFormatException when the content is not a valid IDX label file
     * @throws IOException when the file cannot be read
     */
    public static int[] readLabels(Path file) throws IOException {
        byte[] bytes = readAll(file);
        checkMagic(file, bytes, LABELS_MAGIC, "labels");
        if (bytes.length < 8) {
            throw new DatasetFormatException(
                    file, "truncated header: " + bytes.length + " bytes, a label file needs 8");
        }
        int count = readInt(bytes, 4);
        if (count < 0) {
            throw new DatasetFormatException(file, "invalid label count " + count);
        }
        checkLength(file, bytes.length, 8, count, count + " labels");
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = bytes[8 + i] & 0xFF;
        }
        return labels;
    }

    /**
     * Reads a pair of image and label files into a grayscale dataset, checking that the counts agree,
     * that the image size is the expected one (when given) and that every label names a class.
     *
     * @param imagesFile the image file
     * @param labelsFile the label file
     * @param name the dataset name
     * @param classNames the class names (labels must be below their count)
     * @param expectedRows the expected image height, or 0 to accept any
     * @param expectedColumns the expected image width, or 0 to accept any
     * @return the dataset, 1 x rows x columns images
     * @throws DatasetFormatException when a file is invalid or the two disagree
     * @throws IOException when a file cannot be read
     */
    public static ImageDataset read(
            Path imagesFile,
            Path labelsFile,
            String name,
            List<String> classNames,
            int expectedRows,
            int expectedColumns)
            throws IOException {
        IdxImages images = readImages(imagesFile);
        int[] labels = readLabels(labelsFile);
        if (images.count() != labels.length) {
            throw new DatasetFormatException(
                    imagesFile,
                    "holds "
                            + images.count()
                            + " images but the label file "
                            + labelsFile
                            + " holds "
                            + labels.length
                            + " labels");
        }
        if ((expectedRows > 0 && images.rows() != expectedRows)
                || (expectedColumns > 0 && images.columns() != expectedColumns)) {
            throw new DatasetFormatException(
                    imagesFile,
                    "images are "
                            + images.rows()
                            + "x"
                            + images.columns()
                            + ", expected "
                            + expectedRows
                            + "x"
                            + expectedColumns);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] >= classNames.size()) {
                throw new DatasetFormatException(
                        labelsFile,
                        "label of example "
                                + i
                                + " is "
                                + labels[i]
                                + ", must be in [0, "
                                + classNames.size()
                                + ")");
            }
        }
        return new ImageDataset(
                name, 1, images.rows(), images.columns(), images.pixels(), labels, classNames);
    }

    /**
     * Reads a whole file, decompressing it when it starts with the gzip magic {@code 0x1f8b}.
     *
     * @param file the file
     * @return its (decompressed) bytes
     * @throws IOException when reading fails; a corrupt or truncated gzip stream becomes a {@link
     *     DatasetFormatException}
     */
    static byte[] readAll(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new java.nio.file.NoSuchFileException(file.toString(), null, "not a regular file");
        }
        byte[] head = new byte[2];
        int headLength;
        try (InputStream in = Files.newInputStream(file)) {
            headLength = in.readNBytes(head, 0, 2);
        }
        boolean gzip = headLength == 2 && (head[0] & 0xFF) == 0x1f && (head[1] & 0xFF) == 0x8b;
        if (!gzip) {
            return Files.readAllBytes(file);
        }
        try (InputStream in =
                new GZIPInputStream(
                        new BufferedInputStream(Files.newInputStream(file), 1 << 16), 1 << 16)) {
            return in.readAllBytes();
        } catch (EOFException e) {
            throw new DatasetFormatException(file, "truncated gzip stream: " + e.getMessage(), e);
        } catch (ZipException e) {
            throw new DatasetFormatException(file, "corrupt gzip stream: " + e.getMessage(), e);
        }
    }

    private static void checkMagic(Path file, byte[] bytes, int expected, String what)
            throws DatasetFormatException {
        if (bytes.length < 4) {
            throw new DatasetFormatException(
                    file, "too short for an IDX header: " + bytes.length + " bytes");
        }
        int magic = readInt(bytes, 0);
        if (magic != expected) {
            throw new DatasetFormatException(
                    file,
                    String.format(
                            "bad magic 0x%08x, an IDX %s file starts with 0x%08x%s",
                            magic,
                            what,
                            expected,
                            magic == IMAGES_MAGIC || magic == LABELS_MAGIC
                                    ? " (images and labels swapped?)"
                                    : ""));
        }
    }

    private static void checkLength(
            Path file, long actual, int header, long body, String description)
            throws DatasetFormatException {
        long expected = header + body;
        if (actual < expected) {
            throw new DatasetFormatException(
                    file,
                    "truncated: the header announces "
                            + description
                            + " ("
                            + expected
                            + " bytes) but the file has "
                            + actual
                            + " bytes");
        }
        if (actual > expected) {
            throw new DatasetFormatException(
                    file,
                    "wrong length: the header announces "
                            + description
                            + " ("
                            + expected
                            + " bytes) but the file has "
                            + actual
                            + " bytes");
        }
        if (expected > Integer.MAX_VALUE - 8) {
            throw new DatasetFormatException(file, "too large: " + expected + " bytes");
        }
    }

    private static int readInt(byte[] b, int offset) {
        return ((b[offset] & 0xFF) << 24)
                | ((b[offset + 1] & 0xFF) << 16)
                | ((b[offset + 2] & 0xFF) << 8)
                | (b[offset + 3] & 0xFF);
    }
}
