package io.gen4j.examples.bridges;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.model.Condition;
import io.gen4j.diffusion.DdpmSampler;
import io.gen4j.diffusion.DdpmVariance;
import io.gen4j.diffusion.DiffusionModel;
import io.gen4j.diffusion.GaussianDataDenoiser;
import io.gen4j.diffusion.NoiseSchedule;
import io.gen4j.diffusion.Prediction;
import io.gen4j.diffusion.TimeGrid;
import io.gen4j.score.ScoreFunction;
import io.gen4j.score.sde.AncestralSampler;
import io.gen4j.score.sde.DenoiserScores;
import io.gen4j.score.sde.DiscreteVpSde;
import io.gen4j.score.sde.EulerMaruyamaSampler;
import io.gen4j.score.sde.GaussianDataScore;
import org.junit.jupiter.api.Test;

/**
 * A gen-diffusion ε-model used as a score by gen-score (the two families meet only here, in the
 * examples, which depend on both): with the closed-form ε-model of Gaussian data,
 * <ul>
 *   <li>gen-score's ancestral sampler on the {@link DiscreteVpSde} of the schedule, fed with the ε-model
 *       through {@link DenoiserScores#ddpm}, gives the same samples, draw for draw, as gen-diffusion's
 *       {@link DdpmSampler} with the "fixed large" variance β_t;</li>
 *   <li>the score read from the ε-model equals the exact score of the SDE's marginal at every step;</li>
 *   <li>Euler–Maruyama on the reverse VP SDE with that score reproduces the data law.</li>
 * </ul>
 */
class DdpmAsVpSdeTest {

    private static final double[] MU = {0.8, -0.3};
    private static final double[] SD = {0.4, 0.9};

    @Test
    void ancestralSamplingThroughTheScoreIsDdpmSampling() {
        NoiseSchedule schedule = NoiseSchedule.linear(200);
        GaussianDataDenoiser epsilon = new GaussianDataDenoiser(schedule, MU, SD, Prediction.EPSILON);
        DiscreteVpSde sde = new DiscreteVpSde(schedule.betas());
        ScoreFunction score = DenoiserScores.ddpm(epsilon, sde, Condition.none());
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(7);
            NDArray xT = manager.randomNormal(0, 1, new Shape(512, 2), DataType.FLOAT32);
            Engine.getInstance().setRandomSeed(8);
            double[] ddpm = new DdpmSampler(DdpmVariance.FIXED_LARGE).sample(
                    new DiffusionModel(epsilon, schedule, Prediction.EPSILON), xT, TimeGrid.full(200),
                    Condition.none(), false).samples().toType(DataType.FLOAT64, false).toDoubleArray();
            Engine.getInstance().setRandomSeed(8);
            double[] sdeSamples = new AncestralSampler().sample(sde, score, xT, false).samples().toType(DataType.FLOAT64, false).toDoubleArray();
            double max = 0;
            for (int i = 0; i < ddpm.length; i++) {
                max = Math.max(max, Math.abs(ddpm[i] - sdeSamples[i]));
            }
            assertTrue(max < 1e-4, "largest difference " + max);
            // and a different noise stream gives different samples: the comparison has teeth
            Engine.getInstance().setRandomSeed(9);
            double[] other = new AncestralSampler().sample(sde, score, xT, false).samples().toType(DataType.FLOAT64, false).toDoubleArray();
            assertTrue(Math.abs(other[0] - ddpm[0]) + Math.abs(other[1] - ddpm[1]) > 1e-3);
        }
    }

    @Test
    void theEpsilonModelIsTheScoreOfTheSdeMarginals() {
        NoiseSchedule schedule = NoiseSchedule.cosine(100);
        GaussianDataDenoiser epsilon = new GaussianDataDenoiser(schedule, MU, SD, Prediction.EPSILON);
        DiscreteVpSde sde = new DiscreteVpSde(schedule.betas());
        ScoreFunction fromDdpm = DenoiserScores.ddpm(epsilon, sde, Condition.none());
        GaussianDataScore exact = new GaussianDataScore(sde, MU, SD);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.randomNormal(0, 1.5f, new Shape(64, 2), DataType.FLOAT32);
            for (int i : new int[] {0, 10, 50, 99}) {
                double t = sde.time(i);
                double[] a = fromDdpm.score(x, t).toType(DataType.FLOAT64, false).toDoubleArray();
                double[] b = exact.score(x, t).toType(DataType.FLOAT64, false).toDoubleArray();
                for (int k = 0; k < a.length; k++) {
                    assertEquals(b[k], a[k], 2e-3 * Math.max(1, Math.abs(b[k])), "step " + i);
                }
            }
        }
    }

    @Test
    void reverseVpSdeWithTheDdpmScoreReproducesTheData() {
        NoiseSchedule schedule = NoiseSchedule.linear(1000);
        GaussianDataDenoiser epsilon = new GaussianDataDenoiser(schedule, MU, SD, Prediction.EPSILON);
        DiscreteVpSde sde = new DiscreteVpSde(schedule.betas());
        ScoreFunction score = DenoiserScores.ddpm(epsilon, sde, Condition.none());
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(10);
            int n = 4000;
            NDArray xT = sde.samplePrior(manager, new Shape(n, 2));
            double[] x = new EulerMaruyamaSampler(500).sample(sde, score, xT, false).samples().toType(DataType.FLOAT64, false).toDoubleArray();
            for (int d = 0; d < 2; d++) {
                double mean = 0;
                for (int i = 0; i < n; i++) {
                    mean += x[2 * i + d] / n;
                }
                double var = 0;
                for (int i = 0; i < n; i++) {
                    var += Math.pow(x[2 * i + d] - mean, 2) / (n - 1);
                }
                assertEquals(MU[d], mean, 5 * SD[d] / Math.sqrt(n) + 0.02, "mean " + d);
                assertEquals(SD[d], Math.sqrt(var), 0.06 * SD[d], "std " + d);
            }
        }
    }
}
