package io.gen4j.examples.topics.ddpm;

import java.util.concurrent.Callable;
import io.gen4j.examples.cli.GlobalOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gen4j bench-ddpm}: times a training step and a sampler step of the reference U-Net. */
@Command(name = "bench-ddpm", mixinStandardHelpOptions = true,
        description = "Time one DDPM training step and one DDIM sampler step of the reference U-Net "
                + "(32/64/128 channels, 1x32x32, batch 64): ms/step, images/s, GFLOP/s.")
public final class DdpmBenchmarkCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    GlobalOptions global = new GlobalOptions();

    @Option(names = "--batch", defaultValue = "64", description = "Batch size (default 64).")
    int batch;

    @Option(names = "--warmup", defaultValue = "2", description = "Untimed steps first (default 2).")
    int warmup;

    @Option(names = "--repeats", defaultValue = "5", description = "Timed steps (default 5).")
    int repeats;

    @Override
    public Integer call() {
        global.apply();
        DdpmBenchmark.Result r = DdpmBenchmark.run(new DdpmBenchmark.Options(batch, warmup, repeats));
        spec.commandLine().getOut().println(r.describe());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
