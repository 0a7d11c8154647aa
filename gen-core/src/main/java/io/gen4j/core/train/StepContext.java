package io.gen4j.core.train;

import ai.djl.training.ParameterStore;
import java.util.Objects;

/**
 * What an {@link Objective} is given besides the batch: the parameter store to run its networks
 * with, the global step index, and whether this is a training pass.
 *
 * <p>The objective builds its view of the network from these every time it is called (for a
 * U-Net, {@code unet.denoiser(ctx.parameters(), ctx.training())}), so nothing about the pass is
 * frozen into the objective when it is constructed.
 *
 * @param parameters the parameter store of this pass
 * @param step the global step index, 0-based (for warm-ups such as a KL schedule)
 * @param training true in a training step (dropout, batch statistics, EMA codebooks update), false
 *     when an objective is only evaluated
 */
public record StepContext(ParameterStore parameters, long step, boolean training) {

    /** Validates. */
    public StepContext {
        Objects.requireNonNull(parameters, "parameters");
        if (step < 0) {
            throw new IllegalArgumentException("step must be >= 0, got " + step);
        }
    }
}
