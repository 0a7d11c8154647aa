package io.gen4j.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;

/**
 * A differentiable training objective: the scalar loss of a batch, computed under autograd by an
 * {@link ObjectiveStep}. A DDPM objective, for instance, draws t and ε, noises the batch and
 * returns {@code mean((ε - ε_θ(x_t, t))^2)}.
 */
@FunctionalInterface
public interface Objective {

    /**
     * @param parameters the parameter store to run the network's forward with (training mode)
     * @param batch the batch, owned by the step's scope (compute from it so temporaries land there)
     * @param step the global step index
     * @return the scalar loss to minimise
     */
    NDArray loss(ParameterStore parameters, NDList batch, long step);
}
