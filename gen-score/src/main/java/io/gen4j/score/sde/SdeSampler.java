package io.gen4j.score.sde;

import ai.djl.ndarray.NDArray;
import io.gen4j.score.SamplingResult;
import io.gen4j.score.ScoreFunction;

/**
 * A sampler of the reverse-time SDE: stateless, it maps prior draws x_T to data with a score. Every
 * implementation runs each iteration in its own memory scope ({@link io.gen4j.score.StepLoop}).
 */
@FunctionalInterface
public interface SdeSampler {
    /**
     * @param sde the forward SDE
     * @param score the score of its marginals
     * @param xT draws of the prior, shape (N, ...); not modified
     * @param keepTrajectory whether to return every intermediate state
     * @return the samples at t = {@link Sde#minTime()}, in the manager of {@code xT}
     */
    SamplingResult sample(Sde sde, ScoreFunction score, NDArray xT, boolean keepTrajectory);

    /**
     * The uniform time grid t_i = T − i(T − ε)/N, i = 0 … N, of score_sde's samplers.
     *
     * @param sde the SDE (its T and ε)
     * @param steps N ≥ 1
     * @return N + 1 times, decreasing from T to ε
     */
    static double[] timeGrid(Sde sde, int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        }
        double[] t = new double[steps + 1];
        double h = (sde.endTime() - sde.minTime()) / steps;
        for (int i = 0; i <= steps; i++) {
            t[i] = sde.endTime() - i * h;
        }
        t[steps] = sde.minTime();
        return t;
    }
}
