package io.gen4j.diffusion.discrete;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.gen4j.core.runtime.StopSignal;
import java.util.ArrayList;
import java.util.List;

/**
 * A sampler of a discrete diffusion: runs the reverse chain from the limit at t = 1 to t = 0 over
 * {@code steps} equal intervals, t_k = 1 − k/steps. Every interval but the last uses the sampler's
 * own step ({@link #probabilities}); the last, down to t = 0, is the analytic (Tweedie) denoising
 * step for every sampler, as in SEDD's reference code, so that no mask survives. Given tokens
 * ({@link TokenCondition}) are put in at the start and after every step. Each iteration runs in its
 * own memory scope; the network is evaluated {@code steps} times.
 *
 * <p>Implementations are stateless: {@link EulerSampler}, {@link AnalyticSampler}.
 */
public interface DiscreteSampler {

    /**
     * The distribution of the next tokens of one step.
     *
     * @param model the diffusion
     * @param output ℓ at (x_t, t)
     * @param xt tokens (N, L)
     * @param t the current time
     * @param s the next time, in (0, t)
     * @return unnormalised probabilities (N, L, states)
     */
    NDArray probabilities(DiscreteDiffusion model, NDArray output, NDArray xt, double t, double s);

    /**
     * Runs the sampler.
     *
     * @param model the diffusion
     * @param start x_1, tokens (N, L) (e.g. {@link DiscreteProcess#limit}), owned by the manager of
     *     the result
     * @param condition tokens held fixed
     * @param steps network evaluations, at least 1
     * @param keepTrajectory whether to keep the tokens after every step
     * @return the samples
     */
    default DiscreteSamplerResult sample(DiscreteDiffusion model, NDArray start, TokenCondition condition, int steps,
            boolean keepTrajectory) {
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        }
        NDManager manager = start.getManager();
        NDArray x;
        try (NDManager scope = manager.newSubManager()) {
            NDArray s = start.duplicate();
            s.attach(scope);
            x = condition.apply(s);
            x.attach(manager);
        }
        List<NDArray> trajectory = new ArrayList<>();
        if (keepTrajectory) {
            trajectory.add(x.duplicate());
        }
        try {
            for (int k = 0; k < steps; k++) {
                StopSignal.throwIfRequested(); // a safe point: Ctrl-C under the CLI stops here
                double t = 1 - (double) k / steps;
                double s = k == steps - 1 ? 0 : 1 - (double) (k + 1) / steps;
                NDArray next;
                try (NDManager scope = manager.newSubManager()) {
                    NDArray xs = x.duplicate();
                    xs.attach(scope);
                    NDArray output = model.output(xs, t);
                    NDArray probabilities = k == steps - 1
                            ? model.process().analyticProbabilities(output, xs, t, s, model.noise())
                            : probabilities(model, output, xs, t, s);
                    next = condition.apply(Tokens.sampleCategorical(probabilities));
                    next.attach(manager);
                }
                x.close();
                x = next;
                if (keepTrajectory) {
                    trajectory.add(x.duplicate());
                }
            }
        } catch (RuntimeException | Error e) {
            // a stop or a failure: the state and the copies kept so far are in the caller's manager
            x.close();
            trajectory.forEach(NDArray::close);
            throw e;
        }
        return new DiscreteSamplerResult(x, trajectory, steps);
    }
}
