package io.gen4j.examples.topics.sedd;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import io.gen4j.core.data.BatchSource;
import io.gen4j.core.train.TrainingStep;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * The CPU cost of one training step of several trainings, and the clock the topic's equal-time
 * comparison runs on. The topic uses the measured costs only to size the baseline's learning-rate
 * schedule before its first step; the baseline's actual step count is set by a CPU budget ({@link
 * CpuBudget}), because a thread's CPU time per step drifts 10–20 % between phases on a shared
 * machine (the fourth KJV run: calibrated step counts gave the baseline 0.910 of SEDD's training CPU).
 *
 * <p><b>Which clock, and why.</b> The trainings run with <em>one</em> libtorch intra-op thread
 * ({@link #withOneThread}), and the clock is the CPU time of the <em>calling thread</em> ({@link
 * #threadCpuNanos}, {@code ThreadMXBean.getCurrentThreadCpuTime}). With one intra-op thread libtorch
 * computes on the thread that calls it, so that thread's CPU time is the training's work and nothing
 * else: it does not count the JVM's compiler and garbage-collector threads, and a busy machine
 * inflates it far less than the other clocks, though not to zero (on this shared virtual machine a
 * step's thread CPU moved by 20–25 % between the calibration and the trainings of one run,
 * docs/topics/11-05-sedd.md §9.6). The two clocks used before fail under load: wall time stretches with
 * whatever else runs (the first KJV run measured 359 s for SEDD against 157 s for the baseline at
 * equal steps), and the process's CPU time with two intra-op threads charges the time a worker spins
 * at a barrier while its partner is descheduled, which depends on the load (the second run:
 * calibrated 0.125 against 0.153 s per step, then 98.6 s against 43.1 s of CPU in training).
 *
 * <p>The steps are measured <em>interleaved</em> (one step of each training in turn, after a
 * warm-up), so JIT compilation and cache effects fall on all of them alike.
 */
final class StepCost {

    private StepCost() {}

    /**
     * @return the CPU time of the calling thread, in nanoseconds
     * @throws IllegalStateException when the JVM cannot measure it
     */
    static long threadCpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        if (!threads.isCurrentThreadCpuTimeSupported()) {
            throw new IllegalStateException("this JVM cannot measure a thread's CPU time, which the equal-time "
                    + "comparison needs");
        }
        return threads.getCurrentThreadCpuTime();
    }

    /**
     * Runs a body with one libtorch intra-op thread, then restores the previous count, so that the
     * engine computes on the calling thread and {@link #threadCpuNanos} measures all of its work.
     *
     * @param body what to run
     * @param <T> its result
     * @return its result
     * @throws Exception what the body throws
     */
    static <T> T withOneThread(Callable<T> body) throws Exception {
        Engine.getInstance(); // loads the native library
        int threads = JniUtils.getNumThreads();
        JniUtils.setNumThreads(1);
        try {
            return body.call();
        } finally {
            JniUtils.setNumThreads(threads);
        }
    }

    /**
     * Measures each training's thread CPU seconds per step on throwaway models; call it inside
     * {@link #withOneThread}.
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
                        long start = threadCpuNanos();
                        steps[j].step(batch, k);
                        if (k >= warmup) {
                            seconds[j] += (threadCpuNanos() - start) / 1e9;
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
