package io.gen4j.score.flow;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.gen4j.core.math.Scalars;
import io.gen4j.core.model.Condition;
import io.gen4j.core.model.DenoisingNetwork;
import io.gen4j.core.train.LossTerms;
import io.gen4j.core.train.Objective;
import io.gen4j.core.train.StepContext;
import java.util.Map;
import java.util.Objects;

/**
 * Conditional flow matching (Lipman et al. 2023; Tong et al. 2024; Liu et al. 2023): draw x_0 ~ N(0,
 * I), pair it with the data batch x_1 through a {@link Coupling}, draw t ~ U[0, t_max], and regress
 * the network on the path's conditional velocity,
 * <pre>
 *   L = E ‖v_θ(x_t, t) − u_t(x_t | x_0, x_1)‖²     (mean over elements)
 * </pre>
 * For reflow the batch holds given pairs: with {@code paired} the batch is (N, 2, ...) with x_0 in
 * slot 0 and x_1 in slot 1, and the coupling is not used. Randomness comes from the engine's
 * generator, which {@code Fit} re-seeds each step (resumable).
 *
 * @param network the velocity network (its parameters are trained)
 * @param view the same network as a denoiser
 * @param path the conditional path
 * @param coupling how noise and data are paired
 * @param timeScale the network is called with t·timeScale
 * @param paired whether batches hold (x_0, x_1) pairs
 */
public record FlowMatchingObjective(Block network, DenoisingNetwork view, ProbabilityPath path, Coupling coupling,
        double timeScale, boolean paired) implements Objective {

    /** Validates. */
    public FlowMatchingObjective {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(view, "view");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(coupling, "coupling");
        if (!(timeScale > 0)) {
            throw new IllegalArgumentException("timeScale must be > 0, got " + timeScale);
        }
    }

    @Override
    public LossTerms loss(StepContext context, NDList batch) {
        NDArray head = batch.head();
        NDArray x0;
        NDArray x1;
        if (paired) {
            x0 = head.get(new NDIndex(":, 0"));
            x1 = head.get(new NDIndex(":, 1"));
        } else {
            x1 = head;
            x0 = coupling.pair(x1.getManager().randomNormal(0f, 1f, x1.getShape(), x1.getDataType()), x1);
        }
        long n = x1.getShape().get(0);
        NDArray t = x1.getManager().randomUniform(0f, (float) path.maxTime(), new Shape(n), DataType.FLOAT32);
        ProbabilityPath.Sample s = path.sample(x0, x1, t);
        NDArray v = view.denoiser(context.parameters(), context.training())
                .predict(s.xt(), Scalars.times(t, timeScale), Condition.none());
        NDArray loss = v.sub(s.target()).square().mean();
        return new LossTerms(loss, Map.of("targetNorm", s.target().square().mean().sqrt()));
    }
}
