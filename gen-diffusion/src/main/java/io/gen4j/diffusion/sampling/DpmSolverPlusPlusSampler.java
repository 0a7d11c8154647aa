package io.gen4j.diffusion.sampling;

import ai.djl.ndarray.NDArray;
import io.gen4j.core.math.Scalars;
import io.gen4j.core.model.Condition;
import io.gen4j.diffusion.DiffusionModel;
import io.gen4j.diffusion.Sampler;
import io.gen4j.diffusion.SamplerResult;
import io.gen4j.diffusion.TimeGrid;

/**
 * DPM-Solver++(2M) (Lu et al. 2022, "DPM-Solver++: Fast Solver for Guided Sampling of Diffusion
 * Probabilistic Models", Algorithm 2): the multistep second-order solver of the probability-flow
 * ODE written for the data prediction x̂_0. With λ = log(α/σ_VP) = −log σ (σ-space σ), the exact
 * solution from σ_i to σ_{i+1} is
 *
 * <pre>
 *   x_{i+1} = (σ_{i+1}/σ_i)·x_i + σ_{i+1} ∫_{λ_i}^{λ_{i+1}} e^λ x̂_0(λ) dλ
 * </pre>
 *
 * and the solver takes x̂_0 linear in λ through the current and the previous evaluation (k-diffusion's
 * {@code sample_dpmpp_2m}; diffusers' {@code DPMSolverMultistepScheduler} with {@code
 * algorithm_type="dpmsolver++"}, {@code solver_order=2}):
 *
 * <pre>
 *   h_i = λ_{i+1} − λ_i,   r = h_{i−1}/h_i
 *   D_i = (1 + 1/(2r))·x̂_0(σ_i) − 1/(2r)·x̂_0(σ_{i−1})        (D_0 = x̂_0(σ_0))
 *   x_{i+1} = (σ_{i+1}/σ_i)·x_i − (e^{−h_i} − 1)·D_i
 * </pre>
 *
 * The first step and the step to σ = 0 are first order (DDIM's update; the last one gives x̂_0).
 * One network evaluation per step; global error of second order.
 *
 * @param sigmas which noise levels to visit for a grid
 */
public record DpmSolverPlusPlusSampler(SigmaSchedule sigmas) implements Sampler {

    /** Validates. */
    public DpmSolverPlusPlusSampler {
        if (sigmas == null) {
            throw new IllegalArgumentException("sigmas must not be null");
        }
    }

    /**
     * @return the sampler on Karras et al.'s σ schedule with ρ = 7, σ_max = 80, σ_min = 0.002 clamped to the
     *     grid's range (k-diffusion's "DPM++ 2M Karras")
     */
    public static DpmSolverPlusPlusSampler karras() {
        return new DpmSolverPlusPlusSampler(SigmaSchedule.karras(7));
    }

    @Override
    public SamplerResult sample(DiffusionModel model, NDArray xT, TimeGrid grid, Condition condition,
            boolean keepTrajectory) {
        double[] s = sigmas.sigmas(grid, model.schedule());
        return SigmaLoop.run(model, xT, s, condition, keepTrajectory, s.length,
                (x, denoised, previous, i, levels) -> {
                    double sigma = levels[i];
                    double next = levels[i + 1];
                    if (next == 0) {
                        return denoised.duplicate();
                    }
                    double h = Math.log(sigma / next);
                    // −(e^{−h} − 1) = 1 − σ_{i+1}/σ_i
                    double gain = -Math.expm1(-h);
                    NDArray d = denoised;
                    if (previous != null) {
                        double hLast = Math.log(levels[i - 1] / sigma);
                        double r = hLast / h;
                        d = Scalars.times(denoised, 1 + 1 / (2 * r)).sub(Scalars.times(previous, 1 / (2 * r)));
                    }
                    return Scalars.times(x, next / sigma).add(Scalars.times(d, gain));
                });
    }
}
