package io.gen4j.autoencoders;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.model.GenerativeModel;
import io.gen4j.core.model.LatentCodec;
import io.gen4j.core.model.LikelihoodModel;
import io.gen4j.core.model.SampleOptions;
import java.util.Objects;

/**
 * A {@link Vae} together with the {@link VaeSpec} it was built from: what {@link
 * io.gen4j.core.io.ModelStore} saves and loads (family {@code vae}), and what code that consumes
 * models sees through gen-core's contracts.
 *
 * <ul>
 *   <li>{@link GenerativeModel}: {@link #sample(NDManager, int, SampleOptions)} decodes z ~ N(0, T²
 *       I), T = {@link SampleOptions#temperature()} (the prior's standard deviation scale; 1 is the
 *       model), and returns the decoder mean (probabilities for a Bernoulli decoder, in the data's
 *       pixel range [0, 1]). Steps, η and label are ignored.
 *   <li>{@link LikelihoodModel}: the importance-weighted bound (Burda et al. 2016) with {@link
 *       VaeConfig#likelihoodSamples()} samples, a lower bound on log p(x) in nats: {@link
 *       #isExact()} is false. It draws from the engine's generator: seed it for repeatable values.
 *   <li>{@link LatentCodec}: {@code encode} = the posterior mean μ(x), {@code decode} = the decoder
 *       mean.
 * </ul>
 *
 * <pre>{@code
 * VaeModel model = VaeModel.create(spec, manager);
 * // ... train model.network() with ObjectiveStep.builder().setObjective(model.network().objective()) ...
 * ModelStore.save(model, dir);
 * GenerativeModel loaded = ModelStore.load(dir, manager, GenerativeModel.class);
 * }</pre>
 *
 * @param spec the description
 * @param network the VAE built from it (initialised)
 */
public record VaeModel(VaeSpec spec, Vae network) implements GenerativeModel, LikelihoodModel, LatentCodec {

    /** Validates. */
    public VaeModel {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(network, "network");
    }

    /**
     * Builds the VAE a spec describes, with freshly initialised float32 parameters.
     *
     * @param spec the description
     * @param manager the manager that owns the parameters
     * @return the model
     */
    public static VaeModel create(VaeSpec spec, NDManager manager) {
        Shape shape = new Shape(spec.data().shape());
        Vae vae = new Vae(spec.encoder().encoder(2 * spec.config().latentDim()), spec.decoder().decoder(spec.data()),
                spec.config(), shape);
        vae.initialize(manager, DataType.FLOAT32, new Shape(1).addAll(shape));
        return new VaeModel(spec, vae);
    }

    @Override
    public NDArray sample(NDManager manager, int n, SampleOptions options) {
        return network.sample(manager, n, options.temperature());
    }

    @Override
    public NDArray logLikelihood(NDArray x) {
        return network.logLikelihood(x);
    }

    @Override
    public boolean isExact() {
        return false;
    }

    @Override
    public NDArray encode(NDArray x) {
        return network.encode(x);
    }

    @Override
    public NDArray decode(NDArray z) {
        return network.decode(z);
    }

    @Override
    public Shape latentShape() {
        return network.latentShape();
    }
}
