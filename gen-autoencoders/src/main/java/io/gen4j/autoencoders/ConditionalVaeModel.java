package io.gen4j.autoencoders;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.model.GenerativeModel;
import io.gen4j.core.model.SampleOptions;
import java.util.Arrays;
import java.util.Objects;

/**
 * A {@link ConditionalVae} together with the {@link ConditionalVaeSpec} it was built from: what
 * {@link io.gen4j.core.io.ModelStore} saves and loads (family {@code conditional-vae}).
 *
 * <p>As a {@link GenerativeModel}, {@link #sample(NDManager, int, SampleOptions)} gives sample i the
 * class {@link SampleOptions#labels(int, int)}[i] (one class for all, or 0, 1, …, K−1, 0, … when the
 * label is −1), draws z ~ N(μ_y, T² σ_y²) from the prior p(z|y) with T = {@link
 * SampleOptions#temperature()}, and returns the decoder mean. Steps and η are ignored.
 *
 * <p>It is not a {@link io.gen4j.core.model.LatentCodec} or a {@link
 * io.gen4j.core.model.LikelihoodModel}: those contracts take x alone, and a conditional VAE's codes
 * and bounds need the label too. Use {@link #encode(NDArray, NDArray)}, {@link #decode(NDArray,
 * NDArray)} and the network's {@link ConditionalVae#loss} with labels.
 *
 * @param spec the description
 * @param network the conditional VAE built from it (initialised)
 */
public record ConditionalVaeModel(ConditionalVaeSpec spec, ConditionalVae network) implements GenerativeModel {

    /** Validates. */
    public ConditionalVaeModel {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(network, "network");
    }

    /**
     * Builds the conditional VAE a spec describes, with freshly initialised float32 parameters.
     *
     * @param spec the description
     * @param manager the manager that owns the parameters
     * @return the model
     */
    public static ConditionalVaeModel create(ConditionalVaeSpec spec, NDManager manager) {
        Shape shape = new Shape(spec.data().shape());
        ConditionalVae cvae = new ConditionalVae(spec.encoder().encoder(2 * spec.config().latentDim()),
                spec.decoder().decoder(spec.data()), spec.config(), shape, spec.numClasses(), spec.prior());
        cvae.initialize(manager, DataType.FLOAT32, new Shape(1).addAll(shape), new Shape(1));
        return new ConditionalVaeModel(spec, cvae);
    }

    @Override
    public NDArray sample(NDManager manager, int n, SampleOptions options) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1, got " + n);
        }
        long[] labels = Arrays.stream(options.labels(n, spec.numClasses())).asLongStream().toArray();
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = network.sample(scope.create(labels), options.temperature());
            x.attach(manager);
            return x;
        }
    }

    /**
     * @param x data (N, data shape...)
     * @param labels (N) classes
     * @return the posterior means μ(x, y), (N, d)
     */
    public NDArray encode(NDArray x, NDArray labels) {
        return network.encode(x, labels);
    }

    /**
     * @param z latents (N, d)
     * @param labels (N) classes
     * @return the decoder means, (N, data shape...)
     */
    public NDArray decode(NDArray z, NDArray labels) {
        return network.decode(z, labels);
    }
}
