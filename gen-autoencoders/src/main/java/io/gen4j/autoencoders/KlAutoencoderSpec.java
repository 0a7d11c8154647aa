package io.gen4j.autoencoders;

import io.gen4j.core.model.DataSpec;
import io.gen4j.core.model.ModelSpec;

/**
 * Everything that rebuilds a {@link KlAutoencoderModel}: the latent channels, the network width,
 * the KL weight β it was trained with, the latent scaling factor estimated from data (the role of
 * Stable Diffusion's 0.18215, see {@link LatentScale}) and the images. The spec of the {@code
 * kl-autoencoder} family ({@link KlAutoencoderFamily}).
 *
 * @param latentChannels c_z, channels of the (c_z, H/4, W/4) latent
 * @param channels width c of the encoder and decoder
 * @param klWeight β of the training loss, &gt;= 0
 * @param latentScale s, the factor latents are multiplied by in {@link KlAutoencoderModel#encode}
 *     (and divided by before decoding); 1 until estimated
 * @param data the images: (C, H, W) with H and W divisible by 4, and their pixel range
 */
public record KlAutoencoderSpec(int latentChannels, int channels, double klWeight, double latentScale,
        DataSpec data) implements ModelSpec {

    /** Validates. */
    public KlAutoencoderSpec {
        if (latentChannels < 1 || channels < 1) {
            throw new IllegalArgumentException("latentChannels and channels must be >= 1, got " + latentChannels
                    + ", " + channels);
        }
        if (!(klWeight >= 0) || Double.isInfinite(klWeight)) {
            throw new IllegalArgumentException("klWeight must be finite and >= 0, got " + klWeight);
        }
        if (!(latentScale > 0) || Double.isInfinite(latentScale)) {
            throw new IllegalArgumentException("latentScale must be finite and > 0, got " + latentScale);
        }
        SpecChecks.present(data, "data");
        long[] s = data.shape();
        if (!data.isImage() || s[1] % 4 != 0 || s[2] % 4 != 0) {
            throw new IllegalArgumentException("data must be (C, H, W) images with H and W divisible by 4, got " + data);
        }
    }

    /**
     * @param data the images
     * @return 4 latent channels, width 32, β = 1e−4, scale 1 (estimate it after training)
     */
    public static KlAutoencoderSpec defaults(DataSpec data) {
        return new KlAutoencoderSpec(4, 32, 1e-4, 1.0, data);
    }

    /**
     * @param scale the latent scaling factor
     * @return this spec with it
     */
    public KlAutoencoderSpec withLatentScale(double scale) {
        return new KlAutoencoderSpec(latentChannels, channels, klWeight, scale, data);
    }

    @Override
    public String family() {
        return KlAutoencoderFamily.NAME;
    }
}
