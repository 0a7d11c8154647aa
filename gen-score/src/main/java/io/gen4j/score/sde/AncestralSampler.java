package io.gen4j.score.sde;

import ai.djl.ndarray.NDArray;
import io.gen4j.core.math.Scalars;
import io.gen4j.score.SamplingResult;
import io.gen4j.score.ScoreFunction;
import io.gen4j.score.StepLoop;

/**
 * Ancestral sampling of a {@link DiscreteVpSde} written with the score (Song et al. 2021, eq. 47):
 * for i = N−1 … 0,
 * <pre>
 *   x ← (x + β_i s(x, t_i)) / √(1 − β_i) + √β_i z          (no noise at i = 0)
 * </pre>
 * With s = −ε̂/√(1 − ᾱ_i) this is DDPM's update 1/√α_i (x − β_i/√(1 − ᾱ_i) ε̂) + σ_i z with σ_i² =
 * β_i (Ho et al. 2020, Alg. 2, "fixed large" variance): the proof in code that DDPM's sampler is a
 * discretisation of the reverse VP SDE. The SDE passed to {@link #sample} must be that {@code
 * DiscreteVpSde}; every step of its chain is taken (N score evaluations).
 */
public record AncestralSampler() implements SdeSampler {

    @Override
    public SamplingResult sample(Sde sde, ScoreFunction score, NDArray xT, boolean keepTrajectory) {
        if (!(sde instanceof DiscreteVpSde vp)) {
            throw new IllegalArgumentException("ancestral sampling needs a DiscreteVpSde, got " + sde);
        }
        int n = vp.steps();
        return StepLoop.run(xT, n, 1, keepTrajectory, (x, k) -> {
            int i = n - 1 - k;
            double beta = vp.beta(i);
            NDArray mean = Scalars.dividedBy(x.add(Scalars.times(score.score(x, vp.time(i)), beta)), Math.sqrt(1 - beta));
            if (i == 0) {
                return mean;
            }
            NDArray z = x.getManager().randomNormal(0f, 1f, x.getShape(), x.getDataType());
            return mean.add(Scalars.times(z, Math.sqrt(beta)));
        });
    }
}
