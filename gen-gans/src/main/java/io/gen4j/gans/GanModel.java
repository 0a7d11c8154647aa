package io.gen4j.gans;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.gen4j.core.model.GenerativeModel;
import io.gen4j.core.model.SampleOptions;
import java.util.Objects;

/**
 * A GAN as a gen-core model, saved and loaded through {@code ModelStore} (family {@code gan}, spec
 * {@link GanSpec}): a {@link GenerativeModel} whose samples are {@code G(z)} with {@code z ~ N(0,
 * T² I)}, T = {@link SampleOptions#temperature()} (T &lt; 1 is the "truncation" trade of fidelity
 * for diversity), and, for a conditional GAN, the labels of {@link SampleOptions#labels} (one class,
 * or cycling through the classes). The generator runs in inference mode (BatchNorm's running
 * statistics). A GAN has no likelihood and no encoder.
 *
 * @param spec the description
 * @param networks the initialised generator and discriminator
 */
public record GanModel(GanSpec spec, GanNetworks networks) implements GenerativeModel {

    /** Validates. */
    public GanModel {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(networks, "networks");
    }

    /**
     * @param spec the description
     * @param manager owns the parameters
     * @return a model with freshly initialised networks
     */
    public static GanModel create(GanSpec spec, NDManager manager) {
        return new GanModel(spec, spec.buildNetworks(manager));
    }

    @Override
    public GanNetworks network() {
        return networks;
    }

    /** @return the generator */
    public Generator generator() {
        return networks.generator();
    }

    /** @return the discriminator */
    public Discriminator discriminator() {
        return networks.discriminator();
    }

    /** @return whether the model is class-conditional */
    public boolean isConditional() {
        return spec.conditioning() != Conditioning.NONE;
    }

    @Override
    public NDArray sample(NDManager manager, int n, SampleOptions options) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1, got " + n);
        }
        try (NDManager scope = manager.newSubManager()) {
            NDArray z = scope.randomNormal(0, (float) options.temperature(), new Shape(n, spec.latentDim()),
                    DataType.FLOAT32);
            NDArray labels = isConditional() ? scope.create(options.labels(n, spec.classes())) : null;
            NDArray x = generator().generate(new ParameterStore(scope, false), z, labels, false);
            x.attach(manager);
            return x;
        }
    }

    /**
     * Draws {@code n} samples of one class: {@code generate(class, n)}.
     *
     * @param manager owns the result
     * @param label the class, in [0, classes)
     * @param n how many
     * @return samples (n, data shape...)
     * @throws IllegalStateException when the model is unconditional
     */
    public NDArray sample(NDManager manager, int label, int n) {
        if (!isConditional()) {
            throw new IllegalStateException("an unconditional GAN has no labels to sample from");
        }
        return sample(manager, n, SampleOptions.defaults().withLabel(label));
    }
}
