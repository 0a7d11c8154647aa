package io.gen4j.core.data;

import io.gen4j.core.data.transform.ByteImage;
import io.gen4j.core.data.transform.ColorConversion;
import io.gen4j.core.data.transform.ImageTransform;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the user's own PNG and JPEG images: a folder of class sub-folders ({@code root/cat/001.png},
 * {@code root/dog/abc.jpg}, ..., the layout of torchvision's {@code ImageFolder}) or a flat folder of
 * images.
 *
 * <p>Layout: when at least one sub-folder of {@code root} holds an image, every sub-folder is a class,
 * in lexicographic order of the names (label = position; torchvision's rule); images lying directly
 * in {@code root} are then skipped with a warning. Otherwise the images of {@code root} itself form
 * one class named after the folder. Files ending in {@code .png}, {@code .jpg} or {@code .jpeg} (any
 * case) are read with {@code javax.imageio} in lexicographic order; other files are skipped.
 *
 * <p>Each image is decoded to its own channels (gray images and gray with alpha to 1 channel,
 * everything else to RGB, alpha dropped, 16-bit samples scaled to 8 bits), then passed through the
 * {@code load} transform (e.g. {@code Compose.of(new Resize(32), new CenterCrop(32))}), image
 * {@code i} of the reading order drawing from {@link ImageTransform#randomFor ImageTransform.randomFor(seed, i)}. When the
 * results mix gray and colour, gray ones are copied to RGB. All results must share one size; a
 * file that does not decode, or whose transformed size differs from the first image's, raises a
 * {@link DatasetFormatException} naming that file.
 */
public final class ImageFolderReader {

    private static final Logger LOGGER = LoggerFactory.getLogger(ImageFolderReader.class);

    private ImageFolderReader() {}

    /**
     * Reads a folder without resizing, in the given colour mode.
     *
     * @param root a folder of class sub-folders, or of images
     * @param mode grayscale (1 channel) or RGB (3 channels)
     * @return the dataset, named after the folder
     * @throws IOException when the folder has no image, an image cannot be decoded or the sizes
     *     differ
     */
    public static ImageDataset read(Path root, ColorMode mode) throws IOException {
        return read(root, new ColorConversion(mode), 0L);
    }

    /**
     * Reads a folder, transforming every image as it is read.
     *
     * @param root a folder of class sub-folders, or of images
     * @param load the transform applied to every decoded image
     * @param seed the seed of random steps of {@code load}
     * @return the dataset, named after the folder, with the class names (sub-folder names)
     * @throws IOException a {@link DatasetFormatException} naming the file that does not decode or
     *     does not fit; a {@link java.nio.file.NotDirectoryException} when {@code root} is not a
     *     folder
     */
    public static ImageDataset read(Path root, ImageTransform load, long seed) throws IOException {
        Layout layout = layout(root);
        List<ByteImage> images = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int label = 0; label < layout.classFolders().size(); label++) {
            List<Path> classFiles = imageFiles(layout.classFolders().get(label));
            if (classFiles.isEmpty() && layout.tree()) {
                LOGGER.warn("class folder {} holds no PNG or JPEG image", layout.classFolders().get(label));
            }
            for (Path file : classFiles) {
                ByteImage decoded = decode(file);
                ByteImage image;
                try {
                    image = load.apply(decoded, ImageTransform.randomFor(seed, images.size()));
                } catch (IllegalArgumentException e) {
                    throw new DatasetFormatException(file, e.getMessage(), e);
                }
                images.add(image);
                files.add(file);
                labels.add(label);
            }
        }
        if (images.isEmpty()) {
            throw new DatasetFormatException(root, "holds no PNG or JPEG image"
                    + (layout.tree() ? " in its class sub-folders " + layout.classNames() : ""));
        }
        boolean anyColour = images.stream().anyMatch(i -> i.channels() == 3);
        boolean anyGray = images.stream().anyMatch(i -> i.channels() == 1);
        if (anyColour && anyGray) {
            LOGGER.info("{} mixes gray and colour images: gray ones are read as RGB", root);
            ColorConversion rgb = new ColorConversion(ColorMode.RGB);
            images.replaceAll(i -> rgb.apply(i, null));
        }
        ByteImage first = images.get(0);
        for (int i = 1; i < images.size(); i++) {
            ByteImage im = images.get(i);
            if (im.height() != first.height() || im.width() != first.width()) {
                throw new DatasetFormatException(files.get(i), "is " + im.width() + "x" + im.height()
                        + " (width x height) after " + load.describe() + " but " + files.get(0) + " is "
                        + first.width() + "x" + first.height() + ": all images of a folder dataset must have one "
                        + "size; resize and crop them to one (e.g. the CLI's --image-size, or "
                        + "ImagePreprocessing.square)");
            }
        }
        LOGGER.debug("read {} images {} in {} classes from {}", images.size(), first.shapeText(),
                layout.classNames().size(), root);
        return ImageDataset.of(root.getFileName() == null ? root.toString() : root.getFileName().toString(),
                images, labels.stream().mapToInt(Integer::intValue).toArray(), layout.classNames());
    }

    /**
     * Whether a folder holds images this reader takes: an image file directly, or in a sub-folder.
     *
     * @param dir a folder
     * @return true when {@link #read(Path, ImageTransform, long)} finds at least one image file
     * @throws IOException when the folder cannot be listed
     */
    public static boolean holdsImages(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        Layout layout = layout(dir);
        for (Path d : layout.classFolders()) {
            if (!imageFiles(d).isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /**
     * The classes of a folder, as {@link #read(Path, ImageTransform, long)} would label them.
     *
     * @param root a folder of class sub-folders, or of images
     * @return the class names: the sub-folder names in order, or the folder's own name
     * @throws IOException when the folder cannot be listed
     */
    public static List<String> classNames(Path root) throws IOException {
        return layout(root).classNames();
    }

    /** Where the images are: one folder per class, and whether they are sub-folders. */
    private record Layout(List<Path> classFolders, List<String> classNames, boolean tree) {}

    private static Layout layout(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new java.nio.file.NotDirectoryException(root.toString());
        }
        List<Path> subFolders;
        try (Stream<Path> s = Files.list(root)) {
            subFolders = s.filter(Files::isDirectory).sorted().toList();
        }
        boolean tree = false;
        for (Path d : subFolders) {
            if (!imageFiles(d).isEmpty()) {
                tree = true;
                break;
            }
        }
        if (tree) {
            int loose = imageFiles(root).size();
            if (loose > 0) {
                LOGGER.warn("{} has class sub-folders; the {} images lying directly in it are skipped", root, loose);
            }
            return new Layout(subFolders, subFolders.stream().map(p -> p.getFileName().toString()).toList(), true);
        }
        String name = root.toAbsolutePath().normalize().getFileName() == null ? "images"
                : root.toAbsolutePath().normalize().getFileName().toString();
        return new Layout(List.of(root), List.of(name), false);
    }

    private static List<Path> imageFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).filter(ImageFolderReader::isImageFile).sorted().toList();
        }
    }

    /**
     * Decodes one PNG or JPEG file to 8-bit channels-first pixels: 1 channel for gray (and gray
     * with alpha), 3 (R, G, B) for everything else; alpha is dropped, 16-bit samples keep their high
     * 8 bits and samples of fewer bits are scaled to [0, 255].
     *
     * @param file the image file
     * @return the image
     * @throws DatasetFormatException naming the file when it does not decode as an image
     * @throws IOException when it cannot be read
     */
    public static ByteImage decode(Path file) throws IOException {
        BufferedImage image;
        try {
            image = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new DatasetFormatException(file, "cannot be decoded as a PNG or JPEG image: " + e.getMessage(), e);
        }
        if (image == null || image.getWidth() < 1 || image.getHeight() < 1) {
            throw new DatasetFormatException(file, "is not a readable PNG or JPEG image");
        }
        return toImage(image);
    }

    private static ByteImage toImage(BufferedImage image) {
        int h = image.getHeight();
        int w = image.getWidth();
        int plane = h * w;
        Raster raster = image.getRaster();
        boolean gray = raster.getNumBands() <= 2 && image.getColorModel().getNumColorComponents() == 1;
        int bits = image.getColorModel().getComponentSize(0);
        byte[] out = new byte[(gray ? 1 : 3) * plane];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = y * w + x;
                if (gray) {
                    int v = raster.getSample(x, y, 0);
                    if (bits > 8) {
                        v >>= bits - 8;
                    } else if (bits < 8) {
                        v = v * 255 / ((1 << bits) - 1);
                    }
                    out[p] = (byte) v;
                } else {
                    int rgb = image.getRGB(x, y);
                    out[p] = (byte) (rgb >> 16);
                    out[plane + p] = (byte) (rgb >> 8);
                    out[2 * plane + p] = (byte) rgb;
                }
            }
        }
        return new ByteImage(gray ? 1 : 3, h, w, out);
    }

    private static boolean isImageFile(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg");
    }
}
