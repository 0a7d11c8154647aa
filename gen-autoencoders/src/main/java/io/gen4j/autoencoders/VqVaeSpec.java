package io.gen4j.autoencoders;

import io.gen4j.core.model.DataSpec;
import io.gen4j.core.model.ModelSpec;
import java.util.List;

/**
 * Everything that rebuilds a {@link VqVae} built from {@link Networks}: its fully convolutional
 * encoder and decoder, its {@link VectorQuantizerConfig} (K, D, β, codebook update, decay, ε,
 * restarts), its reconstruction loss and its data. The spec of the {@code vq-vae} family ({@link
 * VqVaeFamily}). The EMA statistics of the codebook are parameters of the network, so a saved
 * VQ-VAE resumes its codebook averages exactly.
 *
 * @param encoder {@link NetworkSpec.Kind#CONV_FEATURE}: images to an (N, D, H/4, W/4) map
 * @param decoder {@link NetworkSpec.Kind#CONV_FEATURE}: the quantised map back to images
 * @param quantizer the bottleneck's hyperparameters; its code size D is the encoder's output
 *     channels
 * @param loss the reconstruction loss; BCE needs images in [0, 1]
 * @param data one example's shape and pixel range, (C, H, W) with H and W divisible by 4
 */
public record VqVaeSpec(NetworkSpec encoder, NetworkSpec decoder, VectorQuantizerConfig quantizer,
        ReconstructionLoss loss, DataSpec data) implements ModelSpec {

    /** Validates that the networks fit the data. */
    public VqVaeSpec {
        SpecChecks.present(encoder, "encoder");
        SpecChecks.present(decoder, "decoder");
        SpecChecks.present(quantizer, "quantizer");
        SpecChecks.present(loss, "loss");
        SpecChecks.present(data, "data");
        List<NetworkSpec.Kind> map = List.of(NetworkSpec.Kind.CONV_FEATURE);
        encoder.requireKind("encoder", map, "the VQ-VAE quantises a spatial feature map");
        decoder.requireKind("decoder", map, "the VQ-VAE decodes a spatial feature map");
        encoder.checkFits(data, "encoder");
        decoder.checkFits(data, "decoder");
        if (loss == ReconstructionLoss.BCE_WITH_LOGITS) {
            SpecChecks.unitPixels(data, "binary cross-entropy");
        }
    }

    @Override
    public String family() {
        return VqVaeFamily.NAME;
    }
}
