package io.gen4j.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.gen4j.core.model.Condition;
import io.gen4j.core.runtime.StopSignal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The loop every diffusion sampler runs: walk a list of steps, ask the model for (x̂_0, ε̂) at each,
 * apply the sampler's update, and keep memory flat by running each iteration in its own sub-manager
 * (docs/memory.md rule 3): only the current state survives an iteration, the result and the
 * optional trajectory go to the manager of the start state. {@link DdpmSampler} and {@link
 * DdimSampler} are a few lines around it; a {@link Sampler} of your own uses it the same way:
 *
 * <pre>{@code
 * public record MySampler() implements Sampler {
 *     public SamplerResult sample(DiffusionModel model, NDArray xT, TimeGrid grid, Condition condition,
 *             boolean keepTrajectory) {
 *         return SamplerLoop.run(model, xT, SamplerLoop.reverse(grid, model.schedule()), condition,
 *                 keepTrajectory, (x, estimate, from, to, schedule) -> {
 *                     double abTo = schedule.alphaBar(to);            // to = -1: clean data, alphaBar = 1
 *                     return estimate.x0().mul(Math.sqrt(abTo)).add(estimate.epsilon().mul(Math.sqrt(1 - abTo)));
 *                 });
 *     }
 * }
 * }</pre>
 *
 * <p>An update may evaluate the model again (a second-order corrector, a fixed-point refinement:
 * capture the model and condition in the lambda); those evaluations run inside the same iteration
 * scope. {@link SamplerResult#steps()} of the returned result counts one evaluation per step: a
 * sampler that makes more rebuilds the result with its true count, as {@link DdimSampler#invert}
 * does.
 */
public final class SamplerLoop {

    /**
     * One update x_from → x_to given the model's estimate at x_from. Compute from {@code x} or the
     * estimate (first operand), so that everything lands in the iteration's scope; draw noise with
     * {@code x.getManager().randomNormal(...)}.
     */
    @FunctionalInterface
    public interface Update {
        /**
         * @param x the current state, attached to the iteration's scope
         * @param estimate x̂_0 and ε̂ at (x, from)
         * @param from the current step (−1 for clean data, in inversion)
         * @param to the target step (−1 for clean data)
         * @param schedule the model's schedule
         * @return the new state, in the scope of {@code x}
         */
        NDArray apply(
                NDArray x, DiffusionModel.Estimate estimate, int from, int to,
                NoiseSchedule schedule);
    }

    private SamplerLoop() {}

    /**
     * Walks the steps in order: at each, the model is evaluated at (x, evaluation step), the update
     * maps x from {@code from} to {@code to}, and the iteration's scope is closed.
     *
     * @param model the denoiser-as-model
     * @param start the start state (x_T, or x_0 for an inversion), not modified or closed
     * @param steps triples (from, to, evaluation step), e.g. from {@link #reverse}
     * @param condition what to condition on
     * @param keepTrajectory whether to return the start state and every state after it
     * @param update the sampler's update
     * @return the last state, the trajectory, {@code steps.length} evaluations and the wall time;
     *     arrays in the manager of {@code start}
     */
    public static SamplerResult run(
            DiffusionModel model,
            NDArray start,
            int[][] steps,
            Condition condition,
            boolean keepTrajectory,
            Update update) {
        long t0 = System.nanoTime();
        NDManager out = start.getManager();
        List<NDArray> trajectory = new ArrayList<>();
        if (keepTrajectory) {
            trajectory.add(start.duplicate());
        }
        NDArray x = start;
        try {
            try (NDManager loop = out.newSubManager()) {
                for (int[] step : steps) {
                    StopSignal.throwIfRequested(); // a safe point: Ctrl-C under the CLI stops here
                    NDArray next;
                    try (NDManager scope = loop.newSubManager()) {
                        x.tempAttach(scope);
                        DiffusionModel.Estimate estimate = model.estimate(x, step[2], condition);
                        next = update.apply(x, estimate, step[0], step[1], model.schedule());
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
                x.attach(out);
            }
        } catch (RuntimeException | Error e) {
            // a stop or a failure: the copies kept so far are in the caller's manager
            trajectory.forEach(NDArray::close);
            throw e;
        }
        Duration wall = Duration.ofNanos(System.nanoTime() - t0);
        return new SamplerResult(x, trajectory, steps.length, wall);
    }

    /**
     * The (from, to, evaluate-at) triples of the reverse process along a grid: (t_i, t_{i+1}, t_i)
     * for every visited step, the last one to −1 (clean data).
     *
     * @param grid the visited steps
     * @param schedule the schedule they index
     * @return one triple per visited step
     * @throws IllegalArgumentException when the grid starts beyond the schedule's last step
     */
    public static int[][] reverse(TimeGrid grid, NoiseSchedule schedule) {
        checkGrid(grid, schedule);
        int[][] pairs = new int[grid.size()][];
        for (int i = 0; i < grid.size(); i++) {
            pairs[i] = new int[] {grid.step(i), grid.next(i), grid.step(i)};
        }
        return pairs;
    }

    static void checkGrid(TimeGrid grid, NoiseSchedule schedule) {
        if (grid.step(0) >= schedule.steps()) {
            throw new IllegalArgumentException(
                    "time grid starts at " + grid.step(0) + " but the schedule has steps 0.."
                            + (schedule.steps() - 1));
        }
    }
}
