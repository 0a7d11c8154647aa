package io.gen4j.examples.bench;

import ai.djl.Device;
import io.gen4j.core.runtime.Autocast;
import io.gen4j.core.runtime.Devices;
import io.gen4j.core.runtime.NativeMalloc;
import io.gen4j.core.runtime.OpenMpWait;
import io.gen4j.examples.cli.GlobalOptions;
import io.gen4j.examples.cli.MatmulCheck;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gen4j bench}: times each family's reference training step and sampler. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Time each family's reference training step and sampler: ms/step (wall and process CPU),"
                + " items/s, GFLOP/s, libtorch operations per step, peak RSS. docs/performance.md.")
public final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    GlobalOptions global = new GlobalOptions();

    @Option(names = "--family", defaultValue = "all",
            description = "ddpm, vae, realnvp, dcgan, flow-matching, pixelcnn, wavenet, latent-diffusion or all"
                    + " (default: ${DEFAULT-VALUE}).")
    String family;

    @Option(names = "--batch", defaultValue = "0",
            description = "Batch size (default 0: each family's reference batch).")
    int batch;

    @Option(names = "--warmup", defaultValue = "3", description = "Untimed steps first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--warmup-seconds", defaultValue = "5",
            description = "Keep warming up until this long has passed too, so the JIT has compiled the step's code"
                    + " before the timing (default: ${DEFAULT-VALUE}).")
    double warmupSeconds;

    @Option(names = "--repeats", defaultValue = "10", description = "Timed steps (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--min-seconds", defaultValue = "2",
            description = "Keep timing each phase for at least this long (default: ${DEFAULT-VALUE}).")
    double minSeconds;

    @Option(names = "--no-ops", description = "Skip the profiled step that counts the operations.")
    boolean noOps;

    @Option(names = "--op-trace", paramLabel = "PREFIX",
            description = "Keep the libtorch profiler's Chrome trace of each profiled step as PREFIX-N.json (N = 1, 2,"
                    + " ...: each family's training step, then its sampler), with each operator's input shapes, for a"
                    + " per-operator breakdown with bench/tools/optime.py.")
    String opTrace;

    @Option(names = "--tsv", description = "Also print one tab-separated line per family (for scripts).")
    boolean tsv;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<String> families = "all".equals(family) ? Workloads.FAMILIES : List.of(family);
        if (!"all".equals(family) && !Workloads.FAMILIES.contains(family)) {
            err.println("--family must be one of " + Workloads.FAMILIES + " or all, got " + family);
            return 2;
        }
        if (batch < 0 || warmup < 0 || repeats < 1 || !(minSeconds >= 0 && minSeconds <= 600)
                || !(warmupSeconds >= 0 && warmupSeconds <= 600)) {
            err.printf("--batch must be >= 0, --warmup >= 0, --warmup-seconds in [0, 600], --repeats >= 1 and"
                    + " --min-seconds in [0, 600], got %d, %d, %s, %d, %s%n", batch, warmup, warmupSeconds, repeats,
                    minSeconds);
            return 2;
        }
        if (opTrace != null && noOps) {
            err.println("--op-trace needs the profiled step: drop --no-ops");
            return 2;
        }
        global.apply();
        OpCounter.keepTraces(opTrace);
        Bench.Options options = new Bench.Options(warmup, warmupSeconds, repeats, minSeconds, !noOps);
        out.println("mkl: " + MatmulCheck.mklPath());
        out.println("malloc: " + NativeMalloc.keepFreedMemory());
        out.println("openmp: " + OpenMpWait.configure());
        out.println("autocast: " + Autocast.describe());
        for (String f : families) {
            Device device = Devices.preferred(); // --device, else GEN4J_DEVICE, else the engine's default
            try (Workload w = Workloads.create(f, batch, device, Workloads.Inputs.ENGINE)) {
                Bench.Result r = Bench.run(w, device, options);
                out.println(r.describe());
                if (tsv) {
                    out.println("TSV\t" + r.tsv());
                }
                if (opTrace != null) {
                    out.println("op traces so far: " + OpCounter.keptTraces());
                }
                out.flush();
            }
        }
        return 0;
    }
}
