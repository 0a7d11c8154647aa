package io.gen4j.diffusion.sampling;

import ai.djl.ndarray.NDArray;
import io.gen4j.core.math.Scalars;
import io.gen4j.core.model.Condition;
import io.gen4j.diffusion.DiffusionModel;
import io.gen4j.diffusion.Sampler;
import io.gen4j.diffusion.SamplerResult;
import io.gen4j.diffusion.TimeGrid;

/**
 * Heun's method (explicit trapezoidal rule) on the probability-flow ODE in σ-space: Karras et al.
 * 2022, Algorithm 1 with S_churn = 0 (k-diffusion's {@code sample_heun}, diffusers' {@code
 * HeunDiscreteScheduler}):
 *
 * <pre>
 *   d_i      = (x_i − D(x_i; σ_i)) / σ_i
 *   x̃        = x_i + (σ_{i+1} − σ_i) · d_i                          (Euler predictor)
 *   d'       = (x̃ − D(x̃; σ_{i+1})) / σ_{i+1}
 *   x_{i+1}  = x_i + (σ_{i+1} − σ_i) · (d_i + d') / 2                (trapezoidal corrector)
 * </pre>
 *
 * The step to σ = 0 is an Euler step (d' would divide by 0), as in the paper. Two network
 * evaluations per step except the last: 2n − 1 for n levels. Global error of second order.
 *
 * @param sigmas which noise levels to visit for a grid
 */
public record KarrasHeunSampler(SigmaSchedule sigmas) implements Sampler {

    /** Validates. */
    public KarrasHeunSampler {
        if (sigmas == null) {
            throw new IllegalArgumentException("sigmas must not be null");
        }
    }

    /**
     * @return the sampler on Karras et al.'s σ schedule with ρ = 7, σ_max = 80, σ_min = 0.002 clamped to the
     *     grid's range
     */
    public static KarrasHeunSampler karras() {
        return new KarrasHeunSampler(SigmaSchedule.karras(7));
    }

    @Override
    public SamplerResult sample(DiffusionModel model, NDArray xT, TimeGrid grid, Condition condition,
            boolean keepTrajectory) {
        double[] s = sigmas.sigmas(grid, model.schedule());
        return SigmaLoop.run(model, xT, s, condition, keepTrajectory, 2 * s.length - 1,
                (x, denoised, previous, i, levels) -> {
                    double sigma = levels[i];
                    double next = levels[i + 1];
                    NDArray predictor = KarrasEulerSampler.step(x, denoised, sigma, next);
                    if (next == 0) {
                        return predictor;
                    }
                    NDArray d = Scalars.dividedBy(x.sub(denoised), sigma);
                    NDArray dNext = Scalars.dividedBy(predictor.sub(SigmaSpace.denoise(model, predictor, next, condition)), next);
                    return x.add(Scalars.times(d.add(dNext), (next - sigma) / 2));
                });
    }
}
