package io.gen4j.core.model;

/**
 * Everything that rebuilds a model's architecture, without its parameters: network configuration,
 * noise schedule, parameterisation, conditioning, data shape and pixel range. Implementations are
 * records that Jackson writes to and reads from JSON ({@code model.json} of a saved model; see
 * {@link io.gen4j.core.io.ModelStore}).
 *
 * <p>A spec is enough to build the same model again: {@link ModelFamily#create} turns it into a
 * fresh network with the same parameter shapes, into which the saved parameters load.
 */
public interface ModelSpec {

    /** @return the name of the {@link ModelFamily} that builds this spec, e.g. {@code ddpm} */
    String family();

    /** @return what one example of the model's data looks like */
    DataSpec data();
}
