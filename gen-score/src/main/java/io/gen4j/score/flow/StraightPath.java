package io.gen4j.score.flow;

import ai.djl.ndarray.NDArray;
import io.gen4j.core.math.Scalars;

/**
 * The straight (optimal-transport) path of Lipman et al. 2023, eq. 20–23:
 * <pre>
 *   x_t = (1 − (1 − σ_min) t) x_0 + t x_1,     u_t = x_1 − (1 − σ_min) x_0
 * </pre>
 * With σ_min = 0 it is the linear interpolation of rectified flow (Liu et al. 2023) and of
 * torchcfm's {@code ConditionalFlowMatcher(sigma=0)}.
 *
 * @param sigmaMin the width of the path at t = 1, in [0, 1)
 */
public record StraightPath(double sigmaMin) implements ProbabilityPath {

    /** Validates. */
    public StraightPath {
        if (!(sigmaMin >= 0 && sigmaMin < 1)) {
            throw new IllegalArgumentException("sigmaMin must be in [0, 1), got " + sigmaMin);
        }
    }

    /** @return the rectified-flow path, σ_min = 0 */
    public static StraightPath rectified() {
        return new StraightPath(0);
    }

    @Override
    public Sample sample(NDArray x0, NDArray x1, NDArray t) {
        NDArray tt = ProbabilityPath.broadcast(t, x0);
        NDArray xt = x0.mul(Scalars.times(tt, -(1 - sigmaMin)).add(1)).add(x1.mul(tt));
        NDArray u = Scalars.times(x0, -(1 - sigmaMin)).add(x1);
        return new Sample(xt, u);
    }
}
