package io.gen4j.spark;

import io.gen4j.core.model.SampleOptions;
import java.io.Serializable;

/**
 * The {@link SampleOptions} of a distributed job, in a form Spark can ship to executors.
 *
 * @param steps sampler steps, 0 for the model's default
 * @param eta DDIM η in [0, 1], NaN for the model's default
 * @param temperature prior scale, &gt; 0
 * @param label class of every sample, −1 to cycle through the classes
 */
public record SampleSettings(int steps, double eta, double temperature, int label) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Validates through {@link SampleOptions}. */
    public SampleSettings {
        new SampleOptions(steps, eta, temperature, label);
    }

    /** @return every setting at the model's default */
    public static SampleSettings defaults() {
        return of(SampleOptions.defaults());
    }

    /**
     * @param options the options
     * @return the same settings
     */
    public static SampleSettings of(SampleOptions options) {
        return new SampleSettings(options.steps(), options.eta(), options.temperature(), options.label());
    }

    /** @return the options to sample with */
    public SampleOptions options() {
        return new SampleOptions(steps, eta, temperature, label);
    }
}
