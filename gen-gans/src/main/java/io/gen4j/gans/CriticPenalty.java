package io.gen4j.gans;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;

/**
 * A regulariser of the discriminator added to its loss: the WGAN-GP {@link GradientPenalty}, the
 * {@link R1Penalty}. Implementations use {@link Critic#inputGradient}, which keeps the step to one
 * ordinary backward (docs/known-issues.md §2).
 */
public interface CriticPenalty {

    /**
     * @param critic the discriminator
     * @param ps the parameter store of the pass
     * @param real real examples (N, ...)
     * @param fake generated examples (N, ...), detached from the generator
     * @param labels labels (N) of a conditional GAN, or null
     * @param training whether this is a training pass
     * @return the penalty, a scalar in the manager of {@code real}
     */
    NDArray penalty(Critic critic, ParameterStore ps, NDArray real, NDArray fake, NDArray labels, boolean training);

    /** @return the name of the metric the penalty is logged under */
    String name();

    /**
     * @param gradient input gradients (N, ...)
     * @return the per-example squared L2 norms (N)
     */
    static NDArray squaredNorms(NDArray gradient) {
        long n = gradient.getShape().get(0);
        return gradient.reshape(n, -1).square().sum(new int[] {1});
    }
}
