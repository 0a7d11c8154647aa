package io.gen4j.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.gen4j.core.model.Condition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The loop every first-order sampler shares: walk the grid, ask the model for (x̂_0, ε̂), apply
 * the sampler's update, and keep memory flat by running each iteration in its own sub-manager.
 */
final class SamplerLoop {

    /** One update x_from -> x_to given the model's estimate at x_from. */
    @FunctionalInterface
    interface Update {
        /**
         * @param x the current state, attached to {@code scope}
         * @param estimate x̂_0 and ε̂ at (x, from)
         * @param from the current step (−1 for clean data, in inversion)
         * @param to the target step (−1 for clean data)
         * @param schedule the model's schedule
         * @return the new state, in {@code scope}
         */
        NDArray apply(
                NDArray x, DiffusionModel.Estimate estimate, int from, int to,
                NoiseSchedule schedule);
    }

    private SamplerLoop() {}

    /**
     * @param steps pairs (from, to, evaluation step) walked in order
     */
    static SamplerResult run(
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
        try (NDManager loop = out.newSubManager()) {
            for (int[] step : steps) {
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
        Duration wall = Duration.ofNanos(System.nanoTime() - t0);
        return new SamplerResult(x, trajectory, steps.length, wall);
    }

    /** The (from, to, evaluate-at) triples of the reverse process along a grid. */
    static int[][] reverse(TimeGrid grid, NoiseSchedule schedule) {
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
