package io.gen4j.diffusion;

import ai.djl.ndarray.NDArray;
import io.gen4j.core.model.Condition;

/**
 * A stateless diffusion sampler: every implementation takes the same arguments (k-diffusion's
 * convention), so that pipelines never branch on the sampler type. Its own hyperparameters (η,
 * variance choice) are fields of the implementing record.
 *
 * <p>Implementations run each iteration in its own NDManager sub-scope: the number of managed
 * arrays does not grow with the number of steps. {@link SamplerLoop} does that for you.
 *
 * <p>A sampler of your own (Euler, Heun, DPM-Solver, another η schedule) is a record implementing
 * this interface around {@link SamplerLoop}, checked with {@code
 * io.gen4j.diffusion.testing.SamplerChecks} from gen-diffusion's test-jar: on the exact denoiser of
 * Gaussian data its samples must follow the data law, a deterministic one must match the exact
 * probability-flow ODE within a stated bound, and it must keep memory flat (docs/extending.md).
 */
@FunctionalInterface
public interface Sampler {

    /**
     * Runs the reverse process from x_T down to clean data along {@code grid}.
     *
     * @param model the denoiser-as-model
     * @param xT start noise, shape (N, ...), usually N(0, I); not modified or closed
     * @param grid the steps to visit, each in [0, T−1] of the model's schedule
     * @param condition what to condition on
     * @param keepTrajectory whether to return every intermediate state
     * @return samples, trajectory, steps and wall time; arrays in the manager of {@code xT}
     */
    SamplerResult sample(
            DiffusionModel model,
            NDArray xT,
            TimeGrid grid,
            Condition condition,
            boolean keepTrajectory);
}
