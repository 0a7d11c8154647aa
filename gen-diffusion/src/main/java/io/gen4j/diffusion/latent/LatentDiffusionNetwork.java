package io.gen4j.diffusion.latent;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.gen4j.core.model.Condition;
import io.gen4j.core.model.Denoiser;
import io.gen4j.core.model.DenoisingNetwork;
import io.gen4j.core.nn.UNet;
import io.gen4j.diffusion.text.TextEncoder;
import java.util.Objects;
import java.util.Optional;

/**
 * The trainable part of latent diffusion: the latent U-Net and, for text-to-image, the text encoder
 * whose output is the U-Net's cross-attention context (Rombach et al. 2022, eq. 3: the conditioning
 * encoder τ_θ and the U-Net ε_θ are optimised jointly). The latent codec is not part of it: it is
 * trained before and frozen.
 *
 * <p>Forward inputs: {@code (z_t, t)} or {@code (z_t, t, ids, mask)}; output: the U-Net's prediction,
 * the shape of z_t. As a {@link DenoisingNetwork} it is the U-Net, given conditions that are
 * already embeddings ({@link TextEncoder#condition}); results belong to the manager of z_t.
 */
public final class LatentDiffusionNetwork extends AbstractBlock implements DenoisingNetwork {

    private static final byte VERSION = 1;

    private final UNet unet;
    private final TextEncoder text;

    /**
     * @param unet the latent U-Net (a context dimension equal to the text width when text is given)
     * @param text the text encoder, or {@code null} for an unconditional model
     */
    public LatentDiffusionNetwork(UNet unet, TextEncoder text) {
        super(VERSION);
        this.unet = addChildBlock("unet", Objects.requireNonNull(unet, "unet"));
        if (text != null && unet.config().contextDim() != text.config().width()) {
            throw new IllegalArgumentException("the U-Net's contextDim " + unet.config().contextDim()
                    + " must equal the text encoder's width " + text.config().width());
        }
        this.text = text == null ? null : addChildBlock("text", text);
    }

    /** @return the latent U-Net */
    public UNet unet() {
        return unet;
    }

    /** @return the text encoder, if the model is text-conditioned */
    public Optional<TextEncoder> text() {
        return Optional.ofNullable(text);
    }

    @Override
    public Denoiser denoiser(ParameterStore parameters, boolean training) {
        return unet.denoiser(parameters, training);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        Condition condition = Condition.none();
        if (inputs.size() >= 4) {
            if (text == null) {
                throw new IllegalArgumentException("tokens given but the model has no text encoder");
            }
            condition = text.condition(ps, inputs.get(2), inputs.get(3), training);
        }
        return new NDList(unet.forward(ps, inputs.get(0), inputs.get(1), condition, training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        unet.initialize(manager, dataType, inputShapes[0], inputShapes[1]);
        if (text != null) {
            if (inputShapes.length < 4) {
                throw new IllegalArgumentException("initialize a text-conditioned network with (z, t, ids, mask) shapes");
            }
            text.initialize(manager, dataType, inputShapes[2], inputShapes[3]);
        }
    }
}
