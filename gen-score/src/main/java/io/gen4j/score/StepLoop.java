package io.gen4j.score;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.gen4j.core.runtime.StopSignal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The loop under every fixed-step sampler of this module (reverse SDE, Langevin, fixed-step ODE
 * solvers): each iteration runs in its own {@link NDManager} scope, so that whatever the network
 * allocates is freed before the next one (docs/memory.md); only the current state and, when asked,
 * the copies of the trajectory live on.
 */
public final class StepLoop {

    /** One iteration. */
    @FunctionalInterface
    public interface Update {
        /**
         * @param x the current state (attached to this iteration's scope for the call)
         * @param i the iteration, 0-based
         * @return the next state, in the manager of {@code x}
         */
        NDArray apply(NDArray x, int i);
    }

    private StepLoop() {}

    /**
     * @param start the initial state; the result goes to its manager, and it is not modified
     * @param iterations how many updates, ≥ 0
     * @param evaluationsPerIteration network evaluations each update spends (for the result)
     * @param keepTrajectory whether to keep a copy of every state
     * @param update the iteration
     * @return the final state and the trajectory
     */
    public static SamplingResult run(NDArray start, int iterations, int evaluationsPerIteration,
            boolean keepTrajectory, Update update) {
        if (iterations < 0) {
            throw new IllegalArgumentException("iterations must be >= 0, got " + iterations);
        }
        long t0 = System.nanoTime();
        NDManager out = start.getManager();
        List<NDArray> trajectory = new ArrayList<>();
        if (keepTrajectory) {
            trajectory.add(start.duplicate());
        }
        NDArray x = start;
        try {
            try (NDManager loop = out.newSubManager()) {
                for (int i = 0; i < iterations; i++) {
                    StopSignal.throwIfRequested(); // a safe point: Ctrl-C under the CLI stops here
                    NDArray next;
                    try (NDManager scope = loop.newSubManager()) {
                        x.tempAttach(scope);
                        next = update.apply(x, i);
                        next.attach(loop);
                    }
                    if (x != start) {
                        x.close();
                    }
                    x = next;
                    if (keepTrajectory) {
                        NDArray copy = x.duplicate();
                        copy.attach(out);
                        trajectory.add(copy);
                    }
                }
                if (x == start) {
                    x = start.duplicate();
                }
                x.attach(out);
            }
        } catch (RuntimeException | Error e) {
            // a stop or a failure: the copies kept so far are in the caller's manager
            trajectory.forEach(NDArray::close);
            throw e;
        }
        return new SamplingResult(x, trajectory, iterations * evaluationsPerIteration,
                Duration.ofNanos(System.nanoTime() - t0));
    }
}
