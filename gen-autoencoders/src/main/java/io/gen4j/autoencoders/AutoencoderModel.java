package io.gen4j.autoencoders;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.model.LatentCodec;
import io.gen4j.core.model.SaveableModel;
import java.util.Objects;

/**
 * An {@link Autoencoder} (plain, denoising or sparse) together with the {@link AutoencoderSpec} it
 * was built from: what {@link io.gen4j.core.io.ModelStore} saves and loads (family {@code
 * autoencoder}).
 *
 * <p>A {@link LatentCodec}: {@code encode} is the code h = a(f(x)), {@code decode} the
 * reconstruction in data space (σ of the logits for BCE). It is not a {@link
 * io.gen4j.core.model.GenerativeModel}: nothing in its training makes the code space dense, so a
 * random code decodes to nothing in particular (the VAE of topic 11-02 fixes that).
 *
 * @param spec the description
 * @param network the autoencoder built from it (initialised)
 */
public record AutoencoderModel(AutoencoderSpec spec, Autoencoder network) implements SaveableModel, LatentCodec {

    /** Validates. */
    public AutoencoderModel {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(network, "network");
    }

    /**
     * Builds the autoencoder a spec describes, with freshly initialised float32 parameters.
     *
     * @param spec the description
     * @param manager the manager that owns the parameters
     * @return the model
     */
    public static AutoencoderModel create(AutoencoderSpec spec, NDManager manager) {
        Shape shape = new Shape(spec.data().shape());
        Autoencoder ae = Autoencoder.builder()
                .setEncoder(spec.encoder().encoder(spec.codeSize()))
                .setDecoder(spec.decoder().decoder(spec.data()))
                .setDataShape(shape)
                .setCodeSize(spec.codeSize())
                .optLoss(spec.loss())
                .optCorruption(spec.corruption())
                .optSparsity(spec.sparsity())
                .optCodeActivation(spec.codeActivation())
                .build();
        ae.initialize(manager, DataType.FLOAT32, new Shape(1).addAll(shape));
        return new AutoencoderModel(spec, ae);
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

    /**
     * @param x input (N, data shape...)
     * @return decode(encode(x))
     */
    public NDArray reconstruct(NDArray x) {
        return network.reconstruct(x);
    }
}
