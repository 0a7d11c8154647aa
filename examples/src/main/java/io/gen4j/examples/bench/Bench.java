package io.gen4j.examples.bench;

import ai.djl.ndarray.NDManager;
import io.gen4j.core.kernels.Kernels;
import io.gen4j.core.runtime.ConvGuard;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.LongConsumer;

/**
 * Times a {@link Workload}'s training step and sampler: median wall time and mean process CPU
 * time (user + system of every thread, libtorch's included) per step, images/s, achieved GFLOP/s,
 * the libtorch operations issued per step ({@link OpCounter}, one extra untimed step) and the
 * process's peak resident set.
 *
 * <p>CPU time is the figure to compare on a shared machine: other processes lengthen the wall time
 * of a step but not the CPU time it consumes (as long as the step does not spin while waiting).
 */
public final class Bench {

    /**
     * @param warmup untimed steps first (JIT, allocator, oneDNN primitive caches)
     * @param repeats timed steps at least; the medians are reported
     * @param minSeconds time steps for at least this long (more steps than {@code repeats} when they
     *     are short), so that the process CPU time, which the JVM reads in 10 ms clock ticks, is precise
     * @param countOps whether to profile one more step for the operation counts
     */
    public record Options(int warmup, int repeats, double minSeconds, boolean countOps) {
        /** Validates. */
        public Options {
            if (warmup < 0 || repeats < 1 || !(minSeconds >= 0 && minSeconds <= 600)) {
                throw new IllegalArgumentException("warmup must be >= 0, repeats >= 1 and minSeconds in [0, 600], got "
                        + warmup + ", " + repeats + ", " + minSeconds);
            }
        }
    }

    /**
     * Figures of one phase (training or sampling).
     *
     * @param wallMillis median wall time per step (sampler: per unit)
     * @param cpuMillis mean process CPU time (user + sys) per step over the timed steps (the JVM reads it
     *     in clock ticks, 10 ms on Linux, so a per-step median would be too coarse)
     * @param itemsPerSecond batch / wall time
     * @param gflops analytic FLOPs / wall time, NaN when the workload has no FLOP count
     * @param ops operations per step, null when not counted
     */
    public record Phase(double wallMillis, double cpuMillis, double itemsPerSecond, double gflops,
            OpCounter.Counts ops) {

        String describe() {
            return String.format(Locale.ROOT, "%9.2f ms/step wall, %9.2f ms/step cpu, %10.1f items/s, %s GFLOP/s,"
                    + " ops/step %s", wallMillis, cpuMillis, itemsPerSecond,
                    Double.isNaN(gflops) ? "n/a" : String.format(Locale.ROOT, "%.2f", gflops),
                    ops == null ? "n/a" : ops.topLevel() + " top-level (" + ops.total() + " operator calls)");
        }
    }

    /**
     * @param family the family
     * @param description the model
     * @param batch the batch
     * @param sampleUnit what a sampler step is
     * @param train training figures
     * @param sample sampler figures (per unit)
     * @param peakRssMiB the process's peak resident set after both phases (VmHWM), -1 if unknown
     * @param convGuard the convolution guard in force
     * @param kernels the fused kernels in force ({@code io.gen4j.core.kernels.Kernels#describe})
     */
    public record Result(String family, String description, int batch, String sampleUnit, Phase train,
            Phase sample, long peakRssMiB, String convGuard, String kernels) {

        /** @return a few human-readable lines */
        public String describe() {
            return String.format(Locale.ROOT, "%s: %s, batch %d, conv guard %s, kernels %s%n  train  %s%n"
                    + "  sample %s  [%s]%n  peak RSS %d MiB", family, description, batch, convGuard, kernels,
                    train.describe(),
                    sample.describe(), sampleUnit, peakRssMiB);
        }

        /** @return one tab-separated line for scripts: family, then train and sample wall/cpu ms */
        public String tsv() {
            return String.join("\t", family, String.valueOf(batch), fmt(train.wallMillis()), fmt(train.cpuMillis()),
                    fmt(sample.wallMillis()), fmt(sample.cpuMillis()), String.valueOf(peakRssMiB),
                    train.ops() == null ? "" : String.valueOf(train.ops().topLevel()),
                    sample.ops() == null ? "" : String.valueOf(sample.ops().topLevel()));
        }

        private static String fmt(double v) {
            return String.format(Locale.ROOT, "%.3f", v);
        }
    }

    private Bench() {}

    /**
     * @param workload the model to time (not closed)
     * @param options counts
     * @return the figures
     */
    public static Result run(Workload workload, Options options) {
        String guard = ConvGuard.status().mode().toString();
        try (NDManager manager = NDManager.newBaseManager()) {
            String kernels = Kernels.forArray(manager.zeros(new ai.djl.ndarray.types.Shape(1))).describe();
            long[] next = {0};
            LongConsumer train = i -> {
                try (NDManager scope = manager.newSubManager()) {
                    workload.trainStep(scope, next[0]++);
                }
            };
            LongConsumer sample = i -> {
                try (NDManager scope = manager.newSubManager()) {
                    workload.sampleStep(scope);
                }
            };
            Phase t = phase(train, 1, workload.batch(), workload.trainFlops(), options);
            Phase s = phase(sample, workload.sampleUnits(), workload.batch(), workload.sampleFlops(), options);
            return new Result(workload.family(), workload.description(), workload.batch(), workload.sampleUnit(), t, s,
                    peakRssMiB(), guard, kernels);
        }
    }

    private static Phase phase(LongConsumer body, int units, int batch, double flops, Options options) {
        for (int i = 0; i < options.warmup(); i++) {
            body.accept(i);
        }
        double[] wall = new double[options.repeats()];
        int steps = 0;
        long start = System.nanoTime();
        long c0 = processCpuNanos();
        while (steps < options.repeats() || System.nanoTime() - start < options.minSeconds() * 1e9) {
            if (steps == wall.length) {
                wall = Arrays.copyOf(wall, 2 * wall.length);
            }
            long t0 = System.nanoTime();
            body.accept(steps);
            wall[steps++] = (System.nanoTime() - t0) / 1e6 / units;
        }
        double cpu = (processCpuNanos() - c0) / 1e6 / units / steps;
        wall = Arrays.copyOf(wall, steps);
        OpCounter.Counts ops = null;
        if (options.countOps() && OpCounter.available()) {
            OpCounter.Counts c = OpCounter.count(() -> body.accept(0));
            ops = new OpCounter.Counts(c.topLevel() / units, c.total() / units);
        }
        double w = median(wall);
        return new Phase(w, cpu, batch / (w / 1e3), flops / units / (w / 1e3) / 1e9, ops);
    }

    /** @return user + system CPU time of the whole process (all threads), in nanoseconds */
    static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        throw new IllegalStateException("this JVM does not report the process CPU time");
    }

    /** @return the process's peak resident set in MiB (Linux VmHWM), or -1 elsewhere */
    public static long peakRssMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
