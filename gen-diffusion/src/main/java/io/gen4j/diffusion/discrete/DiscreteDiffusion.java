package io.gen4j.diffusion.discrete;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.Objects;

/**
 * What the samplers and the bound of a discrete diffusion need: the network's output, the forward
 * process that reads it, and the noise schedule.
 *
 * @param network ℓ(x_t, t)
 * @param process the forward CTMC
 * @param noise σ(t)
 */
public record DiscreteDiffusion(ScoreNetwork network, DiscreteProcess process, NoiseLevel noise) {

    /** Validates. */
    public DiscreteDiffusion {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(process, "process");
        Objects.requireNonNull(noise, "noise");
    }

    /**
     * @param xt tokens (N, L)
     * @param t one time for every sequence
     * @return ℓ(x_t, t), (N, L, states)
     */
    public NDArray output(NDArray xt, double t) {
        long n = xt.getShape().get(0);
        NDArray times = xt.getManager().full(new ai.djl.ndarray.types.Shape(n), (float) t, DataType.FLOAT32);
        return network.output(xt, times);
    }
}
