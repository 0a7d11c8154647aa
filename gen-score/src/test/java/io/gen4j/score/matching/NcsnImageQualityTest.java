package io.gen4j.score.matching;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.gen4j.core.data.BatchOrder;
import io.gen4j.core.data.PixelRange;
import io.gen4j.core.data.TensorBatches;
import io.gen4j.core.model.DataSpec;
import io.gen4j.core.model.SampleOptions;
import io.gen4j.core.train.Fit;
import io.gen4j.core.train.ObjectiveStep;
import io.gen4j.core.train.TrainingRecipe;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Quality guard of the image score model (seeded, small): the tiny U-Net NCSN trained by
 * continuous-σ DSM on 8×8 "images" of independent Gaussian pixels (means a ramp from −0.6 to 0.6, std
 * 0.25) learns their closed-form perturbed score, and its predictor–corrector samples have the pixel
 * means and stds of the data. 150 updates of 32; the whole Maven run of this test alone took 64 s user + 13 s
 * system CPU (38.6 s of CPU/2, compilation included) at load average 20.
 */
@Tag("quality")
class NcsnImageQualityTest {

    static final int SIDE = 8;
    static final double SD = 0.25;

    static double mean(int pixel) {
        return -0.6 + 1.2 * pixel / (SIDE * SIDE - 1.0);
    }

    @Test
    void learnsTheGaussianImageScoreAndSamplesItsLaw() {
        NcsnSpec spec = NcsnSpec.image(NcsnImageModelTest.tinyUnet(), new NoiseLevels(10, 0.02, 20), 5, 2e-5, 10,
                DataSpec.image(1, SIDE, SIDE, PixelRange.MINUS_ONE_ONE));
        int d = SIDE * SIDE;
        Random r = new Random(97);
        int n = 4096;
        float[] images = new float[n * d];
        for (int i = 0; i < images.length; i++) {
            images[i] = (float) (mean(i % d) + SD * r.nextGaussian());
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(98);
            NcsnModel model = NcsnModel.create(spec, manager);
            TrainingRecipe recipe = TrainingRecipe.of(150, 32, 3e-3, 1e-4, 10, 1.0);
            ObjectiveStep step = recipe.step(model.objective(true)).build();
            Fit.builder().setStep(step).setManager(manager)
                    .setSource(new TensorBatches(images, new long[] {1, SIDE, SIDE}, null, new BatchOrder(n, 32, 99, true)))
                    .optTotalSteps(recipe.steps()).optSeed(100).build().run();

            // relative squared error of σ·s_θ against σ·∇log N(μ, SD² + σ²) on fresh noisy data
            for (double sigma : new double[] {3, 1, 0.3, 0.1}) {
                try (NDManager scope = manager.newSubManager()) {
                    float[] clean = new float[256 * d];
                    float[] mu = new float[256 * d];
                    for (int i = 0; i < clean.length; i++) {
                        mu[i] = (float) mean(i % d);
                        clean[i] = (float) (mu[i] + SD * r.nextGaussian());
                    }
                    Shape shape = new Shape(256, 1, SIDE, SIDE);
                    NDArray muA = scope.create(mu, shape);
                    NDArray x = scope.create(clean, shape).add(io.gen4j.core.math.Scalars.times(scope.randomNormal(shape), sigma));
                    float[] got = model.score(new ParameterStore(scope, false)).score(x, sigma).toFloatArray();
                    float[] xs = x.toFloatArray();
                    float[] ms = muA.toFloatArray();
                    double err = 0;
                    double norm = 0;
                    for (int i = 0; i < xs.length; i++) {
                        double exact = -sigma * (xs[i] - ms[i]) / (SD * SD + sigma * sigma);
                        err += Math.pow(sigma * got[i] - exact, 2);
                        norm += exact * exact;
                    }
                    double rel = err / norm;
                    System.out.printf("image NCSN: sigma %.2f relative score error %.4f%n", sigma, rel);
                    // measured 0.0223, 0.0197, 0.0203, 0.0254 at σ = 3, 1, 0.3, 0.1 (an untrained network: 1)
                    assertTrue(rel < 0.06, "relative score error at sigma " + sigma + ": " + rel);
                }
            }
            // predictor–corrector samples: pixel means and the pooled std
            Engine.getInstance().setRandomSeed(101);
            float[] s = model.sample(manager, 512, SampleOptions.defaults().withSampler(NcsnModel.PREDICTOR_CORRECTOR))
                    .toFloatArray();
            double worstMean = 0;
            double sq = 0;
            for (int p = 0; p < d; p++) {
                double m = 0;
                for (int i = 0; i < 512; i++) {
                    m += s[i * d + p] / 512.0;
                }
                worstMean = Math.max(worstMean, Math.abs(m - mean(p)));
                for (int i = 0; i < 512; i++) {
                    sq += Math.pow(s[i * d + p] - m, 2) / (511.0 * d);
                }
            }
            double sd = Math.sqrt(sq);
            System.out.printf("image NCSN: PC samples worst pixel-mean error %.4f, pooled std %.4f (data %.2f)%n",
                    worstMean, sd, SD);
            // measured: worst of the 64 pixel means 0.0937 off (sampling error alone about 0.03), pooled std 0.2698
            assertTrue(worstMean < 0.15, "worst pixel-mean error " + worstMean);
            assertTrue(Math.abs(sd - SD) < 0.05, "pooled std " + sd);
        }
    }
}
