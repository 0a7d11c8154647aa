package io.gen4j.examples.topics;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/** Figure helpers of topic 11-08: panels side by side, grids of panels, latent arrays as images. */
final class FlowsTopicFigures {

    private FlowsTopicFigures() {}

    /**
     * Lays out PNG panels in a grid (row-major) on a white background and writes one PNG; the
     * panel files are deleted afterwards.
     *
     * @param panels the panel files
     * @param cols panels per row
     * @param out the joined PNG
     * @throws IOException when reading or writing fails
     */
    static void join(List<Path> panels, int cols, Path out) throws IOException {
        join(panels, cols, 1, out);
    }

    /**
     * As {@link #join(List, int, Path)}, enlarging every panel by an integer factor (nearest
     * neighbour), for small image grids.
     *
     * @param panels the panel files
     * @param cols panels per row
     * @param scale enlargement factor, at least 1
     * @param out the joined PNG
     * @throws IOException when reading or writing fails
     */
    static void join(List<Path> panels, int cols, int scale, Path out) throws IOException {
        BufferedImage[] images = new BufferedImage[panels.size()];
        int w = 0;
        int h = 0;
        for (int i = 0; i < images.length; i++) {
            images[i] = ImageIO.read(panels.get(i).toFile());
            if (images[i] == null) {
                throw new IOException("not a readable image: " + panels.get(i));
            }
            w = Math.max(w, images[i].getWidth() * scale);
            h = Math.max(h, images[i].getHeight() * scale);
        }
        int rows = (images.length + cols - 1) / cols;
        int c = Math.min(cols, images.length);
        BufferedImage canvas = new BufferedImage(c * w, rows * h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, canvas.getWidth(), canvas.getHeight());
            for (int i = 0; i < images.length; i++) {
                g.drawImage(images[i], (i % cols) * w, (i / cols) * h, images[i].getWidth() * scale,
                        images[i].getHeight() * scale, null);
            }
        } finally {
            g.dispose();
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        ImageIO.write(canvas, "png", out.toFile());
        for (Path p : panels) {
            if (!p.equals(out)) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * @param points rows {x, y}
     * @return the x column
     */
    static double[] xs(double[][] points) {
        double[] v = new double[points.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = points[i][0];
        }
        return v;
    }

    /**
     * @param points rows {x, y}
     * @return the y column
     */
    static double[] ys(double[][] points) {
        double[] v = new double[points.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = points[i][1];
        }
        return v;
    }
}
