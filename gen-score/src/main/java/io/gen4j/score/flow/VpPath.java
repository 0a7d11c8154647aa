package io.gen4j.score.flow;

import ai.djl.ndarray.NDArray;
import io.gen4j.core.math.Scalars;

/**
 * The variance-preserving diffusion path of Lipman et al. 2023, eq. 18–19, in flow-matching time
 * (t = 1 data): with s = 1 − t, B(s) = β_min s + ½(β_max − β_min)s², α = e^{−B(s)/2}, σ = √(1 − α²),
 * <pre>
 *   x_t = α x_1 + σ x_0,    u_t = dα/dt x_1 + dσ/dt x_0 = ½β(s) α x_1 − ½β(s) α²/σ x_0
 * </pre>
 * the conditional paths of the VP SDE ({@link io.gen4j.score.sde.VpSde}) run backwards. σ → 0 at
 * t = 1, so times are drawn up to {@link #maxTime()} = 1 − 10⁻³.
 *
 * @param betaMin β_min &gt; 0
 * @param betaMax β_max ≥ β_min
 */
public record VpPath(double betaMin, double betaMax) implements ProbabilityPath {

    /** Validates. */
    public VpPath {
        new io.gen4j.score.sde.VpSde(betaMin, betaMax);
    }

    /** @return β_min = 0.1, β_max = 20 */
    public static VpPath defaults() {
        return new VpPath(0.1, 20);
    }

    @Override
    public double maxTime() {
        return 1 - 1e-3;
    }

    @Override
    public Sample sample(NDArray x0, NDArray x1, NDArray t) {
        NDArray s = Scalars.times(ProbabilityPath.broadcast(t, x0), -1).add(1);
        NDArray beta = Scalars.times(s, betaMax - betaMin).add(betaMin);
        NDArray integrated = Scalars.times(s, betaMin).add(Scalars.times(s.square(), 0.5 * (betaMax - betaMin)));
        NDArray alpha = Scalars.times(integrated, -0.5).exp();
        NDArray sigma = Scalars.times(alpha.square(), -1).add(1).sqrt();
        NDArray xt = x0.mul(sigma).add(x1.mul(alpha));
        NDArray halfBetaAlpha = Scalars.times(beta.mul(alpha), 0.5);
        NDArray u = x1.mul(halfBetaAlpha).sub(x0.mul(halfBetaAlpha.mul(alpha).div(sigma)));
        return new Sample(xt, u);
    }
}
