package io.gen4j.score.matching;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import io.gen4j.core.math.Scalars;
import io.gen4j.core.model.DenoisingNetwork;
import io.gen4j.core.train.LossTerms;
import io.gen4j.core.train.Objective;
import io.gen4j.core.train.StepContext;
import io.gen4j.score.ScoreFunction;
import java.util.Map;
import java.util.Objects;

/**
 * Sliced score matching (Song et al. 2019), the non-denoising alternative: Hyvärinen's objective
 * E[½‖s(x)‖² + tr ∇s(x)] with the trace replaced by random projections, in its variance-reduced form
 * <pre>
 *   L = E_x E_v [ ½ ‖s(x)‖² + vᵀ ∇ₓ(vᵀ s(x)) ],   v ~ N(0, I)
 * </pre>
 * The directional derivative vᵀ∇(vᵀs) would need a second backward pass through the network, which
 * leaks native memory in DJL 0.36 (docs/known-issues.md §2); it is taken by central finite differences
 * instead (FD-SSM, Pang et al. 2020), [vᵀs(x + εv) − vᵀs(x − εv)]/(2ε), whose gradient needs only the
 * ordinary backward pass. The network is a score of the data itself (time input 0).
 *
 * @param network the score network (trained)
 * @param view the network as a denoiser (called with t = 0)
 * @param epsilon the finite-difference step (1e-2 on data of unit scale)
 */
public record SlicedScoreMatching(Block network, DenoisingNetwork view, double epsilon) implements Objective {

    /** Validates. */
    public SlicedScoreMatching {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(view, "view");
        if (!(epsilon > 0)) {
            throw new IllegalArgumentException("epsilon must be > 0, got " + epsilon);
        }
    }

    @Override
    public LossTerms loss(StepContext context, NDList batch) {
        NDArray x = batch.head();
        NDArray v = x.getManager().randomNormal(0f, 1f, x.getShape(), x.getDataType());
        ScoreFunction s = io.gen4j.score.sde.DenoiserScores.direct(view.denoiser(context.parameters(),
                context.training()), t -> 0, io.gen4j.core.model.Condition.none());
        return LossTerms.of(loss(s, x, v, epsilon));
    }

    /**
     * The loss for given projections.
     *
     * @param score s
     * @param x data, shape (N, ...)
     * @param v projections, same shape
     * @param epsilon finite-difference step
     * @return the sliced score-matching loss, a scalar
     */
    public static NDArray loss(ScoreFunction score, NDArray x, NDArray v, double epsilon) {
        long n = x.getShape().get(0);
        NDArray both = x.add(Scalars.times(v, epsilon)).concat(x.sub(Scalars.times(v, epsilon)), 0);
        NDArray all = score.score(x.concat(both, 0), 0);
        NDArray s = all.get("0:" + n);
        NDArray plus = all.get(n + ":" + (2 * n));
        NDArray minus = all.get((2 * n) + ":");
        NDArray directional = Scalars.dividedBy(plus.sub(minus).mul(v).reshape(n, -1).sum(new int[] {1}), 2 * epsilon);
        NDArray half = Scalars.times(s.reshape(n, -1).square().sum(new int[] {1}), 0.5);
        return half.add(directional).mean();
    }
}
