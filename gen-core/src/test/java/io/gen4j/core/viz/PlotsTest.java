package io.gen4j.core.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlotsTest {

    @TempDir
    Path dir;

    private static int colours(BufferedImage img) {
        Set<Integer> set = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 3) {
            for (int x = 0; x < img.getWidth(); x += 3) {
                set.add(img.getRGB(x, y));
            }
        }
        return set.size();
    }

    @Test
    void lineChartOfLossCurves() throws IOException {
        double[] step = new double[100];
        double[] loss = new double[100];
        double[] ema = new double[100];
        for (int i = 0; i < 100; i++) {
            step[i] = i + 1;
            loss[i] = Math.exp(-i / 30.0) + 0.05 * Math.sin(i);
            ema[i] = Math.exp(-i / 30.0);
        }
        Path file = dir.resolve("loss.png");
        Plots.line(List.of(new Series("loss", step, loss), new Series("ema", step, ema)),
                PlotSpec.of("training loss").withLabels("step", "loss").withSize(640, 400),
                true, file);
        BufferedImage img = ImageIO.read(file.toFile());
        assertEquals(640, img.getWidth());
        assertEquals(400, img.getHeight());
        assertTrue(colours(img) > 5);
    }

    @Test
    void metricsCsvIsPlotted() throws IOException {
        Path csv = dir.resolve("metrics.csv");
        Files.writeString(csv, "step,gradNorm,loss\n10,1.5,0.9\n20,1.2,0.5\n30,,0.4\n");
        Path file = dir.resolve("metrics.png");
        Plots.metricsCsv(csv, PlotSpec.of("metrics"), false, file);
        assertEquals(800, ImageIO.read(file.toFile()).getWidth());
    }

    @Test
    void scatterAndDensityOfTwoDimensionalSamples() throws IOException {
        Random r = new Random(1);
        double[] x = new double[4000];
        double[] y = new double[4000];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextGaussian() + (i % 2 == 0 ? -2 : 2);
            y[i] = 0.5 * r.nextGaussian();
        }
        Path scatter = dir.resolve("scatter.png");
        Plots.scatter(List.of(new Series("samples", x, y),
                Series.ofPairs("data", new float[] {-2, 0, 2, 0})), PlotSpec.of("samples"),
                scatter);
        assertEquals(500, ImageIO.read(scatter.toFile()).getHeight());

        double[][] h = Plots.histogram(x, y, 40, -5, 5, -3, 3);
        double integral = 0;
        for (double[] col : h) {
            for (double v : col) {
                integral += v * (10.0 / 40) * (6.0 / 40);
            }
        }
        assertEquals(1.0, integral, 0.01); // nearly all mass inside the window
        Path density = dir.resolve("density.png");
        Plots.density(x, y, 40, -5, 5, -3, 3, PlotSpec.of("density").withSize(500, 400),
                density);
        BufferedImage img = ImageIO.read(density.toFile());
        assertEquals(500, img.getWidth());
        assertTrue(colours(img) > 10);
        assertThrows(IllegalArgumentException.class,
                () -> Plots.histogram(x, y, 1, -5, 5, -3, 3));
        assertThrows(IllegalArgumentException.class,
                () -> Plots.histogram(x, y, 10, 5, -5, -3, 3));
    }

    @Test
    void densityHeatMapIsBrightAtTheMode() throws IOException {
        int n = 50;
        double[][] grid = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double cx = -3 + (i + 0.5) * 6.0 / n;
                double cy = -3 + (j + 0.5) * 6.0 / n;
                grid[j][i] = Math.exp(-(cx * cx + cy * cy) / 2) / (2 * Math.PI);
            }
        }
        Path file = dir.resolve("gauss.png");
        Plots.densityGrid(grid, -3, 3, -3, 3, PlotSpec.of("").withSize(400, 400), file);
        BufferedImage img = ImageIO.read(file.toFile());
        // find the brightest (most yellow) pixel: it must lie near the centre of the data area
        int best = -1;
        int bx = 0;
        int by = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth() * 3 / 4; x++) {
                int rgb = img.getRGB(x, y);
                int score = ((rgb >> 16) & 0xFF) + ((rgb >> 8) & 0xFF) - 2 * (rgb & 0xFF);
                if (score > best) {
                    best = score;
                    bx = x;
                    by = y;
                }
            }
        }
        assertTrue(best > 300, "no yellow pixel");
        assertNotEquals(0, bx);
        assertTrue(Math.abs(by - 200) < 60, "mode drawn at y=" + by);
    }
}
