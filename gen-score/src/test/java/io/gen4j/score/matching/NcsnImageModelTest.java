package io.gen4j.score.matching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.gen4j.core.data.BatchOrder;
import io.gen4j.core.math.Scalars;
import io.gen4j.core.data.PixelRange;
import io.gen4j.core.data.TensorBatches;
import io.gen4j.core.model.DataSpec;
import io.gen4j.core.model.Denoiser;
import io.gen4j.core.model.DenoisingNetwork;
import io.gen4j.core.model.GenerativeModel;
import io.gen4j.core.model.LikelihoodModel;
import io.gen4j.core.model.SampleOptions;
import io.gen4j.core.nn.UNetConfig;
import io.gen4j.core.testing.ModelChecks;
import io.gen4j.core.testing.TrainingChecks;
import io.gen4j.core.train.TrainingRecipe;
import io.gen4j.core.train.ObjectiveStep;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image NCSN (U-Net conditioned on σ through the VE time): its two samplers, driven by the exact
 * score of Gaussian "images" through the model's own σ ↔ U-Net-time mapping, reproduce the data law;
 * training resumes bit-exactly; save/load round-trips samples and likelihoods bit-exactly.
 */
class NcsnImageModelTest {

    /** Two pixels (a 1×1×2 image) of independent Gaussians. */
    static final double[] MU = {1.0, -2.0};
    static final double[] SD = {0.5, 0.8};
    static final DataSpec PIXELS = DataSpec.image(1, 1, 2, PixelRange.MINUS_ONE_ONE);

    static UNetConfig tinyUnet() {
        return UNetConfig.builder().setImageChannels(1).optBaseChannels(8).optChannelMultipliers(1, 2).optGroups(4)
                .build();
    }

    /**
     * The exact network of N(MU, SD²) data for the U-Net time input τ: it recovers σ from τ by the VE
     * time's definition τ = 1000 ln(σ/σ_min)/ln(σ_max/σ_min) and returns σ·∇log N(x; MU, SD² + σ²).
     */
    static final class ExactNetwork extends AbstractBlock implements DenoisingNetwork {
        private final NoiseLevels levels;

        ExactNetwork(NoiseLevels levels) {
            this.levels = levels;
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                PairList<String, Object> params) {
            // differentiable in x: the likelihood's divergence runs backward passes through it
            NDArray x = inputs.get(0);
            NDManager m = x.getManager();
            long n = x.getShape().get(0);
            NDArray tau = inputs.get(1).toType(DataType.FLOAT32, false).reshape(n, 1, 1, 1);
            NDArray sigma = Scalars.times(Scalars.times(tau, Math.log(levels.sigmaMax() / levels.sigmaMin()) / 1000.0)
                    .exp(), levels.sigmaMin());
            NDArray mu = m.create(new float[] {(float) MU[0], (float) MU[1]}, new Shape(1, 1, 1, 2));
            NDArray var = m.create(new float[] {(float) (SD[0] * SD[0]), (float) (SD[1] * SD[1])}, new Shape(1, 1, 1, 2))
                    .add(sigma.square());
            return new NDList(x.sub(mu).mul(sigma).div(var).neg());
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {inputShapes[0]};
        }

        @Override
        public Denoiser denoiser(ParameterStore parameters, boolean training) {
            return (x, t, condition) -> forward(parameters, new NDList(x, t), training).head();
        }
    }

    static void assertFollowsData(NDArray samples, String what) {
        float[] flat = samples.toFloatArray();
        int n = flat.length / 2;
        for (int d = 0; d < 2; d++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += flat[2 * i + d];
            }
            double mean = sum / n;
            double sq = 0;
            for (int i = 0; i < n; i++) {
                sq += (flat[2 * i + d] - mean) * (flat[2 * i + d] - mean);
            }
            double sd = Math.sqrt(sq / (n - 1));
            assertEquals(MU[d], mean, 5 * SD[d] / Math.sqrt(n) + 0.02, what + " mean of pixel " + d);
            assertEquals(SD[d], sd, 0.06 * SD[d], what + " std of pixel " + d);
        }
    }

    @Test
    void bothSamplersWithTheExactScoreReproduceTheData() {
        NoiseLevels levels = new NoiseLevels(20, 0.05, 20);
        NcsnSpec spec = NcsnSpec.image(tinyUnet(), levels, 100, 0.005, 10, PIXELS);
        Engine.getInstance().setRandomSeed(91);
        try (NDManager manager = NDManager.newBaseManager()) {
            NcsnModel model = new NcsnModel(spec, new ExactNetwork(levels));
            NDArray annealed = model.sample(manager, 4000, SampleOptions.defaults());
            assertEquals(new Shape(4000, 1, 1, 2), annealed.getShape());
            assertFollowsData(annealed, "annealed Langevin");
            NDArray pc = model.sample(manager, 4000, SampleOptions.defaults().withSampler(NcsnModel.PREDICTOR_CORRECTOR));
            assertFollowsData(pc, "predictor-corrector");
            // the same check catches a sampler that is not converged: one step per level
            NDArray rough = model.sample(manager, 4000, SampleOptions.defaults().withSteps(1)
                    .withSampler(NcsnModel.ANNEALED_LANGEVIN));
            assertThrows(AssertionError.class, () -> assertFollowsData(rough, "one step per level"));
            assertThrows(IllegalArgumentException.class,
                    () -> model.sample(manager, 4, SampleOptions.defaults().withSampler("ddim")));
        }
    }

    @Test
    void theVeLikelihoodOfTheExactScoreIsThePushedForwardPrior() {
        // For Gaussian data the probability-flow ODE of the exact score is affine per pixel: it maps
        // N(MU, SD²) at t = ε to N(MU, SD² + σ_max² − σ_min²) at t = 1 by x_T = MU + (x − MU)·√(v_T/SD²).
        // The model's density is the prior N(0, σ_max²) pulled back through that map:
        //   log p(x) = Σ_d log N(x_T; 0, σ_max²) + ½ ln(v_T / SD²)
        // (the data's VE variance at t = ε, below 1e-7, is neglected).
        NoiseLevels levels = new NoiseLevels(50, 0.01, 20);
        NcsnSpec spec = NcsnSpec.image(tinyUnet(), levels, 1, 1e-3, 200, PIXELS);
        try (NDManager manager = NDManager.newBaseManager()) {
            NcsnModel model = new NcsnModel(spec, new ExactNetwork(levels));
            float[] xs = {1.0f, -2.0f, 0.3f, -1.2f, 1.8f, -3.0f};
            NDArray x = manager.create(xs, new Shape(3, 1, 1, 2));
            float[] got = model.likelihood(new ParameterStore(manager, false), new io.gen4j.score.ode.Rk4Solver(200),
                    io.gen4j.score.ode.TraceEstimator.EXACT).logLikelihood(x).toFloatArray();
            double sMax = levels.sigmaMax();
            for (int i = 0; i < 3; i++) {
                double expected = 0;
                for (int d = 0; d < 2; d++) {
                    double v0 = SD[d] * SD[d];
                    double vT = v0 + sMax * sMax - levels.sigmaMin() * levels.sigmaMin();
                    double xT = MU[d] + (xs[2 * i + d] - MU[d]) * Math.sqrt(vT / v0);
                    expected += -0.5 * Math.log(2 * Math.PI * sMax * sMax) - xT * xT / (2 * sMax * sMax)
                            + 0.5 * Math.log(vT / v0);
                }
                assertEquals(expected, got[i], 2e-3, "log-density of point " + i);
            }
            // the default path (RK4 in the spec's steps, exact trace for 2 dimensions) is the same number
            assertEquals(got[1], model.logLikelihood(x).toFloatArray()[1], 1e-4);
        }
    }

    static final NcsnSpec TRAIN_SPEC = NcsnSpec.image(tinyUnet(), new NoiseLevels(10, 0.01, 8), 2, 1e-4, 2,
            DataSpec.image(1, 8, 8, PixelRange.MINUS_ONE_ONE));

    static final class Run implements AutoCloseable {
        final NDManager manager = NDManager.newBaseManager();
        final NcsnModel model;
        final ObjectiveStep step;
        final TensorBatches source;

        Run() {
            Engine.getInstance().setRandomSeed(92);
            model = NcsnModel.create(TRAIN_SPEC, manager);
            step = TrainingRecipe.of(20, 8, 1e-3, 1e-4, 2, 1.0).step(model.objective(true)).build();
            Random r = new Random(93);
            float[] images = new float[64 * 64];
            for (int i = 0; i < images.length; i++) {
                images[i] = (float) Math.tanh(r.nextGaussian());
            }
            source = new TensorBatches(images, new long[] {1, 8, 8}, null, new BatchOrder(64, 8, 94, true));
        }

        TrainingChecks.Setup setup() {
            return TrainingChecks.Setup.of(step, source, manager);
        }

        @Override
        public void close() {
            manager.close();
        }
    }

    @Test
    void resumesBitExactlyAndRoundTrips(@TempDir Path dir) {
        TrainingChecks.assertResumeIsBitExact(() -> new Run().setup(), 5, 6, 3, dir.resolve("resume"));
        try (Run run = new Run()) {
            for (String sampler : NcsnModel.SAMPLERS) {
                ModelChecks.assertSaveLoadRoundTrip(run.model, dir.resolve("samples-" + sampler),
                        (m, mgr) -> ((GenerativeModel) m).sample(mgr, 3, SampleOptions.defaults().withSteps(2)
                                .withSampler(sampler)));
            }
            ModelChecks.assertSaveLoadRoundTrip(run.model, dir.resolve("likelihood"),
                    (m, mgr) -> ((LikelihoodModel) m).logLikelihood(mgr.randomUniform(-1f, 1f, new Shape(2, 1, 8, 8),
                            DataType.FLOAT32)));
        }
    }
}
