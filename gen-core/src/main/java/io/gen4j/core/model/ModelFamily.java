package io.gen4j.core.model;

import ai.djl.ndarray.NDManager;

/**
 * Builds the models of one family from their {@link ModelSpec}: what {@link
 * io.gen4j.core.io.ModelStore} calls to load a saved model. Families register themselves with
 * {@link java.util.ServiceLoader}: list the implementation in {@code
 * META-INF/services/io.gen4j.core.model.ModelFamily} of the family's jar. A new family is a new
 * class and one line in that file; nothing in gen-core changes.
 *
 * @param <S> the family's spec type
 */
public interface ModelFamily<S extends ModelSpec> {

    /** @return the family's name, the {@code family} of its specs, e.g. {@code ddpm} */
    String name();

    /** @return the record type that Jackson reads the spec into */
    Class<S> specType();

    /**
     * Builds a model with freshly initialized parameters (of the shapes the saved ones have).
     *
     * @param spec the description
     * @param manager the manager that owns the parameters
     * @return the model
     */
    SaveableModel create(S spec, NDManager manager);
}
