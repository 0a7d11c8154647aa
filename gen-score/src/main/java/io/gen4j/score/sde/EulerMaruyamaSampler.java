package io.gen4j.score.sde;

import ai.djl.ndarray.NDArray;
import io.gen4j.core.math.Scalars;
import io.gen4j.score.SamplingResult;
import io.gen4j.score.ScoreFunction;
import io.gen4j.score.StepLoop;

/**
 * Euler–Maruyama on the reverse-time SDE dx = [f(t)x − g(t)² s(x, t)] dt + g(t) dW̄, from T down to
 * ε in N uniform steps of size h:
 * <pre>
 *   x ← x − h [f(t)x − g(t)² s(x, t)] + g(t) √h z,   z ~ N(0, I)
 * </pre>
 * The last step adds no noise (score_sde's "noise removal": it returns the mean).
 *
 * @param steps N ≥ 1 (one score evaluation each)
 */
public record EulerMaruyamaSampler(int steps) implements SdeSampler {

    /** Validates. */
    public EulerMaruyamaSampler {
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        }
    }

    @Override
    public SamplingResult sample(Sde sde, ScoreFunction score, NDArray xT, boolean keepTrajectory) {
        double[] grid = SdeSampler.timeGrid(sde, steps);
        return StepLoop.run(xT, steps, 1, keepTrajectory, (x, i) -> step(sde, score, x, grid[i], grid[i + 1],
                i == steps - 1));
    }

    static NDArray step(Sde sde, ScoreFunction score, NDArray x, double t, double next, boolean last) {
        double h = t - next;
        double g = sde.diffusion(t);
        NDArray reverseDrift = sde.drift(x, t).sub(Scalars.times(score.score(x, t), g * g));
        NDArray mean = x.sub(Scalars.times(reverseDrift, h));
        if (last) {
            return mean;
        }
        NDArray z = x.getManager().randomNormal(0f, 1f, x.getShape(), x.getDataType());
        return mean.add(Scalars.times(z, g * Math.sqrt(h)));
    }
}
