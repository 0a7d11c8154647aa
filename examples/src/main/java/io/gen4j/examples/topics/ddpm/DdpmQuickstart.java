package io.gen4j.examples.topics.ddpm;

import io.gen4j.examples.topics.TopicData;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.gen4j.core.data.DatasetId;
import io.gen4j.core.data.PixelRange;
import io.gen4j.core.io.RunDirectory;
import io.gen4j.core.train.Ema;
import io.gen4j.core.train.FitListener;
import io.gen4j.core.train.ProgressBar;
import io.gen4j.core.viz.ImageGrid;
import io.gen4j.diffusion.DdimSampler;
import io.gen4j.diffusion.SamplerResult;
import io.gen4j.diffusion.Spacing;
import io.gen4j.diffusion.TimeGrid;
import io.gen4j.examples.cli.Launcher;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The README's first command: trains a small DDPM on FashionMNIST (MNIST when only that is
 * found), then writes a 64-image sample grid from the EMA weights, the saved model and a report.
 * With the default 2000 steps it takes under 10 minutes on two cores; {@code ./gen4j sample --run
 * <dir>} regenerates images from the saved model.
 */
public final class DdpmQuickstart {

    /** Default number of training steps. */
    public static final int DEFAULT_STEPS = 2000;

    /**
     * @param outputRoot folder of run directories
     * @param steps training steps
     * @param seed the seed
     * @param dataPath an explicit dataset location
     * @param progress where the progress bar goes, or null for none
     */
    public record Options(Path outputRoot, int steps, long seed, Optional<Path> dataPath,
            PrintStream progress) {
        /** Validates. */
        public Options {
            if (steps < 1) {
                throw new IllegalArgumentException("steps must be >= 1, got " + steps);
            }
        }
    }

    /**
     * @param runDirectory the run's folder
     * @param samples the sample grid
     * @param trainSeconds training wall time
     * @param sampleSeconds sampling wall time of the grid
     * @param finalLoss the last training loss
     */
    public record Result(Path runDirectory, Path samples, double trainSeconds, double sampleSeconds,
            double finalLoss) {}

    private DdpmQuickstart() {}

    /**
     * Runs the quickstart.
     *
     * @param options where, how long, which seed
     * @return what was written
     * @throws Exception when the data are not found or writing fails
     */
    public static Result run(Options options) throws Exception {
        TopicData data = DdpmRun.loadData(DatasetId.FASHION_MNIST, options.dataPath(), 0);
        DdpmRunConfig config = DdpmRunConfig.quickstart(options.steps())
                .withDataset(data.id(), data.train().channels());
        RunDirectory run = RunDirectory.create(options.outputRoot(), "quickstart-ddpm");
        run.writeConfig(config);
        Engine.getInstance().setRandomSeed((int) options.seed());
        try (NDManager manager = NDManager.newBaseManager()) {
            DdpmRun ddpm = DdpmRun.create(manager, config, data);
            List<FitListener> listeners = options.progress() == null
                    ? List.of()
                    : List.of(ProgressBar.create(options.progress()));
            DdpmRun.Trained trained = ddpm.train(config, data, run, options.seed(), listeners);
            double trainSeconds = trained.fit().elapsedNanos() / 1e9;
            double loss = trained.fit().lastMetrics().getOrDefault("loss", Double.NaN);
            try (Ema.Swap swap = trained.ema().swapIn(); NDManager scope = manager.newSubManager()) {
                ddpm.saveModel(run);
                SamplerResult r = ddpm.sample(scope, DdimSampler.deterministic(),
                        TimeGrid.spaced(ddpm.schedule().steps(), config.mainSamplerSteps(),
                                Spacing.UNIFORM),
                        config.sampleGrid(), false);
                Path grid = run.image("samples.png");
                ImageGrid.writePng(r.samples(), PixelRange.MINUS_ONE_ONE, 8, 2, grid);
                double sampleSeconds = r.wallTime().toMillis() / 1e3;
                run.writeReport(String.format("# Quickstart: DDPM on %s%n%n%s%n%n"
                                + "U-Net %s (%,d parameters), %s schedule, T = %d, batch %d, %d steps "
                                + "in %.0f s (final L_simple %.4f). Samples: EMA weights, DDIM η = 0, "
                                + "%d steps, %.1f s for %d images.%n%n"
                                + "Regenerate from the saved model: `%s`%n%n",
                        data.id(), data.note(), config.unet(), ddpm.unet().parameterCount(),
                        config.schedule(), config.diffusionSteps(), config.batch(),
                        config.trainSteps(), trainSeconds, loss, config.mainSamplerSteps(),
                        sampleSeconds, config.sampleGrid(),
                        Launcher.command("sample", "--run", run.root().toString())));
                run.appendImage("samples", grid);
                return new Result(run.root(), grid, trainSeconds, sampleSeconds, loss);
            }
        }
    }
}
