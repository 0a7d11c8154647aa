package io.gen4j.core.data;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * Writes grayscale {@link ImageDataset}s as IDX files (the format {@link IdxReader} reads), raw or
 * gzip-compressed. Used to export subsets (the committed Fashion-MNIST test fixture was made with
 * it) and by tests that need files in the real format.
 */
public final class IdxWriter {

    private IdxWriter() {}

    /**
     * Writes the images of a grayscale dataset.
     *
     * @param dataset a dataset with one channel
     * @param file the destination
     * @param gzip whether to gzip-compress
     * @throws IOException when writing fails
     */
    public static void writeImages(ImageDataset dataset, Path file, boolean gzip)
            throws IOException {
        if (dataset.channels() != 1) {
            throw new IllegalArgumentException(
                    "IDX images are grayscale: channels must be 1, got " + dataset.channels());
        }
        try (DataOutputStream out = open(file, gzip)) {
            out.writeInt(IdxReader.IMAGES_MAGIC);
            out.writeInt(dataset.size());
            out.writeInt(dataset.height());
            out.writeInt(dataset.width());
            out.write(dataset.pixelBytes());
        }
    }

    /**
     * Writes the labels of a dataset (each must be below 256).
     *
     * @param dataset the dataset
     * @param file the destination
     * @param gzip whether to gzip-compress
     * @throws IOException when writing fails
     */
    public static void writeLabels(ImageDataset dataset, Path file, boolean gzip)
            throws IOException {
        if (dataset.numClasses() > 256) {
            throw new IllegalArgumentException(
                    "IDX labels are bytes: at most 256 classes, got " + dataset.numClasses());
        }
        try (DataOutputStream out = open(file, gzip)) {
            out.writeInt(IdxReader.LABELS_MAGIC);
            out.writeInt(dataset.size());
            for (int label : dataset.labels()) {
                out.writeByte(label);
            }
        }
    }

    private static DataOutputStream open(Path file, boolean gzip) throws IOException {
        OutputStream raw = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
        return new DataOutputStream(gzip ? new GZIPOutputStream(raw, 1 << 16) : raw);
    }
}
