package io.gen4j.examples.topics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.gen4j.core.data.BatchSource;
import io.gen4j.core.data.DatasetId;
import io.gen4j.core.data.ImageDataset;
import io.gen4j.core.data.PixelRange;
import io.gen4j.core.io.ModelStore;
import io.gen4j.core.io.RunDirectory;
import io.gen4j.core.math.Scalars;
import io.gen4j.core.model.SaveableModel;
import io.gen4j.core.runtime.Devices;
import io.gen4j.core.train.Adam;
import io.gen4j.core.train.Objective;
import io.gen4j.core.train.ObjectiveStep;
import io.gen4j.core.train.AdamConfig;
import io.gen4j.core.train.Fit;
import io.gen4j.core.train.LearningRateSchedule;
import io.gen4j.core.viz.ImageGrid;
import io.gen4j.core.viz.PlotSpec;
import io.gen4j.core.viz.Plots;
import io.gen4j.core.viz.Series;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What topics 11-01 and 11-02 share: finding MNIST (or Fashion-MNIST), training through gen-core's
 * {@link Fit} loop, batched evaluation, figures through gen-core's {@link ImageGrid} and {@link
 * Plots}, and the run directory's metrics and report.
 */
final class AutoencodersTopicSupport {


    private AutoencodersTopicSupport() {}

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
    static TopicData loadData(Optional<Path> dataPath, int trainSize, int testSize) throws IOException {
        return TopicData.load(DatasetId.MNIST, DatasetId.FASHION_MNIST, dataPath).subset(trainSize, testSize);
    }

    /**
     * Makes {@code <outputRoot>/<id>-<timestamp>} with the settings in its {@code config.json}, or
     * reopens the run to resume ({@link TopicRun#open}).
     *
     * @param options the options
     * @param id the topic id
     * @param settings the run's sizes (a record)
     * @return the run
     * @throws IOException when it cannot be created or resumed
     */
    static TopicRun runDirectory(TopicOptions options, String id, Object settings) throws IOException {
        return TopicRun.open(options, id, settings);
    }

    /**
     * Trains (or resumes, or restores) a model with gen-core's {@link Fit} loop, Adam and an
     * {@link ObjectiveStep} inside the run: checkpoints in {@code checkpoints/<name>/}, the per-step
     * terms in {@code training/<name>.csv}, progress to stderr.
     *
     * @param name the model's name (checkpoints, log file)
     * @param objective the loss of one batch and the initialised model it trains
     * @param manager the model's manager
     * @param batches the data
     * @param steps number of steps
     * @param learningRate Adam's step size
     * @param seed the loop's seed (re-seeds the engine every step)
     * @param run the run
     * @throws IOException when the log or a checkpoint cannot be written
     */
    static void train(String name, Objective objective, NDManager manager, BatchSource batches,
            int steps, double learningRate, long seed, TopicRun run) throws IOException {
        ObjectiveStep step = ObjectiveStep.builder().optName(name).setObjective(objective)
                .setOptimizer(Adam.factory(LearningRateSchedule.constant(learningRate), AdamConfig.defaults()))
                .build();
        run.fit(name, step, batches, manager, steps, seed,
                run.directory().root().resolve("training").resolve(name + ".csv"), List.of());
    }

    /**
     * Saves a trained model with gen-core's {@link ModelStore} to {@code <run>/models/<name>/}, the
     * convention of topics 11-01 and 11-02 (one folder per model, named like its training log), and
     * lists its two files.
     *
     * @param model the model
     * @param name its name
     * @param run the run directory
     * @param files the run's file list
     * @return the model folder
     * @throws IOException when writing fails
     */
    static Path saveModel(SaveableModel model, String name, RunDirectory run, FileList files) throws IOException {
        Path dir = ModelStore.save(model, run.root().resolve("models").resolve(name));
        files.add(dir.resolve(ModelStore.SPEC_FILE));
        files.add(dir.resolve(ModelStore.PARAMETERS_FILE));
        return dir;
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
     * @param images the images
     * @param columns images per row
     * @param file the PNG
     * @throws IOException when writing fails
     */
    static void imageGrid(NDArray images, int columns, Path file) throws IOException {
        ImageGrid.writePng(Scalars.clip(images, 0, 1), PixelRange.ZERO_ONE, columns, 2, file);
    }

    /**
     * A scatter plot of 2-D points, one colour per class.
     *
     * @param points (n, 2)
     * @param labels class of each point
     * @param classNames names of the classes
     * @param title the title
     * @param file the PNG
     * @throws IOException when writing fails
     */
    static void scatter(double[][] points, int[] labels, List<String> classNames, String title, Path file)
            throws IOException {
        List<Series> series = new ArrayList<>();
        for (int k = 0; k < classNames.size(); k++) {
            int count = 0;
            for (int label : labels) {
                if (label == k) {
                    count++;
                }
            }
            double[] x = new double[count];
            double[] y = new double[count];
            int j = 0;
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] == k) {
                    x[j] = points[i][0];
                    y[j++] = points[i][1];
                }
            }
            series.add(new Series(classNames.get(k), x, y));
        }
        Plots.scatter(series, PlotSpec.of(title).withSize(760, 640), file);
    }

    /**
     * A line plot of one or more value-per-index series (KL per latent dimension, code usage).
     *
     * @param values name → values
     * @param title the title
     * @param xLabel what the index is
     * @param yLabel what the value is
     * @param file the PNG
     * @throws IOException when writing fails
     */
    static void profile(Map<String, double[]> values, String title, String xLabel, String yLabel, Path file)
            throws IOException {
        List<Series> series = new ArrayList<>();
        for (Map.Entry<String, double[]> e : values.entrySet()) {
            double[] x = new double[e.getValue().length];
            for (int i = 0; i < x.length; i++) {
                x[i] = i;
            }
            series.add(new Series(e.getKey(), x, e.getValue()));
        }
        Plots.line(series, PlotSpec.of(title).withLabels(xLabel, yLabel).withSize(760, 420), false, file);
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

    /** @return a base manager on the preferred device (gen-core's {@code Devices}: GPU when present) */
    static NDManager newManager() {
        return NDManager.newBaseManager(Devices.preferred());
    }

    /**
     * Plots the loss of every training of the run ({@code training/<name>.csv}) into {@code
     * images/training-<name>.png} and returns the report section that shows them.
     *
     * @param run the run directory
     * @param files where the PNGs are listed
     * @return a markdown section "## Training curves"
     * @throws IOException when a log cannot be read or a plot written
     */
    static String trainingCurves(RunDirectory run, FileList files) throws IOException {
        Path logs = run.root().resolve("training");
        List<Path> csvs = new ArrayList<>();
        if (Files.isDirectory(logs)) {
            try (var list = Files.list(logs)) {
                list.filter(p -> p.getFileName().toString().endsWith(".csv")).sorted().forEach(csvs::add);
            }
        }
        StringBuilder md = new StringBuilder("## Training curves\n\nThe total loss of every training, per logged step "
                + "(`training/<name>.csv` has every term).\n\n");
        for (Path csv : csvs) {
            String name = csv.getFileName().toString().replaceFirst("\\.csv$", "");
            Path png = files.add(run.image("training-" + name + ".png"));
            TopicRun.metricCurve(csv, "loss", PlotSpec.of(name + ": training loss").withLabels("step", "loss"),
                    false, png);
            md.append("![").append(name).append("](images/").append(png.getFileName()).append(") ");
        }
        return md.append("\n\n").toString();
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
