package io.gen4j.gans;

import ai.djl.ndarray.NDArray;
import io.gen4j.core.math.Scalars;

/**
 * The least-squares GAN (Mao et al. 2017, LSGAN) with targets a = 0 (fake), b = 1 (real) for D and
 * c = 1 for G:
 *
 * <pre>
 *   L_D = ½ E[(s_r − 1)²] + ½ E[s_f²]
 *   L_G = ½ E[(s_f − 1)²]
 * </pre>
 *
 * The optimal discriminator is {@code D*(x) = p(x) / (p(x) + q(x))}, the same as the minimax
 * game's, but reached as a regression instead of through a sigmoid.
 */
public record LeastSquaresLoss() implements GanLoss {

    @Override
    public NDArray discriminatorLoss(NDArray realScores, NDArray fakeScores) {
        return Scalars.times(realScores.sub(1).square().mean().add(fakeScores.square().mean()), 0.5);
    }

    @Override
    public NDArray generatorLoss(NDArray fakeScores) {
        return Scalars.times(fakeScores.sub(1).square().mean(), 0.5);
    }

    @Override
    public String name() {
        return "least-squares";
    }
}
