package io.gen4j.examples.topics;

import io.gen4j.examples.cli.GlobalOptions;
import io.gen4j.examples.cli.RunOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code gen4j compare}: the closing comparison of topic 11-10 ({@link ComparisonTopic}), every
 * family trained and measured on binarised FashionMNIST; one table, one figure, one report.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Train every family (VAE, RealNVP, DDPM, flow matching, MADE, PixelCNN, DCGAN) on binarised "
                + "FashionMNIST and compare NLL (exact, bound or none), FID, precision/recall, sampling time, "
                + "parameters and training time: the closing comparison of topic 11-10 (which trains the three "
                + "autoregressive models only).")
public final class CompareCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    GlobalOptions global = new GlobalOptions();

    @Mixin
    RunOptions run = new RunOptions();

    @Option(names = "--profile", defaultValue = "cpu", description = "smoke, cpu (default) or gpu.")
    String profile;

    @Option(names = "--out", defaultValue = "runs", description = "Folder for run directories (default: runs).")
    Path out;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the run (default: 0).")
    long seed;

    @Option(names = "--data", description = "Dataset location tried before every other place: a folder of "
            + "FashionMNIST (or MNIST) IDX files.")
    Path data;

    @Override
    public Integer call() throws Exception {
        String runProfile = profile;
        long runSeed = seed;
        if (run.resume() != null) { // the profile and seed of the run being continued
            com.fasterxml.jackson.databind.JsonNode saved = TopicRun.savedConfig(run.resume());
            if (!ComparisonTopic.RUN_NAME.equals(saved.path("topic").asText())) {
                spec.commandLine().getErr().printf("%s is a run of %s, not of the comparison%n", run.resume(),
                        saved.path("topic").asText());
                return 2;
            }
            runProfile = saved.path("profile").asText();
            runSeed = saved.path("seed").asLong();
        }
        Profile chosen;
        try {
            chosen = Profile.parse(runProfile);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--" + e.getMessage());
        }
        if (data != null) {
            TopicData.checkDataPath(data, "--data");
        }
        global.apply();
        TopicOptions options = TopicOptions.of(chosen, out, runSeed, Optional.ofNullable(data))
                .withCheckpointEvery(run.checkpointEvery()).withCheckpointTime(run.checkpointTime());
        if (run.resume() != null) {
            options = options.withResume(run.resume());
        }
        TopicResult result = new ComparisonTopic().run(options);
        PrintWriter pw = spec.commandLine().getOut();
        pw.printf("run directory: %s%n", result.runDirectory());
        for (Map.Entry<String, Double> e : result.metrics().entrySet()) {
            pw.printf("  %-28s %.6g%n", e.getKey(), e.getValue());
        }
        pw.flush();
        return 0;
    }
}
