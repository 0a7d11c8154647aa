package io.gen4j.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.data.Cifar10Reader;
import io.gen4j.core.data.DatasetFormatException;
import io.gen4j.core.data.DatasetId;
import io.gen4j.core.data.DatasetResolver;
import io.gen4j.core.data.IdxReader;
import io.gen4j.core.data.ImageDataset;
import io.gen4j.core.data.ImageSource;
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

/**
 * Reads image sets for evaluation: a folder (PNG/JPEG images, flat or one sub-folder per class, IDX
 * files, CIFAR-10 batches: all through gen-core's {@link ImageSource}), a {@code .npy} or {@code .npz}
 * of samples (through gen-core's array-file readers), or an IDX file (MNIST / FashionMNIST format,
 * optionally gzipped).
 *
 * <p>Everything is converted to 8-bit NCHW; float arrays are quantised from the given gen-core
 * {@link PixelRange} with {@link PixelRange#toPixel(double)} (nearest level, clamped): {@code ZERO_ONE}
 * for [0, 1], {@code MINUS_ONE_ONE} for [−1, 1], {@code BYTE} for floats in [0, 255]. Image folders
 * are read in file-name order (class sub-folders in name order), so a set is reproducible.
 */
public final class ImageSets {

    private ImageSets() {}

    /**
     * Reads a folder, {@code .npy}, {@code .npz} or IDX file, chosen by what the path is.
     *
     * @param path a folder of images (flat or with class sub-folders), a {@code .npy}, a {@code .npz},
     *     or an IDX images file ({@code .gz} or raw)
     * @param floatRange range of float arrays in a {@code .npy} or {@code .npz}
     * @param manager scratch manager for converting {@code .npy} and {@code .npz} arrays
     * @return the images
     * @throws IOException when the path cannot be read or has no images
     */
    public static ImageSet read(Path path, PixelRange floatRange, NDManager manager) throws IOException {
        return decode(path, floatRange).images();
    }

    /**
     * Images and how their values were read, for the record of an evaluation.
     *
     * @param images the 8-bit images
     * @param reading how the file's values became pixels, e.g. {@code "float32 values in [-1, 0.98]
     *     read as [-1, 1] (detected: a value < 0)"}
     * @param dataset the dataset read from a folder (labels and class names of an ImageFolder tree),
     *     or {@code null} for array and IDX files
     */
    public record Decoded(ImageSet images, String reading, ImageDataset dataset) {
        /**
         * @param images the 8-bit images
         * @param reading how the file's values became pixels
         */
        public Decoded(ImageSet images, String reading) {
            this(images, reading, null);
        }
    }

    /**
     * Reads a folder, {@code .npy}, {@code .npz} or IDX file like {@link #read}, and says how the
     * values were read. Arrays must hold finite values; integer arrays of any width are taken as
     * pixel levels and must lie in [0, 255]; a float array's range, when not given, is detected:
     * a value below 0 means [−1, 1], values within [0, 1] mean [0, 1]; floats above 1 are ambiguous
     * (bytes as floats, or unscaled outputs) and need {@code floatRange}.
     *
     * @param path a directory of PNGs, a {@code .npy}, a {@code .npz}, or an IDX images file
     * @param floatRange the range of float arrays, or {@code null} to detect it
     * @return the images and how they were read
     * @throws java.nio.file.NoSuchFileException when the path does not exist
     * @throws io.gen4j.core.data.DatasetFormatException naming the file when it cannot be read as
     *     images: malformed, non-finite values, integers outside [0, 255], an undetectable range,
     *     an unsupported shape
     * @throws IOException when the file cannot be read
     */
    public static Decoded decode(Path path, PixelRange floatRange) throws IOException {
        if (!Files.exists(path)) {
            throw new java.nio.file.NoSuchFileException(path.toString(), null, "no such file or directory");
        }
        if (Files.isDirectory(path)) {
            return readFolder(path);
        }
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".npz")) {
            List<String> names = Npz.names(path);
            if (names.isEmpty()) {
                throw new DatasetFormatException(path, "holds no .npy array");
            }
            return fromArray(Npz.readArray(path, names.get(0)), path, floatRange);
        }
        if (name.endsWith(".npy")) {
            return fromArray(Npy.read(path), path, floatRange);
        }
        if (name.contains("idx") || name.endsWith("-ubyte") || name.endsWith(".gz")) {
            return new Decoded(readIdx(path), "IDX bytes");
        }
        throw new DatasetFormatException(path, "cannot tell the format from the name: expected a folder of PNG/JPEG images, a "
                + ".npy, a .npz, or an IDX file (*-ubyte[.gz])");
    }

    /**
     * Reads a folder through gen-core's one image-data reader, {@link ImageSource}: a folder of
     * PNG/JPEG images, flat or with one sub-folder per class (torchvision's ImageFolder layout,
     * read by {@link io.gen4j.core.data.ImageFolderReader}), a folder of IDX files or of CIFAR-10
     * batches (the test split).
     *
     * @param dir the folder
     * @return the images, grey (C = 1) when every image is grey or RGB with three equal channels,
     *     RGB otherwise, with the dataset (labels, class names) they came from
     * @throws IOException a {@link DatasetFormatException} naming the file that does not decode or
     *     does not fit, or the folder when it holds no image data
     */
    public static Decoded readFolder(Path dir) throws IOException {
        ImageSource source = ImageSource.parse(dir.toString(), Split.TEST);
        ImageDataset dataset = source.read(DatasetResolver.defaults());
        ImageSet set = greyIfEqualChannels(fromDataset(dataset).images());
        String reading = switch (source.kind()) {
            case IMAGE_FOLDER -> "PNG/JPEG images, " + (set.channels() == 1 ? "grey" : "RGB")
                    + (dataset.numClasses() > 1 ? ", " + dataset.numClasses() + " classes (sub-folders "
                            + String.join(", ", dataset.classNames()) + ")" : "");
            case CIFAR_FOLDER -> "CIFAR-10 bytes of " + dir + " (test split)";
            default -> "IDX bytes of " + dir + " (test split)";
        };
        return new Decoded(set, reading, dataset);
    }

    /**
     * @param dir a folder of PNG/JPEG images, flat or with class sub-folders
     * @return the images, as {@link #readFolder(Path)} reads them
     * @throws IOException when a file does not decode or the folder holds no image
     */
    public static ImageSet readImageFolder(Path dir) throws IOException {
        return readFolder(dir).images();
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
            throw new DatasetFormatException(file, "holds no .npy array");
        }
        return fromArray(Npz.readArray(file, names.get(0)), file, floatRange).images();
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
        return fromArray(Npy.read(file), file, floatRange).images();
    }

    private static Decoded fromArray(NumpyArray array, Path file, PixelRange floatRange) throws IOException {
        Shape s = array.shape();
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
            throw new DatasetFormatException(file, "unsupported image array shape " + s
                    + ": expected (N,H,W), (N,H,W,C) or (N,C,H,W) with C in {1,3}");
        }
        if (n < 1 || h < 1 || w < 1) {
            throw new DatasetFormatException(file, "holds no images (shape " + s + ")");
        }
        long size = array.size();
        String type = array.type().name().toLowerCase(Locale.ROOT);
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (long i = 0; i < size; i++) {
            double v = array.getDouble(i);
            if (!Double.isFinite(v)) {
                long item = i / ((long) c * h * w);
                throw new DatasetFormatException(file, "image " + item + " holds " + v + ": " + type
                        + " images must be finite (a sampler that diverged?)");
            }
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        String values = String.format(Locale.ROOT, "%s values in [%.4g, %.4g]", type, min, max);
        PixelRange range;
        String reading;
        if (!array.type().isFloating()) {
            if (min < 0 || max > 255) {
                throw new DatasetFormatException(file, values + ": integer images must be pixel levels in [0, 255]");
            }
            range = null;
            reading = values + " read as pixel levels 0-255";
        } else if (floatRange != null) {
            range = floatRange;
            reading = values + " read as " + describe(floatRange) + " (given)";
        } else if (min < 0) {
            if (min < -1.5 || max > 1.5) {
                throw new DatasetFormatException(file, values + " fit neither [0, 1] nor [-1, 1]; scale them, or "
                        + "give the range (--fake-range unit, symmetric or byte)");
            }
            range = PixelRange.MINUS_ONE_ONE;
            reading = values + " read as [-1, 1] (detected: a value < 0)";
        } else if (max <= 1) {
            range = PixelRange.ZERO_ONE;
            reading = values + " read as [0, 1] (detected: no value < 0 or > 1)";
        } else {
            throw new DatasetFormatException(file, values + ": floats above 1 are ambiguous (bytes stored as floats, "
                    + "or outputs not scaled); give the range (--fake-range byte for [0, 255], unit or symmetric)");
        }
        byte[] pixels = new byte[n * c * h * w];
        int plane = h * w;
        for (int k = 0; k < n; k++) {
            for (int ch = 0; ch < c; ch++) {
                for (int p = 0; p < plane; p++) {
                    long src = channelsLast ? ((long) k * plane + p) * c + ch : ((long) k * c + ch) * plane + p;
                    double v = array.getDouble(src);
                    pixels[(k * c + ch) * plane + p] = (byte) (range == null ? (int) v : range.toPixel(v));
                }
            }
        }
        return new Decoded(new ImageSet(n, c, h, w, pixels), reading);
    }

    private static String describe(PixelRange range) {
        return switch (range) {
            case ZERO_ONE -> "[0, 1]";
            case MINUS_ONE_ONE -> "[-1, 1]";
            case BYTE -> "[0, 255]";
        };
    }

    /**
     * @param images any images
     * @return the same images with one channel when they are RGB with three equal channels (grey
     *     saved as RGB), else {@code images}
     */
    public static ImageSet greyIfEqualChannels(ImageSet images) {
        if (images.channels() != 3) {
            return images;
        }
        int plane = images.height() * images.width();
        byte[] px = images.pixels();
        for (int k = 0; k < images.count(); k++) {
            int base = k * 3 * plane;
            for (int p = 0; p < plane; p++) {
                if (px[base + p] != px[base + plane + p] || px[base + p] != px[base + 2 * plane + p]) {
                    return images;
                }
            }
        }
        byte[] grey = new byte[images.count() * plane];
        for (int k = 0; k < images.count(); k++) {
            System.arraycopy(px, k * 3 * plane, grey, k * plane, plane);
        }
        return new ImageSet(images.count(), 1, images.height(), images.width(), grey);
    }

    /**
     * @param images grey images (one channel)
     * @return the same images as RGB with three equal channels
     */
    public static ImageSet greyToRgb(ImageSet images) {
        if (images.channels() != 1) {
            throw new IllegalArgumentException("greyToRgb needs one channel, got " + images.channels());
        }
        int plane = images.height() * images.width();
        byte[] rgb = new byte[images.count() * 3 * plane];
        for (int k = 0; k < images.count(); k++) {
            for (int ch = 0; ch < 3; ch++) {
                System.arraycopy(images.pixels(), k * plane, rgb, (k * 3 + ch) * plane, plane);
            }
        }
        return new ImageSet(images.count(), 3, images.height(), images.width(), rgb);
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
