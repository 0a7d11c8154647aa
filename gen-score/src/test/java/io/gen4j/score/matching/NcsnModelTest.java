package io.gen4j.score.matching;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.gen4j.core.data.TensorBatches;
import io.gen4j.core.model.DataSpec;
import io.gen4j.core.model.GenerativeModel;
import io.gen4j.core.model.LikelihoodModel;
import io.gen4j.core.model.SampleOptions;
import io.gen4j.core.testing.ModelChecks;
import io.gen4j.core.testing.TrainingChecks;
import io.gen4j.core.train.Adam;
import io.gen4j.core.train.AdamConfig;
import io.gen4j.core.train.Fit;
import io.gen4j.core.train.LearningRateSchedule;
import io.gen4j.core.train.ObjectiveStep;
import io.gen4j.score.nn.MlpFieldConfig;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A small NCSN trained by multi-level DSM learns the closed-form perturbed scores of Gaussian data. */
class NcsnModelTest {

    static final double[] MU = {1.0, -0.5};
    static final double[] SD = {0.5, 0.8};
    static final NcsnSpec SPEC = new NcsnSpec(new MlpFieldConfig(2, 64, 2, 16, 1), new NoiseLevels(2, 0.05, 8), 20,
            1e-3, 50, DataSpec.vector(2));

    static final class Run implements AutoCloseable {
        final NDManager manager = NDManager.newBaseManager();
        final NcsnModel model;
        final ObjectiveStep step;
        final TensorBatches source;

        Run() {
            Engine.getInstance().setRandomSeed(81);
            model = NcsnModel.create(SPEC, manager);
            step = ObjectiveStep.builder().setObjective(model.objective(true))
                    .setOptimizer(Adam.factory(LearningRateSchedule.cosine(1e-2, 1e-4, 0, 500), AdamConfig.defaults()))
                    .build();
            Random r = new Random(82);
            double[][] rows = new double[4096][2];
            for (double[] row : rows) {
                row[0] = MU[0] + SD[0] * r.nextGaussian();
                row[1] = MU[1] + SD[1] * r.nextGaussian();
            }
            source = TensorBatches.ofRows(rows, 256, 83, true);
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
    void learnsThePerturbedScoresAtEveryLevel() {
        try (Run run = new Run()) {
            Fit.builder().setStep(run.step).setSource(run.source).setManager(run.manager).optTotalSteps(500)
                    .optSeed(84).build().run();
            NDArray x = run.manager.create(new float[] {1f, -0.5f, 0.5f, 0f, 1.5f, -1.2f}, new Shape(3, 2));
            for (double sigma : new double[] {1.0, 0.3}) {
                float[] got = run.model.score(new ParameterStore(run.manager, false)).score(x, sigma).toFloatArray();
                float[] in = x.toFloatArray();
                for (int i = 0; i < in.length; i++) {
                    int d = i % 2;
                    double expected = -(in[i] - MU[d]) / (SD[d] * SD[d] + sigma * sigma);
                    // measured errors below 0.1 at these points
                    assertEquals(expected, got[i], 0.25 + 0.1 * Math.abs(expected), "sigma " + sigma + " element " + i);
                }
            }
        }
    }

    @Test
    void resumesBitExactlyAndRoundTrips(@TempDir Path dir) {
        TrainingChecks.assertResumeIsBitExact(() -> new Run().setup(), 5, 8, 3, dir.resolve("resume"));
        try (Run run = new Run()) {
            ModelChecks.assertSaveLoadRoundTrip(run.model, dir.resolve("samples"),
                    (m, mgr) -> ((GenerativeModel) m).sample(mgr, 8, SampleOptions.defaults().withSteps(3)));
            ModelChecks.assertSaveLoadRoundTrip(run.model, dir.resolve("likelihood"),
                    (m, mgr) -> ((LikelihoodModel) m).logLikelihood(mgr.create(new float[] {0, 0, 1, 1},
                            new Shape(2, 2)).toType(DataType.FLOAT32, false)));
        }
    }
}
