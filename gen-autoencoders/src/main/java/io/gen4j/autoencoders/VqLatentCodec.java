package io.gen4j.autoencoders;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.gen4j.core.math.Scalars;
import io.gen4j.core.model.LatentCodec;
import io.gen4j.core.model.SaveableModel;
import java.util.Objects;

/**
 * A trained {@link VqVae} as the codec of latent diffusion, the VQ-regularised option of Rombach et
 * al. (2022, §3.1 and appendix G): the diffusion model works on the encoder's continuous output
 * z_e <em>before</em> quantisation, and the quantiser is "absorbed by the decoder", which snaps
 * whatever the sampler produced to the nearest codes before decoding:
 *
 * <pre>
 *   encode(x) = s · E(x)                    (N, D, h, w), continuous
 *   decode(z) = G(q(z / s))                 q = nearest codebook vector per position
 * </pre>
 *
 * with s = {@link VqLatentCodecSpec#latentScale()} estimated from data ({@link
 * LatentScale#estimate(VqLatentCodec, NDArray, int)}) so that encoded training images have unit
 * standard deviation (LDM's VQ models keep s = 1 because their codebooks are already near unit
 * scale; estimating it costs nothing and keeps any codebook right). {@link VqVaeModel} itself is a
 * codec too, of quantised latents; this class is the one to diffuse through. Saved and loaded through
 * {@link io.gen4j.core.io.ModelStore} (family {@code vq-latent-codec}); training is the VQ-VAE's
 * ({@link VqVae#objective()}), done before wrapping.
 *
 * <pre>{@code
 * VqVaeModel vq = VqVaeModel.create(spec, manager);
 * // ... train vq.network().objective() with ObjectiveStep ...
 * VqLatentCodec codec = VqLatentCodec.of(vq);
 * codec = codec.withLatentScale(LatentScale.estimate(codec, images, 256));
 * }</pre>
 *
 * @param spec the description (VQ-VAE spec and latent scale)
 * @param network the VQ-VAE (initialised)
 */
public record VqLatentCodec(VqLatentCodecSpec spec, VqVae network) implements SaveableModel, LatentCodec {

    /** Validates. */
    public VqLatentCodec {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(network, "network");
    }

    /**
     * Builds the codec a spec describes, with freshly initialised float32 parameters.
     *
     * @param spec the description
     * @param manager the manager that owns the parameters
     * @return the codec
     */
    public static VqLatentCodec create(VqLatentCodecSpec spec, NDManager manager) {
        return new VqLatentCodec(spec, VqVaeModel.create(spec.vqVae(), manager).network());
    }

    /**
     * @param model a (trained) VQ-VAE
     * @return it as a codec with scale 1 (the parameters are shared, not copied)
     */
    public static VqLatentCodec of(VqVaeModel model) {
        return new VqLatentCodec(new VqLatentCodecSpec(model.spec(), 1.0), model.network());
    }

    /**
     * @param scale the latent scaling factor s
     * @return the same network with s in its spec (the parameters are shared, not copied)
     */
    public VqLatentCodec withLatentScale(double scale) {
        return new VqLatentCodec(spec.withLatentScale(scale), network);
    }

    /**
     * @param x images (N, C, H, W)
     * @return the encoder's output z_e(x) before quantisation, unscaled, (N, D, h, w)
     */
    public NDArray encodeRaw(NDArray x) {
        return network.encoder().forward(new ParameterStore(x.getManager(), false), new NDList(x), false).head();
    }

    @Override
    public NDArray encode(NDArray x) {
        return Scalars.times(encodeRaw(x), spec.latentScale());
    }

    /**
     * @param z scaled latents (N, D, h, w), anywhere in R^D per position
     * @return q(z / s), the nearest codebook vectors, (N, D, h, w)
     */
    public NDArray quantize(NDArray z) {
        ParameterStore ps = new ParameterStore(z.getManager(), false);
        return network.quantizer().quantize(ps, Scalars.dividedBy(z, spec.latentScale()), false).quantized();
    }

    @Override
    public NDArray decode(NDArray z) {
        return network.decode(quantize(z));
    }

    @Override
    public Shape latentShape() {
        return network.latentShape();
    }
}
