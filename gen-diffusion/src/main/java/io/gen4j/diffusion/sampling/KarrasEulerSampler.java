package io.gen4j.diffusion.sampling;

import ai.djl.ndarray.NDArray;
import io.gen4j.core.math.Scalars;
import io.gen4j.core.model.Condition;
import io.gen4j.diffusion.DiffusionModel;
import io.gen4j.diffusion.Sampler;
import io.gen4j.diffusion.SamplerResult;
import io.gen4j.diffusion.TimeGrid;

/**
 * Euler's method on the probability-flow ODE in σ-space (Karras et al. 2022, Algorithm 1 without
 * the second-order correction and without churn; k-diffusion's {@code sample_euler}, diffusers'
 * {@code EulerDiscreteScheduler}):
 *
 * <pre>
 *   d_i     = (x_i − D(x_i; σ_i)) / σ_i
 *   x_{i+1} = x_i + (σ_{i+1} − σ_i) · d_i
 * </pre>
 *
 * One network evaluation per step; global error of first order in the step size. The last step
 * (to σ = 0) gives x̂_0 = D(x; σ_{n−1}). Along the {@link SigmaSchedule#grid()} levels this is
 * algebraically DDIM with η = 0 (both are Euler in σ), so it differs from DDIM only by the
 * levels it visits.
 *
 * @param sigmas which noise levels to visit for a grid
 */
public record KarrasEulerSampler(SigmaSchedule sigmas) implements Sampler {

    /** Validates. */
    public KarrasEulerSampler {
        if (sigmas == null) {
            throw new IllegalArgumentException("sigmas must not be null");
        }
    }

    /**
     * @return the sampler on Karras et al.'s σ schedule with ρ = 7, σ_max = 80, σ_min = 0.002 clamped to the
     *     grid's range
     */
    public static KarrasEulerSampler karras() {
        return new KarrasEulerSampler(SigmaSchedule.karras(7));
    }

    @Override
    public SamplerResult sample(DiffusionModel model, NDArray xT, TimeGrid grid, Condition condition,
            boolean keepTrajectory) {
        double[] s = sigmas.sigmas(grid, model.schedule());
        return SigmaLoop.run(model, xT, s, condition, keepTrajectory, s.length,
                (x, denoised, previous, i, levels) -> step(x, denoised, levels[i], levels[i + 1]));
    }

    /** x + (σ_next − σ)·(x − D)/σ; exactly D when σ_next = 0. */
    static NDArray step(NDArray x, NDArray denoised, double sigma, double sigmaNext) {
        if (sigmaNext == 0) {
            return denoised.duplicate();
        }
        return x.add(Scalars.times(x.sub(denoised), (sigmaNext - sigma) / sigma));
    }
}
