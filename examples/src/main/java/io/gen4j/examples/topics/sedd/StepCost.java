package io.gen4j.examples.topics.sedd;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.gen4j.core.data.BatchSource;
import io.gen4j.core.train.TrainingStep;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.function.Function;

/**
 * The CPU cost of one training step of several trainings, measured so that the topic can train them
 * for the same <em>time</em> with a fixed (resumable) number of steps each.
 *
 * <p>Why process CPU time and not wall time: the machines this runs on are shared, and another job
 * that runs during one training but not the other stretches only that training's wall time (the
 * first KJV run of the topic measured 359 s for SEDD against 157 s for the baseline at equal
 * steps, with tests overlapping the SEDD phase). The process's CPU time counts only the work of this
 * JVM (all its threads, libtorch's included). The steps are measured <em>interleaved</em> (one step
 * of each training in turn, after a warm-up), so JIT compilation, garbage collection and the
 * machine's load fall on all of them alike. Why steps and not a time limit inside the loop: a fixed
 * step count keeps the learning-rate schedule defined from the start and the training bit-exactly
 * resumable.
 */
final class StepCost {

    private StepCost() {}

    /** @return the CPU time of this process (all threads), in nanoseconds, or 0 when unavailable */
    static long cpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime()
                : 0;
    }

    /**
     * Measures each training's CPU seconds per step on throwaway models.
     *
     * @param makers one per training: builds a fresh training step whose parameters live in the given
     *     manager (closed after the measurement)
     * @param source the batches (the same batch shape for all)
     * @param manager the parent manager
     * @param warmup untimed rounds first
     * @param rounds timed rounds
     * @return CPU seconds per step, one per maker
     */
    static double[] measure(List<Function<NDManager, TrainingStep>> makers, BatchSource source, NDManager manager,
            int warmup, int rounds) {
        if (warmup < 0 || rounds < 1) {
            throw new IllegalArgumentException("need warmup >= 0 and rounds >= 1, got " + warmup + ", " + rounds);
        }
        double[] seconds = new double[makers.size()];
        try (NDManager scope = manager.newSubManager()) {
            TrainingStep[] steps = new TrainingStep[makers.size()];
            for (int j = 0; j < steps.length; j++) {
                steps[j] = makers.get(j).apply(scope);
            }
            for (int k = 0; k < warmup + rounds; k++) {
                for (int j = 0; j < steps.length; j++) {
                    try (NDManager step = scope.newSubManager()) {
                        NDList batch = source.next(step);
                        long start = cpuNanos();
                        steps[j].step(batch, k);
                        if (k >= warmup) {
                            seconds[j] += (cpuNanos() - start) / 1e9;
                        }
                    }
                }
            }
        }
        for (int j = 0; j < seconds.length; j++) {
            seconds[j] /= rounds;
        }
        return seconds;
    }

    /**
     * The steps that spend the same CPU time as {@code referenceSteps} steps of the reference.
     *
     * @param referenceSteps the reference training's steps
     * @param referenceCost its seconds per step, &gt; 0
     * @param cost the other training's seconds per step, &gt; 0
     * @return round(referenceSteps · referenceCost / cost), at least 1
     */
    static long equalTimeSteps(long referenceSteps, double referenceCost, double cost) {
        if (!(referenceCost > 0) || !(cost > 0)) {
            throw new IllegalArgumentException("step costs must be > 0, got " + referenceCost + " and " + cost);
        }
        return Math.max(1, Math.round(referenceSteps * referenceCost / cost));
    }
}
