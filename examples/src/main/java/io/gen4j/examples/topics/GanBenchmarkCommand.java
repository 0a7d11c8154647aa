package io.gen4j.examples.topics;

import io.gen4j.examples.cli.GlobalOptions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gen4j bench-gan}: times a discriminator + generator step of a DCGAN (32 base channels, 1×28×28). */
@Command(name = "bench-gan", mixinStandardHelpOptions = true,
        description = "Time one GAN training step (a discriminator and a generator update) of a DCGAN "
                + "(32 base channels, 1x28x28, batch 64), non-saturating and WGAN-GP: ms/step, images/s.")
public final class GanBenchmarkCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    GlobalOptions global = new GlobalOptions();

    @Option(names = "--batch", defaultValue = "64", description = "Batch size (default 64).")
    int batch;

    @Option(names = "--warmup", defaultValue = "3", description = "Untimed steps first (default 3).")
    int warmup;

    @Option(names = "--repeats", defaultValue = "10", description = "Timed steps (default 10).")
    int repeats;

    @Override
    public Integer call() {
        global.apply();
        GanBenchmark.Result r = GanBenchmark.run(new GanBenchmark.Options(batch, warmup, repeats));
        spec.commandLine().getOut().println(r.describe());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
