package io.gen4j.core.data;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/** Writes small files in the real IDX and CIFAR formats, by hand (independently of IdxWriter). */
final class DataFixtures {

    private DataFixtures() {}

    static byte[] idxImages(int magic, int count, int rows, int cols, byte[] pixels)
            throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(magic);
        out.writeInt(count);
        out.writeInt(rows);
        out.writeInt(cols);
        out.write(pixels);
        return bytes.toByteArray();
    }

    static byte[] idxLabels(int magic, int count, int[] labels) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(magic);
        out.writeInt(count);
        for (int l : labels) {
            out.writeByte(l);
        }
        return bytes.toByteArray();
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(raw);
        }
        return bytes.toByteArray();
    }

    static byte[] randomPixels(int n, long seed) {
        byte[] p = new byte[n];
        new Random(seed).nextBytes(p);
        return p;
    }

    static int[] randomLabels(int n, int classes, long seed) {
        Random r = new Random(seed);
        int[] l = new int[n];
        for (int i = 0; i < n; i++) {
            l[i] = r.nextInt(classes);
        }
        return l;
    }

    /** Writes a valid IDX pair (images, labels) with the standard names of a split prefix. */
    static void writeIdxPair(Path dir, String prefix, int count, int side, boolean gzip, long seed)
            throws IOException {
        Files.createDirectories(dir);
        byte[] images =
                idxImages(IdxReader.IMAGES_MAGIC, count, side, side, randomPixels(count * side * side, seed));
        byte[] labels = idxLabels(IdxReader.LABELS_MAGIC, count, randomLabels(count, 10, seed + 1));
        String suffix = gzip ? ".gz" : "";
        Files.write(dir.resolve(prefix + "-images-idx3-ubyte" + suffix), gzip ? gzip(images) : images);
        Files.write(dir.resolve(prefix + "-labels-idx1-ubyte" + suffix), gzip ? gzip(labels) : labels);
    }

    /** A CIFAR-10 binary batch of {@code n} records with the given labels. */
    static byte[] cifarBatch(int[] labels, long seed) {
        byte[] pixels = randomPixels(labels.length * 3072, seed);
        byte[] out = new byte[labels.length * 3073];
        for (int i = 0; i < labels.length; i++) {
            out[i * 3073] = (byte) labels[i];
            System.arraycopy(pixels, i * 3072, out, i * 3073 + 1, 3072);
        }
        return out;
    }

    /** Writes a full cifar-10-batches-bin directory with {@code perBatch} records per file. */
    static void writeCifarDirectory(Path dir, int perBatch, long seed) throws IOException {
        Files.createDirectories(dir);
        for (int b = 0; b < 5; b++) {
            Files.write(
                    dir.resolve("data_batch_" + (b + 1) + ".bin"),
                    cifarBatch(randomLabels(perBatch, 10, seed + b), seed + 10 + b));
        }
        Files.write(dir.resolve("test_batch.bin"), cifarBatch(randomLabels(perBatch, 10, seed + 7), seed + 20));
    }
}
