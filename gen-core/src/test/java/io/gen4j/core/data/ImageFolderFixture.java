package io.gen4j.core.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Writes a small labelled image folder in torchvision's ImageFolder layout for tests: {@code classes}
 * sub-folders {@code class-0 ... class-9}, each with {@code perClass} images that show a bright
 * square at a position given by the class on a dark, seeded-noise background (a classifier learns
 * them in a few steps). Gray PNGs or RGB JPEGs (the square coloured by the class).
 */
public final class ImageFolderFixture {

    private ImageFolderFixture() {}

    /**
     * @param root the folder to create (its parent must exist)
     * @param classes number of classes, 1 to 12
     * @param perClass images per class
     * @param size image side, at least 16
     * @param rgbJpeg RGB JPEG files instead of gray PNG files
     * @param seed the noise seed
     * @return {@code root}
     */
    public static Path write(Path root, int classes, int perClass, int size, boolean rgbJpeg, long seed) {
        try {
            Random random = new Random(seed);
            int block = size / 4;
            for (int k = 0; k < classes; k++) {
                Path dir = Files.createDirectories(root.resolve("class-" + k));
                int top = (k / 4) * (size / 3) + 1;
                int left = (k % 4) * (size / 4);
                for (int i = 0; i < perClass; i++) {
                    BufferedImage img = new BufferedImage(size, size,
                            rgbJpeg ? BufferedImage.TYPE_INT_RGB : BufferedImage.TYPE_BYTE_GRAY);
                    for (int y = 0; y < size; y++) {
                        for (int x = 0; x < size; x++) {
                            boolean on = y >= top && y < top + block && x >= left && x < left + block;
                            int v = on ? 200 + random.nextInt(56) : random.nextInt(40);
                            if (rgbJpeg) {
                                int r = on && k % 2 == 0 ? v : v / 3;
                                int g = on && k % 3 == 0 ? v : v / 2;
                                img.setRGB(x, y, (r << 16) | (g << 8) | v);
                            } else {
                                img.getRaster().setSample(x, y, 0, v);
                            }
                        }
                    }
                    String name = String.format("%03d.%s", i, rgbJpeg ? "jpg" : "png");
                    if (!ImageIO.write(img, rgbJpeg ? "jpeg" : "png", dir.resolve(name).toFile())) {
                        throw new IllegalStateException("no ImageIO writer for " + name);
                    }
                }
            }
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
