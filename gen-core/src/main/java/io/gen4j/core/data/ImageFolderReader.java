package io.gen4j.core.data;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayOutputStream;
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
 * Reads the user's own images laid out as one sub-folder per class ({@code root/cat/001.png},
 * {@code root/dog/abc.jpg}, ...), the layout of torchvision's {@code ImageFolder}.
 *
 * <p>Classes are the sub-folder names in lexicographic order (label = position); files ending in
 * {@code .png}, {@code .jpg} or {@code .jpeg} (any case) are read with {@code javax.imageio} in
 * lexicographic order; other files are skipped. Images are not resized: all must have the size of
 * the first one, otherwise the error names the first mismatching file. Files that do not decode
 * raise a {@link DatasetFormatException}.
 */
public final class ImageFolderReader {

    private static final Logger LOGGER = LoggerFactory.getLogger(ImageFolderReader.class);

    private ImageFolderReader() {}

    /**
     * Reads the folder.
     *
     * @param root the folder holding one sub-folder per class
     * @param mode grayscale (1 channel) or RGB (3 channels)
     * @return the dataset, named after the folder
     * @throws IOException when the folder has no class or no image, an image cannot be decoded or
     *     the sizes differ
     */
    public static ImageDataset read(Path root, ColorMode mode) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new java.nio.file.NotDirectoryException(root.toString());
        }
        List<Path> classDirs;
        try (Stream<Path> s = Files.list(root)) {
            classDirs = s.filter(Files::isDirectory).sorted().toList();
        }
        if (classDirs.isEmpty()) {
            throw new DatasetFormatException(
                    root, "has no sub-folder: expected one sub-folder of images per class");
        }
        List<String> classNames = new ArrayList<>();
        ByteArrayOutputStream pixels = new ByteArrayOutputStream();
        List<Integer> labels = new ArrayList<>();
        int height = -1;
        int width = -1;
        Path first = null;
        for (Path dir : classDirs) {
            int label = classNames.size();
            classNames.add(dir.getFileName().toString());
            List<Path> files;
            try (Stream<Path> s = Files.list(dir)) {
                files = s.filter(Files::isRegularFile)
                        .filter(ImageFolderReader::isImageFile)
                        .sorted()
                        .toList();
            }
            if (files.isEmpty()) {
                LOGGER.warn("class folder {} holds no PNG or JPEG image", dir);
            }
            for (Path file : files) {
                BufferedImage image;
                try {
                    image = ImageIO.read(file.toFile());
                } catch (IOException e) {
                    throw new DatasetFormatException(
                            file, "cannot be decoded: " + e.getMessage(), e);
                }
                if (image == null) {
                    throw new DatasetFormatException(
                            file, "is not a readable PNG or JPEG image");
                }
                if (first == null) {
                    first = file;
                    height = image.getHeight();
                    width = image.getWidth();
                } else if (image.getHeight() != height || image.getWidth() != width) {
                    throw new DatasetFormatException(
                            file,
                            "is "
                                    + image.getWidth()
                                    + "x"
                                    + image.getHeight()
                                    + " (width x height) but "
                                    + first
                                    + " is "
                                    + width
                                    + "x"
                                    + height
                                    + ": all images of a folder dataset must have one size"
                                    + " (resize them beforehand)");
                }
                pixels.writeBytes(toBytes(image, mode));
                labels.add(label);
            }
        }
        if (labels.isEmpty()) {
            throw new DatasetFormatException(
                    root, "holds no PNG or JPEG image in its class sub-folders " + classNames);
        }
        LOGGER.debug("read {} images {}x{} in {} classes from {}", labels.size(), width, height,
                classNames.size(), root);
        return new ImageDataset(
                root.getFileName() == null ? root.toString() : root.getFileName().toString(),
                mode.channels(),
                height,
                width,
                pixels.toByteArray(),
                labels.stream().mapToInt(Integer::intValue).toArray(),
                classNames);
    }

    /**
     * Converts one image to C x H x W bytes.
     *
     * @param image the decoded image
     * @param mode the channel layout
     * @return {@code mode.channels() * H * W} bytes
     */
    static byte[] toBytes(BufferedImage image, ColorMode mode) {
        int h = image.getHeight();
        int w = image.getWidth();
        int plane = h * w;
        byte[] out = new byte[mode.channels() * plane];
        Raster raster = image.getRaster();
        boolean gray = raster.getNumBands() <= 2 && image.getColorModel().getNumColorComponents() == 1;
        int bits = image.getColorModel().getComponentSize(0);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int r;
                int g;
                int b;
                if (gray) {
                    int v = raster.getSample(x, y, 0);
                    if (bits > 8) {
                        v >>= bits - 8;
                    } else if (bits < 8) {
                        v = v * 255 / ((1 << bits) - 1);
                    }
                    r = v;
                    g = v;
                    b = v;
                } else {
                    int rgb = image.getRGB(x, y);
                    r = (rgb >> 16) & 0xFF;
                    g = (rgb >> 8) & 0xFF;
                    b = rgb & 0xFF;
                }
                int p = y * w + x;
                if (mode == ColorMode.GRAYSCALE) {
                    out[p] = (byte) (gray ? r : Math.round(0.299f * r + 0.587f * g + 0.114f * b));
                } else {
                    out[p] = (byte) r;
                    out[plane + p] = (byte) g;
                    out[2 * plane + p] = (byte) b;
                }
            }
        }
        return out;
    }

    private static boolean isImageFile(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg");
    }
}
