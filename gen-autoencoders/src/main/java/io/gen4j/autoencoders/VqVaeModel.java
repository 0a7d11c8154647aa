package io.gen4j.autoencoders;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.model.LatentCodec;
import io.gen4j.core.model.SaveableModel;
import java.util.Objects;

/**
 * A {@link VqVae} together with the {@link VqVaeSpec} it was built from: what {@link
 * io.gen4j.core.io.ModelStore} saves and loads (family {@code vq-vae}).
 *
 * <p>A {@link LatentCodec}: {@code encode} gives the quantised map z_q (N, D, h, w), {@code decode}
 * maps any (N, D, h, w) to data; {@link #encodeIndices} and {@link #decodeIndices} work with the
 * (N, h, w) grid of code indices. It is not a {@link io.gen4j.core.model.GenerativeModel}: with the
 * uniform prior over codes of training, decoding random indices does not give data-like samples;
 * a prior fitted to the index grids (an autoregressive model, topic 11-06) is what samples.
 *
 * @param spec the description
 * @param network the VQ-VAE built from it (initialised)
 */
public record VqVaeModel(VqVaeSpec spec, VqVae network) implements SaveableModel, LatentCodec {

    /** Validates. */
    public VqVaeModel {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(network, "network");
    }

    /**
     * Builds the VQ-VAE a spec describes, with freshly initialised float32 parameters.
     *
     * @param spec the description
     * @param manager the manager that owns the parameters
     * @return the model
     */
    public static VqVaeModel create(VqVaeSpec spec, NDManager manager) {
        VqVae vq = new VqVae(spec.encoder().encoder(spec.quantizer().codeDim()), new VectorQuantizer(spec.quantizer()),
                spec.decoder().decoder(spec.data()), spec.loss());
        vq.initialize(manager, DataType.FLOAT32, new Shape(1).addAll(new Shape(spec.data().shape())));
        return new VqVaeModel(spec, vq);
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
     * @param x data (N, C, H, W)
     * @return code indices (N, h, w), int64
     */
    public NDArray encodeIndices(NDArray x) {
        return network.encodeIndices(x);
    }

    /**
     * @param indices (N, h, w) code indices
     * @return reconstructions in data space
     */
    public NDArray decodeIndices(NDArray indices) {
        return network.decodeIndices(indices);
    }
}
