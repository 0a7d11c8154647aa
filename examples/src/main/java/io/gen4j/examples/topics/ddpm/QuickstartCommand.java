package io.gen4j.examples.topics.ddpm;

import com.fasterxml.jackson.databind.JsonNode;
import io.gen4j.core.data.ImagePreprocessing;
import io.gen4j.core.data.PixelRange;
import io.gen4j.examples.cli.GlobalOptions;
import io.gen4j.examples.cli.ImageDataOptions;
import io.gen4j.examples.cli.Launcher;
import io.gen4j.examples.cli.RunOptions;
import io.gen4j.examples.topics.Profile;
import io.gen4j.examples.topics.TopicData;
import io.gen4j.examples.topics.TopicOptions;
import io.gen4j.examples.topics.TopicRun;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code gen4j quickstart}: train a small DDPM on FashionMNIST, or on the user's own images with
 * {@code --data <folder>}, and write samples and a report.
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
        description = "Train a small DDPM on FashionMNIST (about 10 minutes on 2 cores) or on your own images "
                + "(--data <folder>), write a sample grid, the "
                + "model, the loss curve and report.md with an FID; then '" + Launcher.NAME + " sample --run <dir>'.")
public final class QuickstartCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    GlobalOptions global = new GlobalOptions();

    @Mixin
    RunOptions run = new RunOptions();

    @Option(names = "--out", defaultValue = "runs", description = "Folder for run directories (default: runs).")
    Path out;

    @Option(names = "--steps", defaultValue = "" + DdpmQuickstart.DEFAULT_STEPS,
            description = "Training steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--seed", defaultValue = "0", description = "Seed (default 0).")
    long seed;

    @Option(names = "--data", description = "Dataset location tried before every other place: a folder of IDX or "
            + "CIFAR-10 files, or your own PNG/JPEG images (flat, or one sub-folder per class); the model takes its "
            + "image size and channels from the data unless --image-size/--channels fix them.")
    Path data;

    @Mixin
    ImageDataOptions images = new ImageDataOptions();

    @Option(names = "--quality-samples", defaultValue = "" + DdpmQuickstart.QUALITY_SAMPLES,
            description = "Samples behind the report's FID (in the in-project classifier's features), >= 2 "
                    + "(default: ${DEFAULT-VALUE}).")
    int qualitySamples;

    @Override
    public Integer call() throws Exception {
        PrintWriter pw = spec.commandLine().getOut();
        if (steps < 1) {
            throw new ParameterException(spec.commandLine(), "--steps must be >= 1, got " + steps);
        }
        if (qualitySamples < 2) {
            throw new ParameterException(spec.commandLine(), "--quality-samples must be >= 2, got " + qualitySamples);
        }
        if (data != null) {
            TopicData.checkDataPath(data, "--data");
        }
        Optional<ImagePreprocessing> preprocessing;
        try {
            preprocessing = images.preprocessing(PixelRange.MINUS_ONE_ONE);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        TopicOptions options = TopicOptions.of(Profile.CPU, out, seed, Optional.ofNullable(data))
                .withCheckpointEvery(run.checkpointEvery()).withCheckpointTime(run.checkpointTime())
                .withPreprocessing(preprocessing);
        int trainSteps = steps;
        JsonNode saved = null;
        if (run.resume() != null) {
            saved = TopicRun.savedConfig(run.resume());
            if (!"quickstart-ddpm".equals(saved.path("topic").asText())) {
                spec.commandLine().getErr().printf("%s is a run of %s, not of the quickstart; resume it with "
                        + "'%s'%n", run.resume(), saved.path("topic"),
                        Launcher.command("topic", "--resume", run.resume().toString()));
                return 2;
            }
            trainSteps = saved.path("settings").path("trainSteps").asInt();
            options = TopicOptions.of(Profile.CPU, out, saved.path("seed").asLong(), Optional.ofNullable(data))
                    .withCheckpointEvery(run.checkpointEvery()).withCheckpointTime(run.checkpointTime())
                    .withResume(run.resume()).withPreprocessing(preprocessing);
            pw.printf("resuming %s (seed %d, %d steps)%n", run.resume(), options.seed(), trainSteps);
            pw.flush();
        }
        int gpus = global.apply().gpuCount();
        options = options.withDevices(run.devices(gpus, saved)); // checked before the training starts
        DdpmQuickstart.Result r = DdpmQuickstart.run(new DdpmQuickstart.Options(options, trainSteps, qualitySamples));
        pw.printf("samples:       %s%n", r.samples());
        pw.printf("run directory: %s (report.md, model/)%n", r.runDirectory());
        pw.printf("trained in %.0f s (final loss %.4f); sampled in %.1f s%n", r.trainSeconds(),
                r.finalLoss(), r.sampleSeconds());
        pw.printf("quality:       %s%n", r.quality().summary());
        pw.printf("regenerate:    %s%n", Launcher.command("sample", "--run", r.runDirectory().toString()));
        pw.flush();
        return 0;
    }
}
