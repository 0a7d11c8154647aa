package io.gen4j.examples.topics;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gen4j.core.data.BatchSource;
import io.gen4j.core.io.CheckpointInfo;
import io.gen4j.core.io.CheckpointStore;
import io.gen4j.core.io.RunDirectory;
import io.gen4j.core.train.DataParallel;
import io.gen4j.core.train.Fit;
import io.gen4j.core.train.FitListener;
import io.gen4j.core.train.FitResult;
import io.gen4j.core.train.MetricsFormat;
import io.gen4j.core.train.MetricsLog;
import io.gen4j.core.train.MultiPlayerStep;
import io.gen4j.core.train.ObjectiveStep;
import io.gen4j.core.train.ProgressBar;
import io.gen4j.core.train.TrainingStep;
import io.gen4j.core.train.TrainingStoppedException;
import io.gen4j.core.viz.PlotSpec;
import io.gen4j.core.viz.Plots;
import io.gen4j.core.viz.Series;
import io.gen4j.examples.cli.Launcher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The run directory of a topic or the quickstart, new or resumed, and the trainings inside it.
 *
 * <p>{@link #open} makes {@code <outputRoot>/<id>-<timestamp>/} with a {@code config.json} of
 * {@code {topic, profile, seed, settings}}, or reopens the directory of {@link
 * TopicOptions#resume()} after checking that it was made by the same topic with the same settings.
 * {@link #fit} runs one named training with gen-core's {@link Fit}: checkpoints every {@link
 * TopicOptions#checkpointInterval} steps and every {@link TopicOptions#checkpointTime()} of wall time
 * (whichever comes first) into {@code checkpoints/<name>/}, metrics into a CSV,
 * a progress bar on stderr. When resuming, a training continues from its newest checkpoint (its
 * metrics file is cut back to that step) and a finished training is restored without a step; since
 * every step is seeded from (seed, step) and {@code Fit} leaves the engine seeded from (seed, total),
 * the resumed run ends with the same parameters, figures and numbers as an uninterrupted one.
 *
 * <p>With {@link TopicOptions#devices()}, config.json records them ({@code "devices": "gpu:0,gpu:1"})
 * and every {@link ObjectiveStep} that {@link #fit} runs splits its batches over them (gen-core
 * {@code DataParallel}); a GAN's or another multi-player step is refused with an {@link
 * IllegalArgumentException} naming it.
 */
public final class TopicRun {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RunDirectory directory;
    private final TopicOptions options;
    private final boolean resumed;

    private TopicRun(RunDirectory directory, TopicOptions options, boolean resumed) {
        this.directory = directory;
        this.options = options;
        this.resumed = resumed;
    }

    /**
     * Creates the run directory, or reopens the one to resume.
     *
     * @param options the options (profile, seed, resume)
     * @param id the topic's id or run name, e.g. {@code 11-05-ddpm}
     * @param settings the run's sizes (a record), written into config.json
     * @return the run
     * @throws IOException when the directory cannot be made, or the one to resume is not a run of
     *     this topic with these settings
     */
    public static TopicRun open(TopicOptions options, String id, Object settings) throws IOException {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("topic", id);
        config.put("profile", options.profile().name());
        config.put("seed", options.seed());
        config.put("settings", settings);
        if (!options.devices().isEmpty()) {
            config.put("devices", DataParallel.format(options.devices()));
        }
        if (options.resume().isEmpty()) {
            RunDirectory dir = RunDirectory.create(options.outputRoot(), id);
            dir.writeConfig(config);
            return new TopicRun(dir, options, false);
        }
        RunDirectory dir = RunDirectory.open(options.resume().get());
        if (!java.nio.file.Files.isRegularFile(dir.configFile())) {
            throw new IOException("cannot resume " + dir.root() + ": it has no config.json (not a run directory)");
        }
        JsonNode saved = JSON.readTree(dir.readConfig());
        JsonNode now = JSON.readTree(RunDirectory.toJson(config));
        if (!now.equals(saved)) {
            throw new IOException("cannot resume " + dir.root() + ": it was made by " + saved.path("topic")
                    + " (profile " + saved.path("profile") + ", seed " + saved.path("seed")
                    + ") with other settings than this run; start a new run instead");
        }
        Files.deleteIfExists(dir.reportFile()); // written again from the start
        return new TopicRun(dir, options, true);
    }

    /**
     * Reads what a run directory was made with, to resume it.
     *
     * @param runDirectory a run directory written by {@link #open}
     * @return its config.json
     * @throws IOException when it is not such a directory
     */
    public static JsonNode savedConfig(Path runDirectory) throws IOException {
        JsonNode saved = JSON.readTree(RunDirectory.open(runDirectory).readConfig());
        if (!saved.has("topic") || !saved.has("profile") || !saved.has("seed")) {
            throw new IOException(runDirectory + " is not a topic or quickstart run directory (its config.json has no"
                    + " topic, profile and seed)");
        }
        return saved;
    }

    /** @return the run directory */
    public RunDirectory directory() {
        return directory;
    }

    /** @return whether this run continues an earlier one */
    public boolean resumed() {
        return resumed;
    }

    /** @return the options */
    public TopicOptions options() {
        return options;
    }

    /**
     * Runs (or resumes, or restores) one training of the topic.
     *
     * @param name the training's name: checkpoints go to {@code checkpoints/<name>/}
     * @param step the training step
     * @param source its batches
     * @param manager the model's manager
     * @param totalSteps the length of the training
     * @param seed the seed of every step
     * @param metricsCsv where the metrics go
     * @param extra more listeners
     * @return the loop's result ({@code startStep() == totalSteps} when a finished training was restored)
     * @throws IOException when the log or a checkpoint cannot be written or read
     */
    public FitResult fit(String name, TrainingStep step, BatchSource source, NDManager manager, long totalSteps,
            long seed, Path metricsCsv, List<FitListener> extra) throws IOException {
        return fit(name, step, source, manager, totalSteps, seed, metricsCsv, extra, ProgressBar.create(System.err));
    }

    /**
     * {@link #fit(String, TrainingStep, BatchSource, NDManager, long, long, Path, List)} with another
     * progress display in place of gen-core's bar (a GAN's {@code GanProgress}, which adds both
     * players' losses, scores and gradient norms).
     *
     * @param name the training's name
     * @param step the training step
     * @param source its batches
     * @param manager the model's manager
     * @param totalSteps the length of the training
     * @param seed the seed of every step
     * @param metricsCsv where the metrics go
     * @param extra more listeners
     * @param progress the progress display
     * @return the loop's result
     * @throws IOException when the log or a checkpoint cannot be written or read
     */
    public FitResult fit(String name, TrainingStep step, BatchSource source, NDManager manager, long totalSteps,
            long seed, Path metricsCsv, List<FitListener> extra, FitListener progress) throws IOException {
        step = onDevices(name, step);
        CheckpointStore store = new CheckpointStore(directory.checkpoints().resolve(name), 2, step.state(), source,
                seed, directory.readConfig());
        long start = 0;
        if (resumed) {
            Optional<CheckpointInfo> info = store.resumeLatest();
            if (info.isPresent()) {
                start = info.get().step();
            }
            // also when the training was killed before its first checkpoint: it starts again from step 0
            MetricsLog.truncate(metricsCsv, start);
        }
        try (MetricsLog log = new MetricsLog(metricsCsv, MetricsFormat.CSV, Math.max(1, totalSteps / 200))) {
            Fit.Builder fit = Fit.builder().setStep(step).setSource(source).setManager(manager)
                    .optStartStep(start).optTotalSteps(totalSteps).optSeed(seed)
                    .optCheckpointEvery(options.checkpointInterval(totalSteps), store)
                    .addListener(log).addListener(progress);
            if (!options.checkpointTime().isZero()) {
                fit.optCheckpointEvery(options.checkpointTime(), store);
            }
            extra.forEach(fit::addListener);
            options.listeners().forEach(fit::addListener);
            try {
                return fit.build().run();
            } catch (TrainingStoppedException e) {
                throw new RunStoppedException(e, name, resumeCommand(directory.root(),
                        JSON.readTree(directory.readConfig()).path("topic").asText()));
            }
        }
    }

    /**
     * @param runDirectory a run directory
     * @param runName the {@code topic} of its config.json
     * @return the command line that resumes it: {@code quickstart}, {@code compare} or {@code topic} with {@code
     *     --resume}
     */
    public static String resumeCommand(Path runDirectory, String runName) {
        String command = runName.startsWith("quickstart") ? "quickstart"
                : runName.equals(ComparisonTopic.RUN_NAME) ? "compare" : "topic";
        return Launcher.command(command, "--resume", runDirectory.toString());
    }

    /**
     * The step of one training on the run's {@link TopicOptions#devices() devices}: an {@link
     * ObjectiveStep} split over them ({@link ObjectiveStep#withDevices}, sharing its optimizer and
     * EMA), unchanged when the run has none.
     *
     * @throws IllegalArgumentException when the run has devices and the step is of another kind (a
     *     GAN's or another multi-player step), naming the training and its kind
     */
    private TrainingStep onDevices(String name, TrainingStep step) {
        if (options.devices().isEmpty()) {
            return step;
        }
        if (step instanceof ObjectiveStep single) {
            return single.devices().equals(options.devices()) ? single : single.withDevices(options.devices());
        }
        Class<?> c = step.getClass();
        String type = c.getName().substring(c.getPackageName().length() + 1).replace('$', '.');
        String kind = c.getPackageName().equals("io.gen4j.gans") ? "a GAN (gen-gans "
                + type + ": generator and discriminator as two players)"
                : step instanceof MultiPlayerStep ? "a multi-player training (gen-core MultiPlayerStep: several "
                        + "networks with their own objectives)" : "a " + c.getName();
        throw new IllegalArgumentException("--devices " + DataParallel.format(options.devices()) + ": training '"
                + name + "' is " + kind + ", which does not train data-parallel; only single-objective trainings "
                + "(gen-core ObjectiveStep) do. Run it without --devices");
    }

    /**
     * Plots one column of a metrics CSV against the step (empty cells, steps where the metric was
     * not reported, are skipped).
     *
     * @param csv a metrics log written by {@link MetricsLog}
     * @param column the metric, e.g. {@code loss}
     * @param spec title and labels
     * @param logY whether the y axis is logarithmic
     * @param out the PNG
     * @throws IOException when the log has no such column or the plot cannot be written
     */
    public static void metricCurve(Path csv, String column, PlotSpec spec, boolean logY, Path out)
            throws IOException {
        List<String> lines = Files.readAllLines(csv);
        if (lines.isEmpty()) {
            throw new IOException(csv + " is empty");
        }
        List<String> header = Arrays.asList(lines.get(0).split(","));
        int col = header.indexOf(column);
        if (col < 0) {
            throw new IOException("no column '" + column + "' in " + csv + ", columns: " + header);
        }
        List<double[]> points = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String[] cells = lines.get(i).split(",", -1);
            if (col < cells.length && !cells[col].isEmpty()) {
                points.add(new double[] {Double.parseDouble(cells[0]), Double.parseDouble(cells[col])});
            }
        }
        double[] x = new double[points.size()];
        double[] y = new double[points.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = points.get(i)[0];
            y[i] = points.get(i)[1];
        }
        Plots.line(List.of(new Series(column, x, y)), spec, logY, out);
    }
}
