package io.gen4j.diffusion.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.gen4j.core.math.Scalars;
import io.gen4j.core.model.Condition;
import io.gen4j.core.runtime.StopSignal;
import io.gen4j.diffusion.DiffusionModel;
import io.gen4j.diffusion.SamplerResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The loop of the σ-space samplers, the counterpart of {@code SamplerLoop}: x_T (variance
 * preserving, at the grid's first step) is rescaled to x = x_T·√(1 + σ_0²), then for i = 0 … n−1
 * the model gives D(x; σ_i) and the sampler's update maps x from σ_i to σ_{i+1} (σ_n = 0). Each
 * iteration runs in its own sub-manager; only the state and the previous D (for multistep
 * methods) survive it. Trajectory states are converted back to variance-preserving variables,
 * x_t = x/√(1 + σ²), so they compare with DDPM/DDIM trajectories.
 */
final class SigmaLoop {

    /** One update from σ_i to σ_{i+1}. */
    @FunctionalInterface
    interface Update {
        /**
         * @param x the state at σ_i, in the iteration's scope
         * @param denoised D(x; σ_i)
         * @param previous D at σ_{i−1} from the previous iteration, or null at i = 0
         * @param i the index of the step
         * @param sigmas σ_0 … σ_{n−1} followed by 0
         * @return the state at σ_{i+1}, computed from x or denoised (first operand)
         */
        NDArray apply(NDArray x, NDArray denoised, NDArray previous, int i, double[] sigmas);
    }

    private SigmaLoop() {}

    static SamplerResult run(DiffusionModel model, NDArray xT, double[] visited, Condition condition,
            boolean keepTrajectory, int evaluations, Update update) {
        long t0 = System.nanoTime();
        int n = visited.length;
        double[] sigmas = new double[n + 1];
        System.arraycopy(visited, 0, sigmas, 0, n);
        for (int i = 0; i < n; i++) {
            if (!(sigmas[i] > 0) || (i > 0 && !(sigmas[i] < sigmas[i - 1]))) {
                throw new IllegalArgumentException("sigmas must be positive and strictly decreasing, got "
                        + java.util.Arrays.toString(visited));
            }
        }
        NDManager out = xT.getManager();
        List<NDArray> trajectory = new ArrayList<>();
        if (keepTrajectory) {
            trajectory.add(xT.duplicate());
        }
        NDArray result;
        try {
            try (NDManager loop = out.newSubManager()) {
                NDArray x = Scalars.times(xT, SigmaSpace.scale(sigmas[0]));
                x.attach(loop);
                NDArray previous = null;
                for (int i = 0; i < n; i++) {
                    StopSignal.throwIfRequested(); // a safe point: Ctrl-C under the CLI stops here
                    NDArray next;
                    NDArray denoised;
                    try (NDManager scope = loop.newSubManager()) {
                        x.tempAttach(scope);
                        if (previous != null) {
                            previous.tempAttach(scope);
                        }
                        denoised = SigmaSpace.denoise(model, x, sigmas[i], condition);
                        next = update.apply(x, denoised, previous, i, sigmas);
                        next.attach(loop);
                        denoised.attach(loop);
                    }
                    x.close();
                    if (previous != null) {
                        previous.close();
                    }
                    previous = denoised;
                    x = next;
                    if (keepTrajectory) {
                        NDArray state = Scalars.dividedBy(x, SigmaSpace.scale(sigmas[i + 1]));
                        state.attach(out);
                        trajectory.add(state);
                    }
                }
                result = keepTrajectory ? trajectory.get(n).duplicate() : x;
                result.attach(out);
            }
        } catch (RuntimeException | Error e) {
            // a stop or a failure: the copies kept so far are in the caller's manager
            trajectory.forEach(NDArray::close);
            throw e;
        }
        return new SamplerResult(result, trajectory, evaluations, Duration.ofNanos(System.nanoTime() - t0));
    }
}
