package io.gen4j.score.sde;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.math.Scalars;
import io.gen4j.core.model.Condition;
import io.gen4j.core.model.Denoiser;
import io.gen4j.score.ScoreFunction;
import java.util.function.DoubleUnaryOperator;

/**
 * Reading a {@link Denoiser} as a score: the same network is a noise predictor (DDPM), a score
 * (NCSN) or, through the probability-flow ODE, a velocity. For the Gaussian kernel x_t = m x_0 + s z
 * of an {@link Sde}, the score of p_t is −E[z | x_t]/s, so an ε-prediction ε̂ gives s(x, t) = −ε̂/s(t)
 * (Vincent 2011; Song et al. 2021, App. C).
 */
public final class DenoiserScores {

    private DenoiserScores() {}

    /**
     * A noise predictor as a score: s(x, t) = −ε̂(x, τ(t)) / s(t).
     *
     * @param epsilon the ε-network
     * @param sde the SDE whose marginal std divides
     * @param networkTime τ: the SDE's time to the time the network was trained with
     * @param condition the condition of every call
     * @return the score
     */
    public static ScoreFunction epsilon(Denoiser epsilon, Sde sde, DoubleUnaryOperator networkTime,
            Condition condition) {
        return (x, t) -> Scalars.dividedBy(epsilon.predict(x, times(x, networkTime.applyAsDouble(t)), condition), -sde.marginalStd(t));
    }

    /**
     * A trained DDPM's ε-network (gen-diffusion's {@code DdpmModel}: its U-Net's denoiser, time = the
     * step index) as the score of the {@link DiscreteVpSde} of its schedule: at t the nearest step i,
     * s = −ε̂(x, i)/√(1 − ᾱ_i).
     *
     * @param epsilon the network, called with the step index as a float time
     * @param sde the schedule's SDE
     * @param condition the condition of every call
     * @return the score
     */
    public static ScoreFunction ddpm(Denoiser epsilon, DiscreteVpSde sde, Condition condition) {
        return (x, t) -> {
            int i = sde.step(t);
            return Scalars.dividedBy(epsilon.predict(x, times(x, i), condition), -Math.sqrt(1 - sde.alphaBar(i)));
        };
    }

    /**
     * A network that outputs the score itself.
     *
     * @param network the network
     * @param networkTime τ: the SDE's time to the network's time input
     * @param condition the condition of every call
     * @return the score
     */
    public static ScoreFunction direct(Denoiser network, DoubleUnaryOperator networkTime, Condition condition) {
        return (x, t) -> network.predict(x, times(x, networkTime.applyAsDouble(t)), condition);
    }

    /**
     * @param x a batch, shape (N, ...)
     * @param t a time
     * @return t repeated N times, shape (N), float32, in the manager of {@code x}
     */
    public static NDArray times(NDArray x, double t) {
        return x.getManager().full(new Shape(x.getShape().get(0)), (float) t, DataType.FLOAT32);
    }
}
