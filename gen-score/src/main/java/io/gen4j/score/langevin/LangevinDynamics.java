package io.gen4j.score.langevin;

import ai.djl.ndarray.NDArray;
import io.gen4j.core.math.Scalars;
import io.gen4j.score.SamplingResult;
import io.gen4j.score.ScoreFunction;
import io.gen4j.score.StepLoop;

/**
 * Unadjusted Langevin dynamics (Roberts &amp; Tweedie 1996; Welling &amp; Teh 2011), the sampler of
 * NCSN and of short-run EBM chains:
 * <pre>
 *   x ← x + (α/2) ∇ log p(x) + √α z,   z ~ N(0, I)
 * </pre>
 * As α → 0 and the number of steps → ∞ it samples p; for finite α it is biased (for a Gaussian of
 * variance s² its stationary variance is s²/(1 − α/(4s²))).
 *
 * @param steps how many updates, ≥ 1
 * @param stepSize α &gt; 0
 */
public record LangevinDynamics(int steps, double stepSize) {

    /** Validates. */
    public LangevinDynamics {
        if (steps < 1 || !(stepSize > 0)) {
            throw new IllegalArgumentException("need steps >= 1 and stepSize > 0, got " + steps + ", " + stepSize);
        }
    }

    /**
     * @param score ∇ log p (evaluated at the given time)
     * @param x0 the start, shape (N, ...); not modified
     * @param t the time passed to the score
     * @param keepTrajectory whether to keep every state (for plots)
     * @return the final state, in the manager of {@code x0}
     */
    public SamplingResult run(ScoreFunction score, NDArray x0, double t, boolean keepTrajectory) {
        return StepLoop.run(x0, steps, 1, keepTrajectory, (x, i) -> step(score, x, t, stepSize));
    }

    /**
     * One update.
     *
     * @param score the score
     * @param x the state
     * @param t the score's time
     * @param alpha the step size
     * @return the next state, in the manager of {@code x}
     */
    public static NDArray step(ScoreFunction score, NDArray x, double t, double alpha) {
        NDArray z = x.getManager().randomNormal(0f, 1f, x.getShape(), x.getDataType());
        return x.add(Scalars.times(score.score(x, t), alpha / 2)).add(Scalars.times(z, Math.sqrt(alpha)));
    }
}
