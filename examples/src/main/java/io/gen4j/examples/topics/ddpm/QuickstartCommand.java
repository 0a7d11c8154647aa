package io.gen4j.examples.topics.ddpm;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import io.gen4j.examples.cli.GlobalOptions;
import io.gen4j.examples.cli.Launcher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gen4j quickstart}: train a small DDPM on FashionMNIST and write samples and a report. */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
        description = "Train a small DDPM on FashionMNIST (under 10 minutes on 2 cores), write a "
                + "sample grid, the model and report.md; then '" + Launcher.NAME + " sample --run <dir>'.")
public final class QuickstartCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    GlobalOptions global = new GlobalOptions();

    @Option(names = "--out", defaultValue = "runs", description = "Folder for run directories (default: runs).")
    Path out;

    @Option(names = "--steps", defaultValue = "" + DdpmQuickstart.DEFAULT_STEPS,
            description = "Training steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--seed", defaultValue = "0", description = "Seed (default 0).")
    long seed;

    @Option(names = "--data", description = "Dataset location tried before every other place.")
    Path data;

    @Override
    public Integer call() throws Exception {
        global.apply();
        PrintWriter pw = spec.commandLine().getOut();
        DdpmQuickstart.Result r = DdpmQuickstart.run(new DdpmQuickstart.Options(out, steps, seed,
                Optional.ofNullable(data), System.out));
        pw.printf("samples:       %s%n", r.samples());
        pw.printf("run directory: %s (report.md, model/)%n", r.runDirectory());
        pw.printf("trained in %.0f s (final loss %.4f); sampled in %.1f s%n", r.trainSeconds(),
                r.finalLoss(), r.sampleSeconds());
        pw.printf("regenerate: %s%n", Launcher.command("sample", "--run", r.runDirectory().toString()));
        pw.flush();
        return 0;
    }
}
