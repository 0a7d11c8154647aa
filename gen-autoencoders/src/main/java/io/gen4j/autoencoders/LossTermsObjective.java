package io.gen4j.autoencoders;

import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;

/**
 * The objective of one batch as {@link LossTerms}: what {@link LossTermsStep} differentiates. Bind
 * a model's loss to the batch layout, e.g. {@code (ps, batch, step) -> vae.loss(ps, batch.head(),
 * step, true)} or, for a conditional VAE, {@code cvae.loss(ps, batch.get(0), batch.get(1), step,
 * true)}.
 */
@FunctionalInterface
public interface LossTermsObjective {

    /**
     * @param ps the parameter store (training mode)
     * @param batch the batch, owned by the step's scope: data first, then labels
     * @param step the global step index (for KL warm-up)
     * @return the loss and its named parts
     */
    LossTerms loss(ParameterStore ps, NDList batch, long step);
}
