package io.gen4j.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import io.gen4j.core.model.Condition;
import io.gen4j.core.train.Objective;

/**
 * The DDPM training objective as a gen-core {@link Objective}, for {@code ObjectiveStep} (autograd,
 * optimizer update, gradient clipping and the EMA of the weights live there):
 *
 * <pre>
 *   loss = E_{t ~ U{0..T−1}, ε ~ N(0, I)} [ w(t) · ‖target_p(x_0, ε, t) − f_θ(x_t, t, y)‖² ]
 * </pre>
 *
 * (Ho et al. 2020, Algorithm 1; see {@link Ddpm#loss}). The batch is {@code (x0)} or {@code (x0,
 * labels)}; labels are used when {@code conditional} is true. The network is the one inside the
 * {@link Ddpm}'s {@link DiffusionModel}, built with a {@code ParameterStore} that does not copy
 * parameters, so the store passed per step is not needed.
 *
 * @param ddpm the process, loss weighting and network
 * @param conditional whether to condition on the batch's labels
 */
public record DdpmObjective(Ddpm ddpm, boolean conditional) implements Objective {

    /** Validates. */
    public DdpmObjective {
        if (ddpm == null) {
            throw new IllegalArgumentException("ddpm must not be null");
        }
    }

    @Override
    public NDArray loss(ParameterStore parameters, NDList batch, long step) {
        NDArray x0 = batch.head();
        Condition condition = Condition.none();
        if (conditional) {
            if (batch.size() < 2) {
                throw new IllegalArgumentException(
                        "a conditional objective needs (x0, labels) batches, got " + batch.size()
                                + " arrays");
            }
            condition = Condition.labels(batch.get(1));
        }
        return ddpm.loss(x0, condition);
    }
}
