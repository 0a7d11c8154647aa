package io.gen4j.examples.bench;

import ai.djl.ndarray.NDManager;
import io.gen4j.core.kernels.Kernels;
import io.gen4j.core.runtime.ConvGuard;
import io.gen4j.core.runtime.StopSignal;
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
     * @param warmupSeconds keep running untimed steps until this long has passed too: the JIT compiles a
     *     method after thousands of calls, so a few steps of a small model leave the timed steps running
     *     (and compiling) interpreted code
     * @param repeats timed steps at least; the medians are reported
     * @param minSeconds time steps for at least this long (more steps than {@code repeats} when they
     *     are short), so that the process CPU time, which the JVM reads in 10 ms clock ticks, is precise
     * @param countOps whether to profile one more step for the operation counts
     */
    public record Options(int warmup, double warmupSeconds, int repeats, double minSeconds, boolean countOps) {
        /** Validates. */
        public Options {
            if (warmup < 0 || repeats < 1 || !(warmupSeconds >= 0 && warmupSeconds <= 600)
                    || !(minSeconds >= 0 && minSeconds <= 600)) {
                throw new IllegalArgumentException("warmup must be >= 0, warmupSeconds in [0, 600], repeats >= 1 and"
                        + " minSeconds in [0, 600], got " + warmup + ", " + warmupSeconds + ", " + repeats + ", "
                        + minSeconds);
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
     * @param threadCpuMillis CPU time per step of the thread that ran the steps (at one libtorch thread
     *     that is where libtorch computes too), mean over the timed steps; the rest of {@code cpuMillis} is
     *     other threads: libtorch's workers, the JVM's garbage collector and JIT compilers
     * @param jvmMillis per step, the time the JVM reports for garbage collection plus JIT compilation
     *     during the timed steps ({@code GarbageCollectorMXBean}, {@code CompilationMXBean}); elapsed times of
     *     those threads, not their CPU time, so they grow when the machine is busy; NaN if not reported
     * @param warmupSteps untimed steps run before
     */
    public record Phase(double wallMillis, double cpuMillis, double itemsPerSecond, double gflops,
            OpCounter.Counts ops, double threadCpuMillis, double jvmMillis, int warmupSteps) {

        String describe() {
            return String.format(Locale.ROOT, "%9.2f ms/step wall, %9.2f ms/step cpu (%.2f on the stepping thread,"
                    + " %.2f JVM GC+JIT), %10.1f items/s, %s GFLOP/s, ops/step %s, after %d warm-up steps",
                    wallMillis, cpuMillis, threadCpuMillis, jvmMillis, itemsPerSecond,
                    Double.isNaN(gflops) ? "n/a" : String.format(Locale.ROOT, "%.2f", gflops),
                    ops == null ? "n/a" : ops.topLevel() + " top-level (" + ops.total() + " operator calls)",
                    warmupSteps);
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

        /**
         * @return one tab-separated line for scripts: family, batch, train wall/cpu ms, sample wall/cpu ms,
         *     peak RSS MiB, train/sample top-level operations (empty when not counted), train/sample
         *     stepping-thread cpu ms, train/sample JVM GC+JIT ms
         */
        public String tsv() {
            return String.join("\t", family, String.valueOf(batch), fmt(train.wallMillis()), fmt(train.cpuMillis()),
                    fmt(sample.wallMillis()), fmt(sample.cpuMillis()), String.valueOf(peakRssMiB),
                    train.ops() == null ? "" : String.valueOf(train.ops().topLevel()),
                    sample.ops() == null ? "" : String.valueOf(sample.ops().topLevel()),
                    fmt(train.threadCpuMillis()), fmt(sample.threadCpuMillis()), fmt(train.jvmMillis()),
                    fmt(sample.jvmMillis()));
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
        return run(workload, null, options);
    }

    /**
     * @param workload the model to time (not closed), built on {@code device}
     * @param device where each step's arrays live, null for the engine's default device
     * @param options counts
     * @return the figures
     */
    public static Result run(Workload workload, ai.djl.Device device, Options options) {
        String guard = ConvGuard.status().mode().toString();
        try (NDManager manager = NDManager.newBaseManager(device)) {
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

    static Phase phase(LongConsumer body, int units, int batch, double flops, Options options) {
        int warm = 0;
        long warmStart = System.nanoTime();
        while (warm < options.warmup() || System.nanoTime() - warmStart < options.warmupSeconds() * 1e9) {
            StopSignal.throwIfRequested(); // Ctrl-C: stop between steps, not inside a backward pass
            body.accept(warm++);
        }
        double[] wall = new double[options.repeats()];
        int steps = 0;
        long j0 = jvmMillis();
        long start = System.nanoTime();
        long c0 = processCpuNanos();
        long tc0 = threadCpuNanos();
        while (steps < options.repeats() || System.nanoTime() - start < options.minSeconds() * 1e9) {
            if (steps == wall.length) {
                wall = Arrays.copyOf(wall, 2 * wall.length);
            }
            StopSignal.throwIfRequested();
            long t0 = System.nanoTime();
            body.accept(steps);
            wall[steps++] = (System.nanoTime() - t0) / 1e6 / units;
        }
        double cpu = (processCpuNanos() - c0) / 1e6 / units / steps;
        double threadCpu = (threadCpuNanos() - tc0) / 1e6 / units / steps;
        long j1 = jvmMillis();
        double jvm = j0 < 0 || j1 < 0 ? Double.NaN : (double) (j1 - j0) / units / steps;
        wall = Arrays.copyOf(wall, steps);
        OpCounter.Counts ops = null;
        if (options.countOps() && OpCounter.available()) {
            OpCounter.Counts c = OpCounter.count(() -> body.accept(0));
            ops = new OpCounter.Counts(c.topLevel() / units, c.total() / units);
        }
        double w = median(wall);
        // flops is per unit (Workload#sampleFlops) and w per unit
        return new Phase(w, cpu, batch / (w / 1e3), flops / (w / 1e3) / 1e9, ops, threadCpu, jvm, warm);
    }

    /** @return CPU time of the calling thread in nanoseconds (user + system) */
    static long threadCpuNanos() {
        return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    /**
     * @return milliseconds the JVM has spent in garbage collection (all collectors) plus JIT compilation
     *     so far, -1 when either is not reported
     */
    static long jvmMillis() {
        long total = 0;
        for (java.lang.management.GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            long t = gc.getCollectionTime();
            if (t < 0) {
                return -1;
            }
            total += t;
        }
        java.lang.management.CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
            return -1;
        }
        return total + jit.getTotalCompilationTime();
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
