package io.gen4j.autoencoders;

import io.gen4j.core.model.DataSpec;
import io.gen4j.core.model.ModelSpec;

/**
 * Everything that rebuilds a {@link VqLatentCodec}: the VQ-VAE and the latent scaling factor
 * estimated from data (see {@link LatentScale}). The spec of the {@code vq-latent-codec} family
 * ({@link VqLatentCodecFamily}).
 *
 * @param vqVae the VQ-VAE's own spec
 * @param latentScale s, the factor pre-quantisation latents are multiplied by in {@link
 *     VqLatentCodec#encode} (and divided by before quantising and decoding); 1 until estimated
 */
public record VqLatentCodecSpec(VqVaeSpec vqVae, double latentScale) implements ModelSpec {

    /** The family's name, the {@code family} of its specs. */
    public static final String FAMILY = "vq-latent-codec";

    /** Validates. */
    public VqLatentCodecSpec {
        SpecChecks.present(vqVae, "vqVae");
        if (!(latentScale > 0) || Double.isInfinite(latentScale)) {
            throw new IllegalArgumentException("latentScale must be finite and > 0, got " + latentScale);
        }
    }

    /**
     * @param scale the latent scaling factor
     * @return this spec with it
     */
    public VqLatentCodecSpec withLatentScale(double scale) {
        return new VqLatentCodecSpec(vqVae, scale);
    }

    @Override
    public String family() {
        return FAMILY;
    }

    @Override
    public DataSpec data() {
        return vqVae.data();
    }
}
