package io.gen4j.examples.topics;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.gen4j.core.data.toy.EightGaussians;
import io.gen4j.core.data.toy.Toy2dBatches;
import io.gen4j.core.io.RunDirectory;
import io.gen4j.core.train.FitListener;
import io.gen4j.core.train.NonFiniteMetricException;
import io.gen4j.core.train.StepEnd;
import io.gen4j.core.viz.PlotSpec;
import io.gen4j.core.viz.Plots;
import io.gen4j.core.viz.Series;
import io.gen4j.gans.GanModel;
import io.gen4j.gans.GanProgress;
import io.gen4j.gans.GanSpec;
import io.gen4j.gans.GanTraining;
import io.gen4j.gans.ModeCoverage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The 2-D part of topic 11-03: GANs on the 8-Gaussians ring (radius 2, σ = 0.05), with the
 * discriminator's field and the generator's samples over training, the mode-coverage table of a
 * collapsing setting and its fixes, and the loss and gradient-norm curves of a game that D dominates.
 */
final class GansTopicToys {

    /** The ring of the mode-collapse literature (Metz et al. 2017 use σ = 0.02). */
    static final EightGaussians RING = new EightGaussians(8, 2, 0.05);
    static final double BOX = 3;

    /**
     * @param width hidden units of both MLPs
     * @param depth hidden layers of both MLPs
     * @param batch batch size
     * @param steps steps of each 2-D run
     * @param snapshots number of field/sample snapshots of the first run
     * @param samples samples scored for mode coverage
     */
    record Settings(int width, int depth, int batch, int steps, int snapshots, int samples) {}

    /**
     * One 2-D training.
     *
     * @param name the run's name (checkpoints, log)
     * @param label its name in tables
     * @param coverage the mode coverage of its final samples
     * @param metricsCsv its training log
     * @param samplesPng its final samples
     * @param seconds its wall time
     * @param divergedAt the step at which a metric became non-finite and training stopped, or −1
     */
    record Outcome(String name, String label, ModeCoverage coverage, Path metricsCsv, Path samplesPng, double seconds,
            long divergedAt) {}

    private GansTopicToys() {}

    static GanSpec spec(Settings s) {
        return GanSpec.mlp(2, s.width(), s.depth(), 2);
    }

    /**
     * Trains one GAN on the ring and scores its samples.
     *
     * @param name the training's name
     * @param label the name in tables
     * @param spec the networks
     * @param training the step
     * @param s sizes
     * @param steps steps
     * @param run the topic run
     * @param seed seed
     * @param extra listeners
     * @return the outcome
     * @throws IOException when writing fails
     */
    static Outcome train(String name, String label, GanSpec spec, Function<GanModel, GanTraining.Step> training,
            Settings s, int steps, TopicRun run, long seed, Function<GanModel, List<FitListener>> extra)
            throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed((int) seed);
            GanModel model = GanModel.create(spec, m);
            GanTraining.Step step = training.apply(model);
            Path csv = run.directory().root().resolve("training").resolve(name + ".csv");
            long t0 = System.nanoTime();
            long diverged = -1;
            try {
                run.fit(name, step, new Toy2dBatches(RING, s.batch(), seed), m, steps, seed, csv, extra.apply(model),
                        new GanProgress(System.err, Math.max(1, steps / 20)));
            } catch (NonFiniteMetricException e) {
                // an unstable setting is part of the lesson: report where it broke and score what is left
                diverged = e.step();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            Engine.getInstance().setRandomSeed((int) seed + 1);
            NDArray x = model.sample(m, s.samples());
            ModeCoverage coverage = ModeCoverage.measure(x, ModeCoverage.means(RING), RING.sigma());
            Path png = run.directory().image("ring-" + name + ".png");
            scatter(x, label + ": " + coverage.covered() + "/8 modes" + (diverged >= 0 ? ", diverged" : ""), png);
            return new Outcome(name, label, coverage, csv, png, seconds, diverged);
        }
    }

    /** Data (grey) and samples (colour) on [−3, 3]². */
    static void scatter(NDArray samples, String title, Path png) throws IOException {
        double[][] data = RING.sample(1000, new java.util.Random(5));
        float[] xy = samples.toFloatArray();
        int finite = 0;
        for (int i = 0; i + 1 < xy.length; i += 2) {
            if (Float.isFinite(xy[i]) && Float.isFinite(xy[i + 1])) {
                xy[finite++] = xy[i];
                xy[finite++] = xy[i + 1];
            }
        }
        List<Series> series = new ArrayList<>();
        series.add(new Series("data", col(data, 0), col(data, 1)));
        if (finite > 0) {
            series.add(Series.ofPairs("samples", Arrays.copyOf(xy, finite)));
        }
        Plots.scatter(series, PlotSpec.of(title).withLabels("x1", "x2").withSize(360, 360), png);
    }

    private static double[] col(double[][] rows, int j) {
        return Arrays.stream(rows).mapToDouble(r -> r[j]).toArray();
    }

    /**
     * A listener that, at {@link #snapshotSteps the snapshot steps}, draws σ(D(x)) on a grid and G's
     * samples into {@link #snapshotPanels}.
     *
     * @param model the GAN
     * @param s sizes
     * @param run the run
     * @return the listener
     */
    static FitListener snapshots(GanModel model, Settings s, RunDirectory run) {
        List<Long> at = snapshotSteps(s);
        return new FitListener() {
            @Override
            public void onStepEnd(StepEnd e) {
                long done = e.step() + 1;
                if (!at.contains(done)) {
                    return;
                }
                try (NDManager scope = NDManager.newBaseManager()) {
                    int bins = 60;
                    float[] grid = new float[bins * bins * 2];
                    for (int j = 0; j < bins; j++) {
                        for (int i = 0; i < bins; i++) {
                            grid[2 * (j * bins + i)] = (float) (-BOX + 2 * BOX * (i + 0.5) / bins);
                            grid[2 * (j * bins + i) + 1] = (float) (-BOX + 2 * BOX * (j + 0.5) / bins);
                        }
                    }
                    NDArray scores = model.discriminator().score(new ParameterStore(scope, false),
                            scope.create(grid, new Shape(bins * bins, 2)), null, false);
                    float[] d = scores.getNDArrayInternal().sigmoid().toFloatArray();
                    double[][] values = new double[bins][bins];
                    for (int j = 0; j < bins; j++) {
                        for (int i = 0; i < bins; i++) {
                            values[j][i] = d[j * bins + i];
                        }
                    }
                    Path field = run.image(String.format(Locale.ROOT, "game-field-%05d.png", done));
                    Plots.densityGrid(values, -BOX, BOX, -BOX, BOX,
                            PlotSpec.of("σ(D(x)), step " + done).withLabels("x1", "x2").withSize(300, 300), field);
                    Engine.getInstance().setRandomSeed(77);
                    Path samples = run.image(String.format(Locale.ROOT, "game-samples-%05d.png", done));
                    scatter(model.sample(scope, 500), "G(z), step " + done, samples);
                } catch (IOException ex) {
                    throw new UncheckedIOException(ex);
                }
            }
        };
    }

    /**
     * @param s sizes
     * @return the steps (counted from 1) after which {@link #snapshots} draws: 1, then every
     *     steps/snapshots steps up to the last
     */
    static List<Long> snapshotSteps(Settings s) {
        long every = Math.max(1, s.steps() / s.snapshots());
        List<Long> at = new ArrayList<>();
        at.add(1L);
        for (long k = every; k <= s.steps(); k += every) {
            if (k != 1) {
                at.add(k);
            }
        }
        return at;
    }

    /**
     * The panels {@link #snapshots} wrote, in order (field, samples) per snapshot step: the same list
     * whether the training ran now, was resumed, or was restored finished.
     *
     * @param s sizes
     * @param run the run
     * @return the PNG paths
     */
    static List<Path> snapshotPanels(Settings s, RunDirectory run) {
        List<Path> panels = new ArrayList<>();
        for (long done : snapshotSteps(s)) {
            panels.add(run.image(String.format(Locale.ROOT, "game-field-%05d.png", done)));
            panels.add(run.image(String.format(Locale.ROOT, "game-samples-%05d.png", done)));
        }
        return panels;
    }

    /**
     * Joins panels into one figure ({@link FlowsTopicFigures#join}, which deletes the panels), or keeps
     * the figure when a resumed run finds it joined already and its panels gone.
     *
     * @param panels the panels
     * @param cols columns
     * @param out the figure
     * @throws IOException when some panels are missing and the figure was not made before
     */
    static void joinOrKeep(List<Path> panels, int cols, Path out) throws IOException {
        List<Path> missing = panels.stream().filter(p -> !Files.isRegularFile(p)).toList();
        if (missing.isEmpty()) {
            FlowsTopicFigures.join(panels, cols, out);
        } else if (missing.size() != panels.size() || !Files.isRegularFile(out)) {
            throw new IOException("cannot make " + out + ": missing panels " + missing);
        }
    }

    /**
     * Plots some columns of training logs as curves, one series per (log, column).
     *
     * @param logs the logs and their labels
     * @param columns the columns
     * @param title the title
     * @param logY logarithmic y
     * @param png the file
     * @throws IOException when reading or writing fails
     */
    static void curves(List<Outcome> logs, List<String> columns, String title, boolean logY, Path png)
            throws IOException {
        List<Series> series = new ArrayList<>();
        for (Outcome o : logs) {
            List<String> lines = Files.readAllLines(o.metricsCsv());
            List<String> header = Arrays.asList(lines.get(0).split(","));
            for (String column : columns) {
                int c = header.indexOf(column);
                if (c < 0) {
                    continue;
                }
                List<double[]> points = new ArrayList<>();
                for (int i = 1; i < lines.size(); i++) {
                    String[] cells = lines.get(i).split(",", -1);
                    if (c < cells.length && !cells[c].isEmpty()) {
                        double v = Double.parseDouble(cells[c]);
                        if (!logY || v > 0) {
                            points.add(new double[] {Double.parseDouble(cells[0]), v});
                        }
                    }
                }
                series.add(new Series(o.label() + " " + column, points.stream().mapToDouble(p -> p[0]).toArray(),
                        points.stream().mapToDouble(p -> p[1]).toArray()));
            }
        }
        Plots.line(series, PlotSpec.of(title).withLabels("step", "").withSize(640, 360), logY, png);
    }
}
