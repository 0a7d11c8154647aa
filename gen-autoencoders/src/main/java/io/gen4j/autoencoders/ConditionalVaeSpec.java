package io.gen4j.autoencoders;

import io.gen4j.core.model.DataSpec;
import io.gen4j.core.model.ModelSpec;
import java.util.List;

/**
 * Everything that rebuilds a {@link ConditionalVae} built from {@link Networks}: encoder and
 * decoder networks, {@link VaeConfig}, number of classes, {@link ConditionalPrior} and data. The
 * spec of the {@code conditional-vae} family ({@link ConditionalVaeFamily}).
 *
 * @param encoder the encoder of [flatten(x), onehot(y)]: {@link NetworkSpec.Kind#MLP} (it reads a
 *     flat vector); it outputs (μ, log σ²), 2·latentDim numbers
 * @param decoder the decoder of [z, onehot(y)], MLP or CONV
 * @param config the VAE's hyperparameters
 * @param numClasses K &gt;= 2
 * @param prior N(0, I) or a learned Gaussian per class
 * @param data one example's shape and pixel range; a Bernoulli decoder needs images in [0, 1]
 */
public record ConditionalVaeSpec(NetworkSpec encoder, NetworkSpec decoder, VaeConfig config, int numClasses,
        ConditionalPrior prior, DataSpec data) implements ModelSpec {

    /** Validates that the networks fit the data and the latent. */
    public ConditionalVaeSpec {
        SpecChecks.present(encoder, "encoder");
        SpecChecks.present(decoder, "decoder");
        SpecChecks.present(config, "config");
        SpecChecks.present(prior, "prior");
        SpecChecks.present(data, "data");
        if (numClasses < 2) {
            throw new IllegalArgumentException("numClasses must be >= 2, got " + numClasses);
        }
        encoder.requireKind("encoder", List.of(NetworkSpec.Kind.MLP),
                "a conditional VAE's encoder reads the flat vector [flatten(x), onehot(y)]");
        decoder.requireKind("decoder", List.of(NetworkSpec.Kind.MLP, NetworkSpec.Kind.CONV),
                "a conditional VAE's decoder reads the vector [z, onehot(y)]");
        decoder.checkFits(data, "decoder");
        if (config.likelihood() == DecoderLikelihood.BERNOULLI) {
            SpecChecks.unitPixels(data, "a Bernoulli decoder");
        }
    }

    @Override
    public String family() {
        return ConditionalVaeFamily.NAME;
    }
}
