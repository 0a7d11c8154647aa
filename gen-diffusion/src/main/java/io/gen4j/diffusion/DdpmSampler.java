package io.gen4j.diffusion;

import ai.djl.ndarray.NDArray;
import io.gen4j.core.math.Scalars;
import io.gen4j.core.model.Condition;

/**
 * Ancestral sampling of DDPM (Ho et al. 2020, Algorithm 2), generalised to any decreasing grid by
 * respacing (Nichol &amp; Dhariwal 2021, §4). From step t to the next visited step s &lt; t, with
 * β' = 1 − ᾱ_t/ᾱ_s:
 *
 * <pre>
 *   x_s = √ᾱ_s β' / (1 − ᾱ_t) · x̂_0 + √(1 − β') (1 − ᾱ_s) / (1 − ᾱ_t) · x_t + σ·z,   z ~ N(0, I)
 * </pre>
 *
 * with σ² from {@link DdpmVariance}, and no noise on the final step to clean data. On the full grid
 * this is exactly Algorithm 2 written with x̂_0 instead of ε̂ (the same mean, since x̂_0 = (x_t −
 * √(1−ᾱ_t)·ε̂)/√ᾱ_t).
 *
 * @param variance the fixed reverse variance
 */
public record DdpmSampler(DdpmVariance variance) implements Sampler {

    /** Validates the variance choice. */
    public DdpmSampler {
        if (variance == null) {
            throw new IllegalArgumentException("variance must not be null");
        }
    }

    /** @return the sampler with σ_t² = β̃_t */
    public static DdpmSampler defaults() {
        return new DdpmSampler(DdpmVariance.FIXED_SMALL);
    }

    @Override
    public SamplerResult sample(
            DiffusionModel model,
            NDArray xT,
            TimeGrid grid,
            Condition condition,
            boolean keepTrajectory) {
        return SamplerLoop.run(model, xT, SamplerLoop.reverse(grid, model.schedule()), condition,
                keepTrajectory, this::step);
    }

    private NDArray step(
            NDArray x, DiffusionModel.Estimate e, int t, int s, NoiseSchedule schedule) {
        double abT = schedule.alphaBar(t);
        double abS = schedule.alphaBar(s);
        double betaPrime = 1.0 - abT / abS;
        double coefX0 = Math.sqrt(abS) * betaPrime / (1.0 - abT);
        double coefXt = Math.sqrt(1.0 - betaPrime) * (1.0 - abS) / (1.0 - abT);
        NDArray mean = Scalars.times(x, coefXt).add(Scalars.times(e.x0(), coefX0));
        if (s < 0) {
            return mean;
        }
        double sigma = Math.sqrt(variance.variance(abT, abS));
        NDArray z = x.getManager().randomNormal(0f, 1f, x.getShape(), x.getDataType());
        return mean.add(Scalars.times(z, sigma));
    }
}
