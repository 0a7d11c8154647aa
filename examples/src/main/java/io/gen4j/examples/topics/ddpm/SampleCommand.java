package io.gen4j.examples.topics.ddpm;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.gen4j.core.data.PixelRange;
import io.gen4j.core.viz.ImageGrid;
import io.gen4j.diffusion.DdimSampler;
import io.gen4j.diffusion.SamplerResult;
import io.gen4j.diffusion.Spacing;
import io.gen4j.diffusion.TimeGrid;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import io.gen4j.examples.cli.GlobalOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gen4j sample}: draws images from a DDPM saved by the quickstart or topic 11-05. */
@Command(name = "sample", mixinStandardHelpOptions = true,
        description = "Sample images from a saved diffusion model (a run directory with model/).")
public final class SampleCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    GlobalOptions global = new GlobalOptions();

    @Option(names = "--run", required = true, description = "Run directory written by quickstart or topic 11-05.")
    Path run;

    @Option(names = {"-n", "--count"}, defaultValue = "64", description = "Number of images (default 64).")
    int count;

    @Option(names = "--steps", defaultValue = "50", description = "Sampler steps (default 50).")
    int steps;

    @Option(names = "--eta", defaultValue = "0",
            description = "DDIM eta in [0, 1]: 0 deterministic (default), 1 = DDPM ancestral.")
    double eta;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the start noise (default 1).")
    int seed;

    @Option(names = "--out", description = "PNG file (default: <run>/images/sample-<seed>.png).")
    Path out;

    @Override
    public Integer call() throws Exception {
        global.apply();
        PrintWriter pw = spec.commandLine().getOut();
        Engine.getInstance().setRandomSeed(seed);
        try (NDManager manager = NDManager.newBaseManager()) {
            DdpmRun model = DdpmRun.load(manager, run);
            int total = model.schedule().steps();
            TimeGrid grid = steps >= total ? TimeGrid.full(total)
                    : TimeGrid.spaced(total, steps, Spacing.LINSPACE);
            SamplerResult r = model.sample(manager, new DdimSampler(eta), grid, count, false);
            Path file = out != null ? out : run.resolve("images").resolve("sample-" + seed + ".png");
            ImageGrid.writePng(r.samples(), PixelRange.MINUS_ONE_ONE,
                    (int) Math.ceil(Math.sqrt(count)), 2, file);
            pw.printf("%d images, %d steps (eta %.2f) in %.1f s -> %s%n", count, r.steps(), eta,
                    r.wallTime().toMillis() / 1e3, file);
        }
        pw.flush();
        return 0;
    }
}
