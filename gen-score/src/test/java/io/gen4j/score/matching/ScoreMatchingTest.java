package io.gen4j.score.matching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.model.Denoiser;
import io.gen4j.score.ScoreFunction;
import org.junit.jupiter.api.Test;

/**
 * Denoising score matching equals explicit score matching up to a constant (so its optimum is the
 * perturbed data's score), and sliced score matching equals Hyvärinen's objective up to a constant,
 * both on Gaussian data with closed-form scores.
 */
class ScoreMatchingTest {

    static final double MU = 1.0;
    static final double S = 0.6;

    @Test
    void denoisingScoreMatchingIsExplicitScoreMatchingPlusAConstant() {
        Engine.getInstance().setRandomSeed(51);
        int n = 400_000;
        double sigma = 0.5;
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.randomNormal(0, 1, new Shape(n, 1), DataType.FLOAT64).mul(S).add(MU);
            NDArray z = manager.randomNormal(0, 1, new Shape(n, 1), DataType.FLOAT64);
            NDArray sig = manager.ones(new Shape(n), DataType.FLOAT64).mul(sigma);
            double v = S * S + sigma * sigma;
            // the optimum n*(x~) = sigma * grad log q_sigma(x~) = -sigma (x~ - mu)/(s^2 + sigma^2)
            Denoiser exact = (xt, t, c) -> xt.sub(MU).mul(-sigma / v);
            Denoiser other = (xt, t, c) -> xt.sub(MU).mul(-0.7 * sigma / v).add(0.1);
            double dsmExact = DenoisingScoreMatching.loss(exact, x, z, sig).getDouble();
            double dsmOther = DenoisingScoreMatching.loss(other, x, z, sig).getDouble();
            NDArray noisy = x.add(z.mul(sigma));
            NDArray gap = other.predict(noisy, sig, null).sub(exact.predict(noisy, sig, null));
            double esmOther = gap.square().mean().getDouble() * 0.5;
            assertTrue(dsmOther > dsmExact, "the true score has the lower DSM loss");
            // DSM(other) - DSM(exact) = ESM(other) - ESM(exact) = ESM(other); MC error ~ 1e-3
            assertEquals(esmOther, dsmOther - dsmExact, 3e-3);
            // and DSM(exact) is the constant: 1/2 E|z + n*|^2 = 1/2 (1 - sigma^2 / v)
            assertEquals(0.5 * (1 - sigma * sigma / v), dsmExact, 3e-3);
        }
    }

    @Test
    void slicedScoreMatchingIsHyvarinensObjectivePlusAConstant() {
        Engine.getInstance().setRandomSeed(52);
        int n = 400_000;
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.randomNormal(0, 1, new Shape(n, 2), DataType.FLOAT64).mul(S).add(MU);
            NDArray v = manager.randomNormal(0, 1, new Shape(n, 2), DataType.FLOAT64);
            ScoreFunction exact = (y, t) -> y.sub(MU).mul(-1 / (S * S));
            // a non-diagonal linear field: s = A (x - mu) + b with A = [[-2, 0.5], [0.3, -4]]
            ScoreFunction other = (y, t) -> y.sub(MU).matMul(y.getManager().create(new double[] {-2, 0.3, 0.5, -4},
                    new Shape(2, 2))).add(0.2);
            double jExact = SlicedScoreMatching.loss(exact, x, v, 1e-3).getDouble();
            double jOther = SlicedScoreMatching.loss(other, x, v, 1e-3).getDouble();
            double esm = other.score(x, 0).sub(exact.score(x, 0)).square().sum(new int[] {1}).mean().getDouble() * 0.5;
            // Hyvarinen: J(s) = 1/2 E|s - s*|^2 + const; the random slices add only variance
            assertEquals(esm, jOther - jExact, 0.03 * esm);
            // J(s*) = E[1/2 |s*|^2] + tr(grad s*) = D/(2 s^2) - D/s^2 = -D/(2 s^2)
            assertEquals(-2 / (2 * S * S), jExact, 0.02);
        }
    }

    @Test
    void geometricLevels() {
        double[] s = new NoiseLevels(10, 0.01, 4).sigmas();
        assertEquals(10, s[0], 1e-12);
        assertEquals(1, s[1], 1e-12);
        assertEquals(0.1, s[2], 1e-12);
        assertEquals(0.01, s[3], 1e-12);
        assertEquals(0.3, NoiseLevels.single(0.3).sigmas()[0], 0);
    }
}
