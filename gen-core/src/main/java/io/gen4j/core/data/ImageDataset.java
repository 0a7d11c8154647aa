package io.gen4j.core.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.data.transform.ByteImage;
import io.gen4j.core.data.transform.Compose;
import io.gen4j.core.data.transform.ImageTransform;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A labelled image dataset held in memory as 8-bit pixels, the common currency of the readers
 * (IDX, CIFAR binary, image folders, DJL basicdataset).
 *
 * <p>Pixels are stored row-major as {@code N x C x H x W} unsigned bytes (70 000 MNIST images take
 * 55 MB), labels as ints in {@code [0, classNames.size())}. Conversion to floats happens only at the
 * boundary: {@link #toNDArray(NDManager, PixelRange)} for evaluation sets and {@link
 * #batches(int, long, boolean, PixelRange)} for training. Instances are immutable.
 */
public final class ImageDataset {

    private final String name;
    private final int channels;
    private final int height;
    private final int width;
    private final byte[] pixels;
    private final int[] labels;
    private final List<String> classNames;

    /**
     * Creates a dataset; the arrays are taken as they are (not copied) and must not be changed by the
     * caller afterwards.
     *
     * @param name a short name used in logs and reports, e.g. {@code "fashion-mnist/test"}
     * @param channels 1 (grayscale) or 3 (RGB)
     * @param height image height, at least 1
     * @param width image width, at least 1
     * @param pixels {@code N * C * H * W} bytes, N x C x H x W order
     * @param labels N labels, each in {@code [0, classNames.size())}
     * @param classNames the class names, at least one
     */
    public ImageDataset(
            String name,
            int channels,
            int height,
            int width,
            byte[] pixels,
            int[] labels,
            List<String> classNames) {
        this.name = Objects.requireNonNull(name, "name");
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
        }
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException(
                    "height and width must be >= 1, got " + height + "x" + width);
        }
        Objects.requireNonNull(pixels, "pixels");
        Objects.requireNonNull(labels, "labels");
        if (classNames == null || classNames.isEmpty()) {
            throw new IllegalArgumentException("classNames must hold at least one name");
        }
        long expected = (long) labels.length * channels * height * width;
        if (pixels.length != expected) {
            throw new IllegalArgumentException(
                    "pixels must hold N*C*H*W = "
                            + labels.length
                            + "*"
                            + channels
                            + "*"
                            + height
                            + "*"
                            + width
                            + " = "
                            + expected
                            + " bytes, got "
                            + pixels.length);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classNames.size()) {
                throw new IllegalArgumentException(
                        "label of example "
                                + i
                                + " must be in [0, "
                                + classNames.size()
                                + "), got "
                                + labels[i]);
            }
        }
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.pixels = pixels;
        this.labels = labels;
        this.classNames = List.copyOf(classNames);
    }

    /** @return the dataset name */
    public String name() {
        return name;
    }

    /** @return the number of examples N */
    public int size() {
        return labels.length;
    }

    /** @return the number of channels C (1 or 3) */
    public int channels() {
        return channels;
    }

    /** @return the image height H */
    public int height() {
        return height;
    }

    /** @return the image width W */
    public int width() {
        return width;
    }

    /** @return {@code C * H * W}, the number of bytes of one image */
    public int imageSize() {
        return channels * height * width;
    }

    /** @return the class names, index = label */
    public List<String> classNames() {
        return classNames;
    }

    /** @return the number of classes */
    public int numClasses() {
        return classNames.size();
    }

    /**
     * @param index the example index in {@code [0, size())}
     * @return its label
     */
    public int label(int index) {
        checkIndex(index);
        return labels[index];
    }

    /** @return a copy of all labels */
    public int[] labels() {
        return labels.clone();
    }

    /**
     * @param index the example index
     * @param c the channel
     * @param y the row
     * @param x the column
     * @return the pixel value in [0, 255]
     */
    public int pixel(int index, int c, int y, int x) {
        checkIndex(index);
        if (c < 0 || c >= channels || y < 0 || y >= height || x < 0 || x >= width) {
            throw new IndexOutOfBoundsException(
                    "pixel (c="
                            + c
                            + ", y="
                            + y
                            + ", x="
                            + x
                            + ") outside "
                            + channels
                            + "x"
                            + height
                            + "x"
                            + width);
        }
        return pixels[(int) ((long) index * imageSize() + ((long) c * height + y) * width + x)]
                & 0xFF;
    }

    /**
     * @param index the example index
     * @return a copy of the image's {@code C * H * W} bytes
     */
    public byte[] imageBytes(int index) {
        checkIndex(index);
        int n = imageSize();
        return Arrays.copyOfRange(pixels, index * n, index * n + n);
    }

    /** @return a copy of all pixel bytes, N x C x H x W */
    public byte[] pixelBytes() {
        return pixels.clone();
    }

    /**
     * The examples {@code [from, to)} as a new dataset (the first 500 test images, say).
     *
     * @param from first index, inclusive
     * @param to last index, exclusive
     * @return the subset
     */
    public ImageDataset subset(int from, int to) {
        if (from < 0 || to > size() || from > to) {
            throw new IllegalArgumentException(
                    "subset range must satisfy 0 <= from <= to <= " + size() + ", got [" + from
                            + ", " + to + ")");
        }
        int n = imageSize();
        return new ImageDataset(
                name,
                channels,
                height,
                width,
                Arrays.copyOfRange(pixels, from * n, to * n),
                Arrays.copyOfRange(labels, from, to),
                classNames);
    }

    /**
     * The given examples, in the given order, as a new dataset.
     *
     * @param indices example indices (repetitions allowed)
     * @return the subset
     */
    public ImageDataset subset(int[] indices) {
        int n = imageSize();
        byte[] p = new byte[indices.length * n];
        int[] l = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            checkIndex(indices[k]);
            System.arraycopy(pixels, indices[k] * n, p, k * n, n);
            l[k] = labels[indices[k]];
        }
        return new ImageDataset(name, channels, height, width, p, l, classNames);
    }

    /**
     * The examples whose label is {@code label} (for class-conditional evaluation).
     *
     * @param label a label in {@code [0, numClasses())}
     * @return the subset, possibly empty
     */
    public ImageDataset ofClass(int label) {
        if (label < 0 || label >= numClasses()) {
            throw new IllegalArgumentException(
                    "label must be in [0, " + numClasses() + "), got " + label);
        }
        return subset(java.util.stream.IntStream.range(0, size())
                .filter(i -> labels[i] == label)
                .toArray());
    }

    /**
     * Pads every image to {@code newHeight x newWidth} with a constant border, centred (the extra
     * row or column of an odd difference goes to the bottom or right). Used to bring 28x28 MNIST to
     * the 32x32 a U-Net with three down-samplings needs.
     *
     * @param newHeight the new height, at least {@link #height()}
     * @param newWidth the new width, at least {@link #width()}
     * @param value the border pixel value in [0, 255] (0 is black, the MNIST background)
     * @return the padded dataset
     */
    public ImageDataset padTo(int newHeight, int newWidth, int value) {
        if (newHeight < height || newWidth < width) {
            throw new IllegalArgumentException(
                    "padTo size must be at least "
                            + height
                            + "x"
                            + width
                            + ", got "
                            + newHeight
                            + "x"
                            + newWidth);
        }
        if (value < 0 || value > 255) {
            throw new IllegalArgumentException("pad value must be in [0, 255], got " + value);
        }
        int top = (newHeight - height) / 2;
        int left = (newWidth - width) / 2;
        int newSize = channels * newHeight * newWidth;
        byte[] out = new byte[size() * newSize];
        if (value != 0) {
            Arrays.fill(out, (byte) value);
        }
        int oldSize = imageSize();
        for (int i = 0; i < size(); i++) {
            for (int c = 0; c < channels; c++) {
                for (int y = 0; y < height; y++) {
                    System.arraycopy(
                            pixels,
                            i * oldSize + (c * height + y) * width,
                            out,
                            i * newSize + (c * newHeight + y + top) * newWidth + left,
                            width);
                }
            }
        }
        return new ImageDataset(name, channels, newHeight, newWidth, out, labels, classNames);
    }

    /**
     * @param index the example index
     * @return the image as a {@link ByteImage} (a copy of its bytes)
     */
    public ByteImage image(int index) {
        return new ByteImage(channels, height, width, imageBytes(index));
    }

    /**
     * Builds a dataset from separate images, which must share one shape.
     *
     * @param name the dataset name
     * @param images the images, at least one
     * @param labels one label per image
     * @param classNames the class names
     * @return the dataset
     * @throws IllegalArgumentException naming the first image whose shape differs from image 0
     */
    public static ImageDataset of(String name, List<ByteImage> images, int[] labels, List<String> classNames) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("a dataset needs at least one image");
        }
        if (labels.length != images.size()) {
            throw new IllegalArgumentException(images.size() + " images but " + labels.length + " labels");
        }
        ByteImage first = images.get(0);
        int n = first.pixels().length;
        byte[] pixels = new byte[images.size() * n];
        for (int i = 0; i < images.size(); i++) {
            ByteImage im = images.get(i);
            if (im.channels() != first.channels() || im.height() != first.height() || im.width() != first.width()) {
                throw new IllegalArgumentException("image " + i + " is " + im.shapeText() + " (C x H x W) but image 0 is "
                        + first.shapeText() + ": all images of a dataset must have one shape");
            }
            System.arraycopy(im.pixels(), 0, pixels, i * n, n);
        }
        return new ImageDataset(name, first.channels(), first.height(), first.width(), pixels, labels.clone(),
                classNames);
    }

    /**
     * Applies a transform to every image (labels and class names are kept). Image {@code i} draws its
     * random choices from {@link ImageTransform#randomFor ImageTransform.randomFor(seed, i)}, so the result depends only on the
     * seed; every output must have the shape of the first.
     *
     * @param transform the transform, e.g. {@code Compose.of(new Resize(32), new CenterCrop(32))}
     * @param seed the seed of random steps
     * @return the transformed dataset ({@code this} when the transform is the identity)
     * @throws IllegalArgumentException when a step refuses an image or the outputs differ in shape
     *     (the message names the example)
     */
    public ImageDataset transform(ImageTransform transform, long seed) {
        if (transform instanceof Compose c && c.isIdentity()) {
            return this;
        }
        List<ByteImage> out = new java.util.ArrayList<>(size());
        for (int i = 0; i < size(); i++) {
            try {
                out.add(transform.apply(image(i), ImageTransform.randomFor(seed, i)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + " example " + i + ": " + e.getMessage(), e);
            }
        }
        return of(name, out, labels, classNames);
    }

    /**
     * Writes the given images as floats into {@code out}, N x C x H x W order.
     *
     * @param indices example indices
     * @param range how pixels map to floats
     * @param out the destination, at least {@code indices.length * imageSize()} long
     */
    public void copyFloats(int[] indices, PixelRange range, float[] out) {
        int n = imageSize();
        if (out.length < (long) indices.length * n) {
            throw new IllegalArgumentException(
                    "out must hold " + (long) indices.length * n + " floats, got " + out.length);
        }
        for (int k = 0; k < indices.length; k++) {
            checkIndex(indices[k]);
            int src = indices[k] * n;
            int dst = k * n;
            for (int j = 0; j < n; j++) {
                out[dst + j] = range.tableValue(pixels[src + j]);
            }
        }
    }

    /**
     * All images as one float32 array of shape (N, C, H, W).
     *
     * @param manager the manager that will own the array
     * @param range how pixels map to floats
     * @return the images
     */
    public NDArray toNDArray(NDManager manager, PixelRange range) {
        return toNDArray(manager, java.util.stream.IntStream.range(0, size()).toArray(), range);
    }

    /**
     * Some images as one float32 array of shape (len(indices), C, H, W).
     *
     * @param manager the manager that will own the array
     * @param indices example indices
     * @param range how pixels map to floats
     * @return the images
     */
    public NDArray toNDArray(NDManager manager, int[] indices, PixelRange range) {
        float[] buf = new float[indices.length * imageSize()];
        copyFloats(indices, range, buf);
        return manager.create(buf, new Shape(indices.length, channels, height, width));
    }

    /**
     * All labels as an int32 array of shape (N), the form {@code Condition.labels} expects.
     *
     * @param manager the manager that will own the array
     * @return the labels
     */
    public NDArray labelsToNDArray(NDManager manager) {
        return manager.create(labels.clone(), new Shape(labels.length));
    }

    /**
     * An endless, seeded, reshuffled-every-epoch stream of (images, labels) batches.
     *
     * @param batchSize examples per batch
     * @param seed the shuffling seed
     * @param dropLast whether the last, smaller batch of each epoch is skipped
     * @param range how pixels map to floats
     * @return the batch source
     */
    public ShuffledBatches batches(int batchSize, long seed, boolean dropLast, PixelRange range) {
        return new ShuffledBatches(this, new BatchOrder(size(), batchSize, seed, dropLast), range);
    }

    private void checkIndex(int index) {
        if (index < 0 || index >= size()) {
            throw new IndexOutOfBoundsException(
                    "example index must be in [0, " + size() + "), got " + index);
        }
    }

    @Override
    public String toString() {
        return name + " (" + size() + " images " + channels + "x" + height + "x" + width + ", "
                + numClasses() + " classes)";
    }
}
