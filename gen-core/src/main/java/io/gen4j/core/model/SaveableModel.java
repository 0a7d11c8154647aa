package io.gen4j.core.model;

import ai.djl.nn.Block;

/**
 * A model that can be saved and loaded through {@link io.gen4j.core.io.ModelStore}: its {@link
 * ModelSpec} (the architecture, as JSON) and one network block holding every parameter.
 *
 * <p>Every gen4j model implements this; models that draw samples implement {@link
 * GenerativeModel}, models with a (bound on the) likelihood also {@link LikelihoodModel}, encoders
 * {@link LatentCodec}. Code that consumes models (evaluation, the CLI's {@code sample}, the
 * comparison of families) asks for those contracts and never for a family's class.
 */
public interface SaveableModel {

    /** @return the description that rebuilds this model */
    ModelSpec spec();

    /** @return the block whose parameters are the model's (all of them, initialized) */
    Block network();
}
