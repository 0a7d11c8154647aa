package io.gen4j.autoencoders;

import io.gen4j.core.model.DataSpec;
import io.gen4j.core.model.ModelSpec;
import io.gen4j.core.nn.Activation;
import java.util.List;

/**
 * Everything that rebuilds an {@link Autoencoder} built from {@link Networks}: encoder and decoder
 * networks, code size, reconstruction loss, training corruption (denoising), sparsity penalty, code
 * activation and data. The spec of the {@code autoencoder} family ({@link AutoencoderFamily}).
 * Corruption and sparsity change only the training loss, but they are part of the model: a loaded
 * denoising autoencoder trains on as a denoising autoencoder.
 *
 * <pre>{@code
 * AutoencoderSpec spec = AutoencoderSpec.plain(NetworkSpec.mlp(256), NetworkSpec.mlp(256), 32,
 *         ReconstructionLoss.BCE_WITH_LOGITS, DataSpec.image(1, 28, 28, PixelRange.ZERO_ONE))
 *     .withCorruption(new Corruption.Gaussian(0.5));
 * }</pre>
 *
 * @param encoder MLP or CONV, to the code
 * @param decoder MLP or CONV, from the code
 * @param codeSize width of the code, &gt;= 1
 * @param loss the reconstruction loss; BCE needs images in [0, 1]
 * @param corruption the training-time input corruption ({@link Corruption#none()} for a plain
 *     autoencoder)
 * @param sparsity the penalty on the code, or null for none
 * @param codeActivation applied to the encoder output to form the code; the KL sparsity penalty
 *     needs {@link Activation#SIGMOID}
 * @param data one example's shape and pixel range
 */
public record AutoencoderSpec(NetworkSpec encoder, NetworkSpec decoder, int codeSize, ReconstructionLoss loss,
        Corruption corruption, SparsityPenalty sparsity, Activation codeActivation, DataSpec data)
        implements ModelSpec {

    /** Validates that the networks fit the data and the penalty fits the code. */
    public AutoencoderSpec {
        SpecChecks.present(encoder, "encoder");
        SpecChecks.present(decoder, "decoder");
        SpecChecks.present(loss, "loss");
        SpecChecks.present(corruption, "corruption");
        SpecChecks.present(codeActivation, "codeActivation");
        SpecChecks.present(data, "data");
        if (codeSize < 1) {
            throw new IllegalArgumentException("codeSize must be >= 1, got " + codeSize);
        }
        List<NetworkSpec.Kind> vector = List.of(NetworkSpec.Kind.MLP, NetworkSpec.Kind.CONV);
        encoder.requireKind("encoder", vector, "an autoencoder's code is a vector");
        decoder.requireKind("decoder", vector, "an autoencoder's code is a vector");
        encoder.checkFits(data, "encoder");
        decoder.checkFits(data, "decoder");
        if (loss == ReconstructionLoss.BCE_WITH_LOGITS) {
            SpecChecks.unitPixels(data, "binary cross-entropy");
        }
        if (sparsity != null && sparsity.needsUnitInterval() && codeActivation != Activation.SIGMOID) {
            throw new IllegalArgumentException(
                    "the KL sparsity penalty needs a code in (0, 1): codeActivation must be SIGMOID, got " + codeActivation);
        }
    }

    /**
     * A plain autoencoder: no corruption, no sparsity, no code activation.
     *
     * @param encoder the encoder
     * @param decoder the decoder
     * @param codeSize width of the code
     * @param loss the reconstruction loss
     * @param data the data
     * @return the spec
     */
    public static AutoencoderSpec plain(NetworkSpec encoder, NetworkSpec decoder, int codeSize, ReconstructionLoss loss,
            DataSpec data) {
        return new AutoencoderSpec(encoder, decoder, codeSize, loss, Corruption.none(), null, Activation.NONE, data);
    }

    /**
     * @param c the training-time corruption
     * @return a denoising autoencoder's spec, otherwise this one
     */
    public AutoencoderSpec withCorruption(Corruption c) {
        return new AutoencoderSpec(encoder, decoder, codeSize, loss, c, sparsity, codeActivation, data);
    }

    /**
     * @param penalty the sparsity penalty
     * @param activation the code activation ({@link Activation#SIGMOID} for the KL penalty)
     * @return a sparse autoencoder's spec, otherwise this one
     */
    public AutoencoderSpec withSparsity(SparsityPenalty penalty, Activation activation) {
        return new AutoencoderSpec(encoder, decoder, codeSize, loss, corruption, penalty, activation, data);
    }

    @Override
    public String family() {
        return AutoencoderFamily.NAME;
    }
}
