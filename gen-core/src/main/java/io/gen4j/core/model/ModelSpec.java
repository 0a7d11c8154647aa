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

    /**
     * Checks sampling options that only this spec can judge (a diffusion model's step count against
     * its T, say), without building the model or starting the engine, so that a tool can refuse a bad
     * option before it loads anything. The model's {@code sample} checks them again.
     *
     * @param options the options a caller is about to sample with
     * @throws IllegalArgumentException naming the field and its allowed range when they do not suit
     *     this model; the default accepts everything
     */
    default void checkSampleOptions(SampleOptions options) {}
}
