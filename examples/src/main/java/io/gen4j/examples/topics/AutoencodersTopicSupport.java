package io.gen4j.examples.topics;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import io.gen4j.autoencoders.LossTerms;
import io.gen4j.core.data.BatchSource;
import io.gen4j.core.data.DatasetId;
import io.gen4j.core.data.DatasetResolver;
import io.gen4j.core.data.ImageDataset;
import io.gen4j.core.data.PixelRange;
import io.gen4j.core.data.Split;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import javax.imageio.ImageIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What topics 11-01 and 11-02 share: finding MNIST (or Fashion-MNIST), a plain training loop with
 * Adam and a per-step scope, batched evaluation, PNG figures (image grids, scatter and bar plots) and
 * the metrics/report files.
 */
final class AutoencodersTopicSupport {

    private static final Logger LOG = LoggerFactory.getLogger(AutoencodersTopicSupport.class);

    /** Colours of the ten classes (the "tab10" palette). */
    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd),
        new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf)
    };

    private AutoencodersTopicSupport() {}

    /**
     * The data of a run.
     *
     * @param train training images
     * @param test test images
     * @param note one line saying which data set is used and why
     */
    record Data(ImageDataset train, ImageDataset test, String note) {}

    /**
     * Loads MNIST (local files first; a DJL download unless {@code -Dai.djl.offline=true}), or
     * Fashion-MNIST when MNIST cannot be had, saying so in one line.
     *
     * @param dataPath an explicit folder tried first
     * @param trainSize how many training images to keep (the first ones), 0 for all
     * @param testSize how many test images to keep, 0 for all
     * @return the data
     * @throws IOException when neither data set can be found
     */
    static Data loadData(Optional<Path> dataPath, int trainSize, int testSize) throws IOException {
        boolean offline = Boolean.getBoolean("ai.djl.offline");
        DatasetResolver mnistResolver = DatasetResolver.builder().optAllowDownload(!offline).build();
        Path explicit = dataPath.orElse(null);
        String note;
        ImageDataset train;
        ImageDataset test;
        try {
            train = mnistResolver.load(DatasetId.MNIST, Split.TRAIN, explicit);
            test = mnistResolver.load(DatasetId.MNIST, Split.TEST, explicit);
            note = "Data: MNIST (" + train.size() + " training, " + test.size() + " test images).";
        } catch (IOException | RuntimeException e) {
            DatasetResolver local = DatasetResolver.defaults();
            train = local.load(DatasetId.FASHION_MNIST, Split.TRAIN, explicit);
            test = local.load(DatasetId.FASHION_MNIST, Split.TEST, explicit);
            note = "MNIST was not found " + (offline ? "offline" : "locally and could not be downloaded")
                    + " (set GEN4J_MNIST or --data to use it); using Fashion-MNIST instead.";
            LOG.warn(note);
        }
        if (trainSize > 0 && trainSize < train.size()) {
            train = train.subset(0, trainSize);
        }
        if (testSize > 0 && testSize < test.size()) {
            test = test.subset(0, testSize);
        }
        return new Data(train, test, note);
    }

    /**
     * Makes {@code <outputRoot>/<id>-<profile>-<timestamp>}.
     *
     * @param options the options
     * @param id the topic id
     * @return the new directory
     * @throws IOException when it cannot be created
     */
    static Path runDirectory(TopicOptions options, String id) throws IOException {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS"));
        Path dir = options.outputRoot().resolve(id + "-" + options.profile().name().toLowerCase(Locale.ROOT) + "-" + stamp);
        Files.createDirectories(dir);
        return dir;
    }

    /** One batch's objective. */
    @FunctionalInterface
    interface Objective {
        /**
         * @param ps parameter store
         * @param batch data (and labels) in the step's scope
         * @param step the step, from 0
         * @return the loss
         */
        LossTerms loss(ParameterStore ps, NDList batch, long step);
    }

    /**
     * Trains a block with Adam: per-step scope, one backward, gradient handles closed.
     *
     * @param name for the log
     * @param block the initialised block
     * @param manager the block's manager
     * @param batches the data
     * @param steps number of steps
     * @param learningRate Adam's step size
     * @param objective the loss of one batch
     * @return the mean of each metric over the last 10 % of the steps
     */
    static Map<String, Double> train(String name, Block block, NDManager manager, BatchSource batches, int steps,
            float learningRate, Objective objective) {
        Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(learningRate)).build();
        ParameterStore ps = new ParameterStore(manager, false);
        Map<String, Double> sums = new LinkedHashMap<>();
        int tail = Math.max(1, steps / 10);
        long start = System.nanoTime();
        for (int step = 0; step < steps; step++) {
            try (NDManager scope = manager.newSubManager()) {
                NDList batch = batches.next(scope);
                LossTerms terms;
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    terms = objective.loss(ps, batch, step);
                    gc.backward(terms.total());
                }
                for (Pair<String, Parameter> p : block.getParameters()) {
                    Parameter param = p.getValue();
                    if (param.requiresGradient()) {
                        try (NDArray g = param.getArray().getGradient()) {
                            adam.update(param.getId(), param.getArray(), g);
                        }
                    }
                }
                if (step >= steps - tail || step % Math.max(1, steps / 5) == 0) {
                    Map<String, Double> m = terms.metrics();
                    if (step >= steps - tail) {
                        m.forEach((k, v) -> sums.merge(k, v / tail, Double::sum));
                    }
                    if (step % Math.max(1, steps / 5) == 0) {
                        LOG.info("{} step {}/{}: loss {}", name, step, steps, String.format(Locale.ROOT, "%.4f", m.get("loss")));
                    }
                }
            }
        }
        LOG.info("{}: {} steps in {} s", name, steps, String.format(Locale.ROOT, "%.1f", (System.nanoTime() - start) / 1e9));
        return sums;
    }

    /**
     * Applies a per-example function to a whole data set in batches and concatenates the results.
     *
     * @param manager the manager the result goes to
     * @param data the images
     * @param batchSize batch size
     * @param fn maps a (B, 1, H, W) batch to (B, ...) per-example results
     * @return the concatenated results, (N, ...)
     */
    static NDArray mapBatches(NDManager manager, ImageDataset data, int batchSize, Function<NDArray, NDArray> fn) {
        NDList parts = new NDList();
        for (int from = 0; from < data.size(); from += batchSize) {
            int to = Math.min(data.size(), from + batchSize);
            try (NDManager scope = manager.newSubManager()) {
                NDArray x = data.subset(from, to).toNDArray(scope, PixelRange.ZERO_ONE);
                NDArray out = fn.apply(x);
                out.attach(manager);
                parts.add(out);
            }
        }
        NDArray all = parts.size() == 1 ? parts.get(0) : ai.djl.ndarray.NDArrays.concat(parts, 0);
        return all;
    }

    /**
     * @param manager manager
     * @param data images
     * @param from first index
     * @param to end index
     * @return images [from, to) as (n, C, H, W) in [0, 1]
     */
    static NDArray images(NDManager manager, ImageDataset data, int from, int to) {
        return data.subset(from, to).toNDArray(manager, PixelRange.ZERO_ONE);
    }

    /**
     * Writes images (N, C, H, W) with values in [0, 1] as a grid PNG, {@code columns} per row.
     *
     * @param images the images (grey or RGB)
     * @param columns images per row
     * @param file the PNG
     */
    static void imageGrid(NDArray images, int columns, Path file) {
        long[] s = images.getShape().getShape();
        int n = (int) s[0];
        int c = (int) s[1];
        int h = (int) s[2];
        int w = (int) s[3];
        float[] v = images.toType(DataType.FLOAT32, false).toFloatArray();
        int rows = (n + columns - 1) / columns;
        int pad = 2;
        int scale = h <= 32 ? 2 : 1;
        BufferedImage img = new BufferedImage(columns * (w * scale + pad) + pad, rows * (h * scale + pad) + pad,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(60, 60, 60));
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.dispose();
        for (int i = 0; i < n; i++) {
            int ox = pad + (i % columns) * (w * scale + pad);
            int oy = pad + (i / columns) * (h * scale + pad);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int[] rgb = new int[3];
                    for (int k = 0; k < 3; k++) {
                        int ch = c == 3 ? k : 0;
                        float f = v[((i * c + ch) * h + y) * w + x];
                        rgb[k] = Math.max(0, Math.min(255, Math.round(f * 255)));
                    }
                    int color = (rgb[0] << 16) | (rgb[1] << 8) | rgb[2];
                    for (int dy = 0; dy < scale; dy++) {
                        for (int dx = 0; dx < scale; dx++) {
                            img.setRGB(ox + x * scale + dx, oy + y * scale + dy, color);
                        }
                    }
                }
            }
        }
        write(img, file);
    }

    /**
     * A scatter plot of 2-D points coloured by class, with a legend.
     *
     * @param points (n, 2)
     * @param labels class of each point
     * @param classNames names of the classes
     * @param title the title
     * @param file the PNG
     */
    static void scatter(double[][] points, int[] labels, List<String> classNames, String title, Path file) {
        int size = 640;
        int margin = 50;
        BufferedImage img = canvas(size + 160, size);
        Graphics2D g = graphics(img);
        double minX = Double.MAX_VALUE;
        double maxX = -Double.MAX_VALUE;
        double minY = Double.MAX_VALUE;
        double maxY = -Double.MAX_VALUE;
        for (double[] p : points) {
            minX = Math.min(minX, p[0]);
            maxX = Math.max(maxX, p[0]);
            minY = Math.min(minY, p[1]);
            maxY = Math.max(maxY, p[1]);
        }
        double spanX = Math.max(1e-9, maxX - minX);
        double spanY = Math.max(1e-9, maxY - minY);
        axes(g, margin, size, title, String.format(Locale.ROOT, "[%.2f, %.2f]", minX, maxX),
                String.format(Locale.ROOT, "[%.2f, %.2f]", minY, maxY));
        for (int i = 0; i < points.length; i++) {
            int x = margin + (int) ((points[i][0] - minX) / spanX * (size - 2 * margin));
            int y = size - margin - (int) ((points[i][1] - minY) / spanY * (size - 2 * margin));
            Color col = PALETTE[labels[i] % PALETTE.length];
            g.setColor(new Color(col.getRed(), col.getGreen(), col.getBlue(), 170));
            g.fillOval(x - 2, y - 2, 5, 5);
        }
        for (int k = 0; k < classNames.size(); k++) {
            g.setColor(PALETTE[k % PALETTE.length]);
            g.fillOval(size + 10, margin + 20 * k, 10, 10);
            g.setColor(Color.BLACK);
            g.drawString(classNames.get(k), size + 26, margin + 20 * k + 10);
        }
        g.dispose();
        write(img, file);
    }

    /**
     * A grouped bar chart: one group per index, one bar per series.
     *
     * @param series name → values (all the same length)
     * @param title the title
     * @param xLabel what the index is
     * @param file the PNG
     */
    static void bars(Map<String, double[]> series, String title, String xLabel, Path file) {
        int width = 800;
        int height = 420;
        int margin = 55;
        BufferedImage img = canvas(width, height);
        Graphics2D g = graphics(img);
        int groups = series.values().iterator().next().length;
        double max = 1e-9;
        for (double[] v : series.values()) {
            for (double d : v) {
                max = Math.max(max, d);
            }
        }
        g.setColor(Color.BLACK);
        g.drawString(title, margin, 25);
        g.drawLine(margin, height - margin, width - margin, height - margin);
        g.drawLine(margin, margin, margin, height - margin);
        g.drawString(String.format(Locale.ROOT, "%.2f", max), 5, margin + 5);
        g.drawString("0", 30, height - margin);
        g.drawString(xLabel, width / 2 - 40, height - 15);
        double groupWidth = (width - 2.0 * margin) / groups;
        double barWidth = groupWidth * 0.8 / series.size();
        int s = 0;
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            g.setColor(PALETTE[s % PALETTE.length]);
            for (int i = 0; i < groups; i++) {
                int h = (int) (e.getValue()[i] / max * (height - 2 * margin));
                int x = (int) (margin + i * groupWidth + groupWidth * 0.1 + s * barWidth);
                g.fillRect(x, height - margin - h, Math.max(1, (int) barWidth), h);
            }
            g.fillRect(width - margin - 230, margin + 18 * s, 10, 10);
            g.setColor(Color.BLACK);
            g.drawString(e.getKey(), width - margin - 215, margin + 18 * s + 10);
            s++;
        }
        for (int i = 0; i < groups; i += Math.max(1, groups / 16)) {
            g.drawString(Integer.toString(i), (int) (margin + (i + 0.4) * groupWidth), height - margin + 15);
        }
        g.dispose();
        write(img, file);
    }

    private static BufferedImage canvas(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.dispose();
        return img;
    }

    private static Graphics2D graphics(BufferedImage img) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        return g;
    }

    private static void axes(Graphics2D g, int margin, int size, String title, String xRange, String yRange) {
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(1));
        g.drawRect(margin, margin, size - 2 * margin, size - 2 * margin);
        g.drawString(title, margin, margin - 15);
        g.drawString("x " + xRange, margin, size - margin + 18);
        g.drawString("y " + yRange, margin, size - margin + 34);
    }

    private static void write(BufferedImage img, Path file) {
        try {
            ImageIO.write(img, "png", file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes metrics as a flat JSON object.
     *
     * @param metrics the values
     * @param file the file
     * @throws IOException on failure
     */
    static void writeMetrics(Map<String, Double> metrics, Path file) throws IOException {
        StringBuilder sb = new StringBuilder("{\n");
        int i = 0;
        for (Map.Entry<String, Double> e : metrics.entrySet()) {
            double v = e.getValue();
            String value = Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : "null";
            sb.append("  \"").append(e.getKey()).append("\": ").append(value).append(++i < metrics.size() ? ",\n" : "\n");
        }
        sb.append("}\n");
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
    }

    /**
     * @param data a data set
     * @param n how many rows
     * @return the first n labels
     */
    static int[] labels(ImageDataset data, int n) {
        int[] all = data.labels();
        int[] out = new int[Math.min(n, all.length)];
        System.arraycopy(all, 0, out, 0, out.length);
        return out;
    }

    /**
     * @param a (n, d) array
     * @return as Java rows
     */
    static double[][] rows(NDArray a) {
        int n = (int) a.getShape().get(0);
        int d = (int) a.getShape().get(1);
        double[] v = a.toType(DataType.FLOAT64, false).toDoubleArray();
        double[][] out = new double[n][d];
        for (int i = 0; i < n; i++) {
            System.arraycopy(v, i * d, out[i], 0, d);
        }
        return out;
    }

    /** @return a new CPU-or-GPU base manager for a run */
    static NDManager newManager() {
        return NDManager.newBaseManager(Device.cpu().equals(Engine.getInstance().defaultDevice()) ? Device.cpu()
                : Engine.getInstance().defaultDevice());
    }

    /**
     * Formats a number for report tables.
     *
     * @param v the value
     * @return 4 significant digits
     */
    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }

    /** A growing list of files written by a run. */
    static final class FileList {
        private final List<Path> files = new ArrayList<>();

        Path add(Path p) {
            files.add(p);
            return p;
        }

        List<Path> all() {
            return files;
        }
    }
}
