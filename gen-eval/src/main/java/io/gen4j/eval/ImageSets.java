package io.gen4j.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import io.gen4j.core.data.Cifar10Reader;
import io.gen4j.core.data.DatasetId;
import io.gen4j.core.data.DatasetResolver;
import io.gen4j.core.data.IdxReader;
import io.gen4j.core.data.ImageDataset;
import io.gen4j.core.data.PixelRange;
import io.gen4j.core.data.Split;
import io.gen4j.core.io.Npy;
import io.gen4j.core.io.Npz;
import io.gen4j.core.io.NumpyArray;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Reads image sets for evaluation: a folder of PNG files, a {@code .npy} or {@code .npz} of samples
 * (through gen-core's array-file readers), or an IDX file (MNIST / FashionMNIST format, optionally
 * gzipped).
 *
 * <p>Everything is converted to 8-bit NCHW; float arrays are quantised from the given gen-core
 * {@link PixelRange} with {@link PixelRange#toPixel(double)} (nearest level, clamped): {@code ZERO_ONE}
 * for [0, 1], {@code MINUS_ONE_ONE} for [−1, 1], {@code BYTE} for floats in [0, 255]. PNG folders are
 * read in file-name order, so a set is reproducible.
 */
public final class ImageSets {

    private ImageSets() {}

    /**
     * Reads a folder, {@code .npy}, {@code .npz} or IDX file, chosen by what the path is.
     *
     * @param path a directory of PNGs, a {@code .npy}, a {@code .npz}, or an IDX images file
     *     ({@code .gz} or raw)
     * @param floatRange range of float arrays in a {@code .npy} or {@code .npz}
     * @param manager scratch manager for converting {@code .npy} and {@code .npz} arrays
     * @return the images
     * @throws IOException when the path cannot be read or has no images
     */
    public static ImageSet read(Path path, PixelRange floatRange, NDManager manager) throws IOException {
        if (Files.isDirectory(path)) {
            return readPngFolder(path);
        }
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".npz")) {
            return readNpz(path, floatRange, manager);
        }
        if (name.endsWith(".npy")) {
            return readNpy(path, floatRange, manager);
        }
        if (name.contains("idx") || name.endsWith("-ubyte") || name.endsWith(".gz")) {
            return readIdx(path);
        }
        throw new IOException("cannot tell the format of " + path
                + ": expected a directory of PNGs, a .npy, a .npz, or an IDX file (*-ubyte[.gz])");
    }

    /**
     * @param dir a directory holding {@code *.png} files, all of the same size
     * @return the images, grayscale (C = 1) when every file is grayscale, RGB otherwise
     * @throws IOException when a file cannot be read or the sizes differ
     */
    public static ImageSet readPngFolder(Path dir) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png"))
                    .sorted().collect(Collectors.toList());
        }
        if (files.isEmpty()) {
            throw new IOException("no .png files in " + dir);
        }
        BufferedImage[] images = new BufferedImage[files.size()];
        boolean allGray = true;
        for (int i = 0; i < images.length; i++) {
            images[i] = ImageIO.read(files.get(i).toFile());
            if (images[i] == null) {
                throw new IOException("not a readable PNG: " + files.get(i));
            }
            int type = images[i].getType();
            allGray &= type == BufferedImage.TYPE_BYTE_GRAY;
        }
        int h = images[0].getHeight();
        int w = images[0].getWidth();
        int c = allGray ? 1 : 3;
        byte[] pixels = new byte[images.length * c * h * w];
        for (int n = 0; n < images.length; n++) {
            BufferedImage img = images[n];
            if (img.getHeight() != h || img.getWidth() != w) {
                throw new IOException(files.get(n) + " is " + img.getWidth() + "x" + img.getHeight()
                        + ", expected " + w + "x" + h + " like " + files.get(0));
            }
            int base = n * c * h * w;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    if (allGray) {
                        pixels[base + y * w + x] = (byte) img.getRaster().getSample(x, y, 0);
                    } else {
                        int rgb = img.getRGB(x, y);
                        pixels[base + y * w + x] = (byte) (rgb >> 16);
                        pixels[base + h * w + y * w + x] = (byte) (rgb >> 8);
                        pixels[base + 2 * h * w + y * w + x] = (byte) rgb;
                    }
                }
            }
        }
        return new ImageSet(images.length, c, h, w, pixels);
    }

    /**
     * Reads the first array of a {@code .npz} (e.g. {@code arr_0} of guided-diffusion / StyleGAN
     * sample files) with gen-core's {@link Npz} reader. Layouts (N, H, W), (N, H, W, C) and
     * (N, C, H, W) with C in {1, 3} are accepted; uint8 arrays are taken as they are, float arrays
     * are quantised from {@code floatRange}.
     *
     * @param file the {@code .npz}
     * @param floatRange range of float arrays
     * @param manager scratch manager for converting the array
     * @return the images
     * @throws IOException when the file cannot be decoded or has an unsupported shape; a
     *     {@link io.gen4j.core.data.DatasetFormatException} naming the file when it is not a valid
     *     {@code .npz}
     */
    public static ImageSet readNpz(Path file, PixelRange floatRange, NDManager manager) throws IOException {
        List<String> names = Npz.names(file);
        if (names.isEmpty()) {
            throw new IOException("no arrays in " + file);
        }
        return fromArray(Npz.readArray(file, names.get(0)), file, floatRange, manager);
    }

    /**
     * Reads a {@code .npy} of images (e.g. written by gen-core's {@code ArrayFiles.writeImages} or
     * {@code NpyWriter}) with gen-core's {@link Npy} reader; layouts and ranges as
     * {@link #readNpz}.
     *
     * @param file the {@code .npy}
     * @param floatRange range of float arrays
     * @param manager scratch manager for converting the array
     * @return the images
     * @throws IOException when the file cannot be decoded or has an unsupported shape
     */
    public static ImageSet readNpy(Path file, PixelRange floatRange, NDManager manager) throws IOException {
        return fromArray(Npy.read(file), file, floatRange, manager);
    }

    private static ImageSet fromArray(NumpyArray array, Path file, PixelRange floatRange, NDManager manager)
            throws IOException {
        try (NDManager scope = manager.newSubManager()) {
            NDArray a = array.toNDArray(scope);
            Shape s = a.getShape();
            int n;
            int c;
            int h;
            int w;
            boolean channelsLast;
            if (s.dimension() == 3) {
                n = (int) s.get(0);
                c = 1;
                h = (int) s.get(1);
                w = (int) s.get(2);
                channelsLast = false;
            } else if (s.dimension() == 4 && (s.get(3) == 1 || s.get(3) == 3) && s.get(1) != 1 && s.get(1) != 3) {
                n = (int) s.get(0);
                h = (int) s.get(1);
                w = (int) s.get(2);
                c = (int) s.get(3);
                channelsLast = true;
            } else if (s.dimension() == 4 && (s.get(1) == 1 || s.get(1) == 3)) {
                n = (int) s.get(0);
                c = (int) s.get(1);
                h = (int) s.get(2);
                w = (int) s.get(3);
                channelsLast = false;
            } else {
                throw new IOException("unsupported image array shape " + s + " in " + file
                        + ": expected (N,H,W), (N,H,W,C) or (N,C,H,W) with C in {1,3}");
            }
            NDArray nchw = channelsLast ? a.transpose(0, 3, 1, 2) : a;
            byte[] pixels = new byte[n * c * h * w];
            if (a.getDataType() == DataType.UINT8) {
                byte[] raw = nchw.toType(DataType.UINT8, true).toByteArray();
                System.arraycopy(raw, 0, pixels, 0, pixels.length);
            } else {
                double[] v = nchw.toType(DataType.FLOAT64, true).toDoubleArray();
                for (int i = 0; i < v.length; i++) {
                    pixels[i] = (byte) floatRange.toPixel(v[i]);
                }
            }
            return new ImageSet(n, c, h, w, pixels);
        }
    }

    /**
     * Reads an IDX image file (magic 0x00000803, unsigned bytes, N×H×W), gzipped or raw, through
     * {@link IdxReader#readImages(Path)}.
     *
     * @param file e.g. {@code t10k-images-idx3-ubyte.gz}
     * @return grayscale images
     * @throws IOException when the file cannot be read; a {@link io.gen4j.core.data.DatasetFormatException}
     *     naming the file when it is not a valid IDX image file
     */
    public static ImageSet readIdx(Path file) throws IOException {
        IdxReader.IdxImages images = IdxReader.readImages(file);
        return new ImageSet(images.count(), 1, images.rows(), images.columns(), images.pixels());
    }

    /**
     * Locates the images of a FashionMNIST split with the project's resolver,
     * {@link DatasetResolver#defaults()} (explicit directory, {@code $GEN4J_FASHION_MNIST}, the user
     * cache, {@code /usr/share/datasets/fashion-mnist}).
     *
     * @param train true for the 60k training images, false for the 10k test images
     * @return the IDX file
     * @throws IOException a {@link io.gen4j.core.data.DatasetNotFoundException} naming every place
     *     tried when none has the split
     */
    public static Path fashionMnistImages(boolean train) throws IOException {
        return locateFashionMnist(train).files().get(0);
    }

    /**
     * Reads the labels of a FashionMNIST split found like {@link #fashionMnistImages(boolean)}.
     *
     * @param train true for the training labels
     * @return labels in [0, 10)
     * @throws IOException when not found or malformed
     */
    public static int[] fashionMnistLabels(boolean train) throws IOException {
        return readIdxLabels(locateFashionMnist(train).files().get(1));
    }

    private static DatasetResolver.Location locateFashionMnist(boolean train) throws IOException {
        return DatasetResolver.defaults().locate(DatasetId.FASHION_MNIST, train ? Split.TRAIN : Split.TEST, null);
    }

    /**
     * Reads CIFAR-10 in its binary version ({@code cifar-10-batches-bin}) through
     * {@link Cifar10Reader#readDirectory(Path, Split)}.
     *
     * @param dir the directory holding {@code data_batch_1.bin} … {@code data_batch_5.bin} and
     *     {@code test_batch.bin}
     * @param train true for the 50k training images, false for the 10k test images
     * @return images (3×32×32) and labels
     * @throws IOException naming the missing or malformed file when the directory is incomplete
     */
    public static LabelledImages readCifar10(Path dir, boolean train) throws IOException {
        return fromDataset(Cifar10Reader.readDirectory(dir, train ? Split.TRAIN : Split.TEST));
    }

    /**
     * Converts a gen-core dataset (already 8-bit, N×C×H×W) to an evaluation set with its labels.
     *
     * @param dataset e.g. from {@link DatasetResolver#load(DatasetId, Split)}
     * @return the same images and labels
     */
    public static LabelledImages fromDataset(ImageDataset dataset) {
        return new LabelledImages(new ImageSet(dataset.size(), dataset.channels(), dataset.height(),
                dataset.width(), dataset.pixelBytes()), dataset.labels());
    }

    /**
     * Reads an IDX label file (magic 0x00000801), gzipped or raw, through
     * {@link IdxReader#readLabels(Path)}.
     *
     * @param file e.g. {@code t10k-labels-idx1-ubyte.gz}
     * @return the labels
     * @throws IOException when the file cannot be read or is not a valid IDX label file
     */
    public static int[] readIdxLabels(Path file) throws IOException {
        return IdxReader.readLabels(file);
    }
}
