package io.gen4j.gans;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;

/**
 * A GAN's discriminator (or WGAN's critic) as the losses and penalties see it: a score per example,
 * and the gradient of that score with respect to the example, {@code ∇_x D(x)}, computed so that
 * it is itself differentiable with respect to the critic's parameters by an ordinary (first-order)
 * backward pass.
 *
 * <p>The gradient penalty of WGAN-GP and the R1 penalty are functions of {@code ∇_x D}; their
 * parameter gradients are second derivatives of D. DJL reaches those only through a
 * create-graph backward that leaks native memory every step (docs/known-issues.md §2). {@link
 * Discriminator} instead writes its input gradient out as the chain of transposed layers
 * ({@link LinearMap#applyTranspose}) times the activations' slopes, with ordinary operations; one
 * ordinary backward then gives the exact parameter gradient of the penalty.
 */
public interface Critic {

    /**
     * @param ps the parameter store
     * @param x examples (N, ...)
     * @param labels class labels (N) of a conditional critic, or null
     * @param training whether this is a training pass
     * @return scores (N)
     */
    NDArray score(ParameterStore ps, NDArray x, NDArray labels, boolean training);

    /**
     * @param ps the parameter store
     * @param x examples (N, ...); need not require gradients
     * @param labels class labels (N) of a conditional critic, or null
     * @param training whether this is a training pass
     * @return {@code ∂D(x_i)/∂x_i} for each example, of x's shape, differentiable with respect to
     *     the parameters
     */
    NDArray inputGradient(ParameterStore ps, NDArray x, NDArray labels, boolean training);
}
