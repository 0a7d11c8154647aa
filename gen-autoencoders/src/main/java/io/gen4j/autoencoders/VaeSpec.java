package io.gen4j.autoencoders;

import io.gen4j.core.model.DataSpec;
import io.gen4j.core.model.ModelSpec;
import java.util.List;

/**
 * Everything that rebuilds a {@link Vae} built from {@link Networks}: its encoder and decoder
 * networks, its {@link VaeConfig} (latent size, decoder likelihood, σ, {@link KlSchedule},
 * importance samples) and its data. The spec of the {@code vae} family ({@link VaeFamily}); saved in
 * {@code model.json} by {@link io.gen4j.core.io.ModelStore}.
 *
 * <pre>{@code
 * VaeSpec spec = new VaeSpec(NetworkSpec.mlp(256), NetworkSpec.mlp(256), VaeConfig.defaults(16),
 *         DataSpec.image(1, 28, 28, PixelRange.ZERO_ONE));
 * VaeModel model = VaeModel.create(spec, manager);      // train model.network(), then
 * ModelStore.save(model, runDir.resolve("models/vae"));
 * }</pre>
 *
 * @param encoder the encoder, {@link NetworkSpec.Kind#MLP} or {@link NetworkSpec.Kind#CONV}; it
 *     outputs (μ, log σ²), 2·latentDim numbers
 * @param decoder the decoder, MLP or CONV, from z to the decoder likelihood's parameters
 * @param config the VAE's hyperparameters
 * @param data one example's shape and pixel range; a Bernoulli decoder needs images in [0, 1]
 */
public record VaeSpec(NetworkSpec encoder, NetworkSpec decoder, VaeConfig config, DataSpec data)
        implements ModelSpec {

    /** Validates that the networks fit the data and the latent. */
    public VaeSpec {
        SpecChecks.present(encoder, "encoder");
        SpecChecks.present(decoder, "decoder");
        SpecChecks.present(config, "config");
        SpecChecks.present(data, "data");
        List<NetworkSpec.Kind> vector = List.of(NetworkSpec.Kind.MLP, NetworkSpec.Kind.CONV);
        encoder.requireKind("encoder", vector, "a VAE's encoder outputs the vector (μ, log σ²)");
        decoder.requireKind("decoder", vector, "a VAE's decoder reads a latent vector");
        encoder.checkFits(data, "encoder");
        decoder.checkFits(data, "decoder");
        if (config.likelihood() == DecoderLikelihood.BERNOULLI) {
            SpecChecks.unitPixels(data, "a Bernoulli decoder");
        }
    }

    @Override
    public String family() {
        return VaeFamily.NAME;
    }
}
