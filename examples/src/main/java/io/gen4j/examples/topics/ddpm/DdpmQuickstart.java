package io.gen4j.examples.topics.ddpm;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.gen4j.core.data.DatasetId;
import io.gen4j.core.data.ImagePreprocessing;
import io.gen4j.core.data.transform.ImageTransform;
import io.gen4j.core.data.PixelRange;
import io.gen4j.core.io.RunDirectory;
import io.gen4j.core.model.SampleOptions;
import io.gen4j.core.train.Ema;
import io.gen4j.core.viz.ImageGrid;
import io.gen4j.core.viz.PlotSpec;
import io.gen4j.diffusion.DdimSampler;
import io.gen4j.diffusion.SamplerResult;
import io.gen4j.diffusion.Spacing;
import io.gen4j.diffusion.TimeGrid;
import io.gen4j.examples.cli.Launcher;
import io.gen4j.examples.topics.SampleQuality;
import io.gen4j.examples.topics.TopicData;
import io.gen4j.examples.topics.TopicOptions;
import io.gen4j.examples.topics.TopicRun;
import java.nio.file.Path;
import java.util.List;

/**
 * The README's first command: trains a small DDPM on FashionMNIST (MNIST when only that is
 * found), then writes a 64-image sample grid from the EMA weights, the saved model, the loss curve
 * and a report with a quality number (the FID of a few hundred samples in the features of the
 * in-project classifier). With the default 2000 steps it takes about 10 minutes on two cores;
 * a killed run continues with {@code --resume <run directory>} and ends as an uninterrupted one.
 */
public final class DdpmQuickstart {

    /** Default number of training steps. */
    public static final int DEFAULT_STEPS = 2000;

    /** Samples behind the report's FID. */
    public static final int QUALITY_SAMPLES = 256;

    /** DDIM steps of those samples. */
    static final int QUALITY_STEPS = 25;

    /**
     * @param topic output folder, seed, data path, resume, checkpoint interval, listeners (its
     *     profile is not used)
     * @param steps training steps
     * @param qualitySamples samples behind the report's FID, at least 2 ({@value #QUALITY_SAMPLES}
     *     by default)
     */
    public record Options(TopicOptions topic, int steps, int qualitySamples) {
        /** Validates. */
        public Options {
            if (topic == null) {
                throw new IllegalArgumentException("topic options must not be null");
            }
            if (steps < 1) {
                throw new IllegalArgumentException("steps must be >= 1, got " + steps);
            }
            if (qualitySamples < 2) {
                throw new IllegalArgumentException("qualitySamples must be >= 2, got " + qualitySamples);
            }
        }

        /**
         * @param topic the topic options
         * @param steps training steps
         */
        public Options(TopicOptions topic, int steps) {
            this(topic, steps, QUALITY_SAMPLES);
        }
    }

    /**
     * @param runDirectory the run's folder
     * @param samples the sample grid
     * @param trainSeconds training wall time (of this process: a resumed run counts the rest)
     * @param sampleSeconds sampling wall time of the grid
     * @param finalLoss the last training loss in the log
     * @param quality the FID of {@value #QUALITY_SAMPLES} samples and its floor
     */
    public record Result(Path runDirectory, Path samples, double trainSeconds, double sampleSeconds,
            double finalLoss, SampleQuality.Result quality) {}

    private DdpmQuickstart() {}

    /**
     * Runs (or resumes) the quickstart.
     *
     * @param options where, how long, which seed
     * @return what was written
     * @throws Exception when the data are not found or writing fails
     */
    public static Result run(Options options) throws Exception {
        TopicOptions topic = options.topic();
        TopicData data = DdpmRun.loadData(DatasetId.FASHION_MNIST, topic.dataPath(), 0, topic.preprocessing());
        DdpmRunConfig config = DdpmRunConfig.quickstart(options.steps()).withData(data, topic.preprocessing());
        TopicRun run = TopicRun.open(topic, "quickstart-ddpm", config);
        RunDirectory dir = run.directory();
        Engine.getInstance().setRandomSeed((int) topic.seed());
        try (NDManager manager = NDManager.newBaseManager()) {
            DdpmRun ddpm = DdpmRun.create(manager, config, data);
            DdpmRun.Trained trained = ddpm.train(config, data, run, topic.seed(), List.of(),
                    topic.preprocessing().map(ImagePreprocessing::augment).orElse(ImageTransform.identity()));
            double trainSeconds = trained.fit().elapsedNanos() / 1e9;
            Path curve = dir.image("training_loss.png");
            TopicRun.metricCurve(dir.metricsCsv(), "loss",
                    PlotSpec.of("Training loss L_simple").withLabels("step", "loss"), true, curve);
            double loss = lastLoss(dir.metricsCsv());
            try (Ema.Swap swap = trained.ema().swapIn(); NDManager scope = manager.newSubManager()) {
                Path model = ddpm.saveModel(dir.root());
                SamplerResult r = ddpm.sample(scope, DdimSampler.deterministic(),
                        TimeGrid.spaced(ddpm.schedule().steps(), config.mainSamplerSteps(), Spacing.LINSPACE),
                        config.sampleGrid(), false);
                Path grid = dir.image("samples.png");
                ImageGrid.writePng(r.samples(), PixelRange.MINUS_ONE_ONE, 8, 2, grid);
                double sampleSeconds = r.wallTime().toMillis() / 1e3;
                SampleQuality.Result quality = SampleQuality.fid(ddpm.model(),
                        SampleOptions.defaults().withSteps(QUALITY_STEPS), data, options.qualitySamples(),
                        topic.seed(), scope);
                dir.writeReport(String.format("# Quickstart: DDPM on %s%n%n%s%n%n"
                                + "U-Net %s (%,d parameters), %s schedule, T = %d, batch %d, %d steps "
                                + "(final L_simple %.4f). Samples: EMA weights, DDIM η = 0, %d steps, %.1f s for "
                                + "%d images.%n%n**Quality:** %s; %d samples with DDIM %d steps, %.0f s "
                                + "(a lower FID is better; the floor is what real images get).%n%n",
                        data.datasetName(), data.note(), config.unet(), ddpm.unet().parameterCount(),
                        config.schedule(), config.diffusionSteps(), config.batch(), config.trainSteps(), loss,
                        config.mainSamplerSteps(), sampleSeconds, config.sampleGrid(), quality.summary(),
                        quality.samples(), QUALITY_STEPS, quality.seconds()));
                dir.appendImage("samples", grid);
                dir.appendImage("training loss", curve);
                dir.appendReport("Next", "Draw new images from the saved model (" + dir.root().relativize(model)
                        + "/):\n\n```\n" + Launcher.command("sample", "--run", dir.root().toString()) + "\n```\n\n"
                        + "and evaluate them:\n\n```\n"
                        + Launcher.command("sample", "--run", dir.root().toString(), "-n", "1000", "--format", "png",
                                "--out", dir.root().resolve("samples-1000").toString())
                        + "\n" + Launcher.command("eval", "--real", data.id() != null ? data.datasetName()
                                : topic.dataPath().map(Path::toString).orElse(data.datasetName()), "--fake",
                                dir.root().resolve("samples-1000").toString(), "--metrics", "fid,kid,pr",
                                "--classifier", quality.classifier().toString())
                        + "\n```");
                return new Result(dir.root(), grid, trainSeconds, sampleSeconds, loss, quality);
            }
        }
    }

    private static double lastLoss(Path csv) throws java.io.IOException {
        List<String> rows = java.nio.file.Files.readAllLines(csv);
        List<String> header = java.util.Arrays.asList(rows.get(0).split(","));
        return Double.parseDouble(rows.get(rows.size() - 1).split(",", -1)[header.indexOf("loss")]);
    }
}
