package io.gen4j.core.viz;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.data.PixelRange;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import javax.imageio.ImageIO;

/**
 * Lays out a batch of images as a {@code rows x cols} grid and writes it as a PNG, the way sample
 * grids of generative models are shown (torchvision's {@code make_grid}).
 *
 * <p>Images are (N, C, H, W) with C = 1 (grayscale) or 3 (RGB), floats in a {@link PixelRange};
 * cell {@code i} holds image {@code i} in row-major order, separated and surrounded by {@code
 * padding} black pixels. The grid is {@code cols * (W + p) + p} pixels wide and {@code rows * (H +
 * p) + p} high. Cells without an image stay black; images beyond {@code rows * cols} are left out.
 *
 * <p>Headless: needs no display ({@code java.awt.headless} is set to true when unset).
 */
public final class ImageGrid {

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private ImageGrid() {}

    /**
     * Renders a grid.
     *
     * @param pixels the images, (N, C, H, W) in row-major order
     * @param shape the shape (N, C, H, W), or (N, H, W) for grayscale
     * @param range how floats map to pixels
     * @param rows grid rows, &gt; 0
     * @param cols grid columns, &gt; 0
     * @param padding pixels between and around cells, &gt;= 0
     * @return the image (8-bit gray or RGB)
     */
    public static BufferedImage render(float[] pixels, Shape shape, PixelRange range, int rows,
            int cols, int padding) {
        Objects.requireNonNull(range, "range");
        if (shape.dimension() == 3) {
            shape = new Shape(shape.get(0), 1, shape.get(1), shape.get(2));
        }
        if (shape.dimension() != 4) {
            throw new IllegalArgumentException("images must be (N, C, H, W) or (N, H, W), got "
                    + shape);
        }
        int n = Math.toIntExact(shape.get(0));
        int c = Math.toIntExact(shape.get(1));
        int h = Math.toIntExact(shape.get(2));
        int w = Math.toIntExact(shape.get(3));
        if (c != 1 && c != 3) {
            throw new IllegalArgumentException("channels must be 1 or 3, got " + c);
        }
        if (pixels.length != shape.size()) {
            throw new IllegalArgumentException(
                    "pixels has " + pixels.length + " values, shape " + shape + " needs "
                            + shape.size());
        }
        if (rows <= 0 || cols <= 0 || padding < 0) {
            throw new IllegalArgumentException("rows and cols must be > 0 and padding >= 0, got "
                    + rows + ", " + cols + ", " + padding);
        }
        int width = cols * (w + padding) + padding;
        int height = rows * (h + padding) + padding;
        BufferedImage img = new BufferedImage(width, height,
                c == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        int plane = h * w;
        for (int i = 0; i < Math.min(n, rows * cols); i++) {
            int x0 = padding + (i % cols) * (w + padding);
            int y0 = padding + (i / cols) * (h + padding);
            int base = i * c * plane;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int k = base + y * w + x;
                    int rgb;
                    if (c == 1) {
                        int g = range.toPixel(pixels[k]);
                        rgb = (g << 16) | (g << 8) | g;
                    } else {
                        rgb = (range.toPixel(pixels[k]) << 16)
                                | (range.toPixel(pixels[k + plane]) << 8)
                                | range.toPixel(pixels[k + 2 * plane]);
                    }
                    img.setRGB(x0 + x, y0 + y, rgb);
                }
            }
        }
        return img;
    }

    /**
     * Writes a grid of images held in an NDArray.
     *
     * @param images (N, C, H, W) or (N, H, W), any float type
     * @param range how values map to pixels
     * @param cols grid columns; rows are {@code ceil(N / cols)}
     * @param padding pixels between cells
     * @param file the PNG file (parent directories are created)
     * @throws IOException when writing fails
     */
    public static void writePng(NDArray images, PixelRange range, int cols, int padding,
            Path file) throws IOException {
        float[] data = images.toType(DataType.FLOAT32, false).toFloatArray();
        int n = Math.toIntExact(images.getShape().get(0));
        if (cols <= 0) {
            throw new IllegalArgumentException("cols must be > 0, got " + cols);
        }
        int rows = Math.max(1, (n + cols - 1) / cols);
        writePng(render(data, images.getShape(), range, rows, cols, padding), file);
    }

    /**
     * Writes an image as PNG.
     *
     * @param image the image
     * @param file the file (parent directories are created)
     * @throws IOException when writing fails
     */
    public static void writePng(BufferedImage image, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException("no PNG writer available for " + file);
        }
    }
}
