package io.gen4j.core.model;

import ai.djl.training.ParameterStore;

/**
 * A network (a DJL block) that can be seen as a {@link Denoiser}: the U-Net of diffusion, the score
 * network of NCSN, the velocity field of flow matching. Training objectives ask for the view at
 * every step with that step's parameter store and mode ({@code
 * network.denoiser(ctx.parameters(), ctx.training())}); samplers ask for it once with {@code
 * training = false}.
 */
@FunctionalInterface
public interface DenoisingNetwork {

    /**
     * @param parameters the parameter store of the calls
     * @param training whether the calls are training passes (dropout)
     * @return this network as a denoiser; its results belong to the manager of its input
     */
    Denoiser denoiser(ParameterStore parameters, boolean training);
}
