package io.gen4j.score.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.data.TensorBatches;
import io.gen4j.core.io.ModelStore;
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
import io.gen4j.score.VectorField;
import io.gen4j.score.nn.MlpFieldConfig;
import io.gen4j.score.ode.OdeSolver;
import io.gen4j.score.ode.Rk4Solver;
import io.gen4j.score.ode.TraceEstimator;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small flow-matching model on Gaussian data: it learns the law (samples and likelihood), saves
 * and loads through its family, resumes bit-exactly, and straightness behaves as defined.
 */
class FlowMatchingModelTest {

    static final double[] MU = {1.0, -0.5};
    static final double[] SD = {0.5, 0.8};
    static final MlpFieldConfig MLP = new MlpFieldConfig(2, 48, 2, 16, 1);

    static double[][] data(int n, long seed) {
        Random r = new Random(seed);
        double[][] x = new double[n][2];
        for (double[] row : x) {
            for (int d = 0; d < 2; d++) {
                row[d] = MU[d] + SD[d] * r.nextGaussian();
            }
        }
        return x;
    }

    static final class Run implements AutoCloseable {
        final NDManager manager = NDManager.newBaseManager();
        final FlowMatchingModel model;
        final ObjectiveStep step;
        final TensorBatches source;

        Run(FlowMatchingSpec.Path path, Coupling coupling) {
            Engine.getInstance().setRandomSeed(3);
            model = FlowMatchingModel.create(FlowMatchingSpec.vector(MLP, path), manager);
            step = ObjectiveStep.builder().setObjective(model.objective(coupling, false))
                    .setOptimizer(Adam.factory(LearningRateSchedule.cosine(1e-2, 1e-4, 0, 400), AdamConfig.defaults()))
                    .build();
            source = TensorBatches.ofRows(data(4096, 5), 256, 6, true);
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
    void learnsTheGaussianAndItsLikelihood() {
        try (Run run = new Run(FlowMatchingSpec.Path.STRAIGHT, Coupling.INDEPENDENT)) {
            Fit.builder().setStep(run.step).setSource(run.source).setManager(run.manager).optTotalSteps(400)
                    .optSeed(7).build().run();
            Engine.getInstance().setRandomSeed(8);
            double[] x = run.model.sample(run.manager, 4000, SampleOptions.defaults().withSteps(20))
                    .toType(DataType.FLOAT64, false).toDoubleArray();
            for (int d = 0; d < 2; d++) {
                double mean = 0;
                for (int i = 0; i < 4000; i++) {
                    mean += x[2 * i + d] / 4000;
                }
                double var = 0;
                for (int i = 0; i < 4000; i++) {
                    var += Math.pow(x[2 * i + d] - mean, 2) / 3999;
                }
                // measured: means within 0.02, stds within 4 %
                assertEquals(MU[d], mean, 0.08, "mean " + d);
                assertEquals(SD[d], Math.sqrt(var), 0.15 * SD[d], "std " + d);
            }
            double[][] test = data(256, 99);
            float[] flat = new float[512];
            double trueNll = 0;
            for (int i = 0; i < 256; i++) {
                flat[2 * i] = (float) test[i][0];
                flat[2 * i + 1] = (float) test[i][1];
                for (int d = 0; d < 2; d++) {
                    double z = (test[i][d] - MU[d]) / SD[d];
                    trueNll += (0.5 * z * z + Math.log(SD[d]) + 0.5 * Math.log(2 * Math.PI)) / 256;
                }
            }
            NDArray xs = run.manager.create(flat, new Shape(256, 2));
            double nll = -run.model.logLikelihood(xs, new Rk4Solver(20), TraceEstimator.EXACT).mean().getFloat();
            // the learned density is within 0.1 nats of the truth (measured gap: ~0.02)
            assertEquals(trueNll, nll, 0.1, "test NLL");
            double hutchinson = -run.model.logLikelihood(xs, new Rk4Solver(20), TraceEstimator.HUTCHINSON_GAUSSIAN)
                    .mean().getFloat();
            assertEquals(nll, hutchinson, 0.25, "Hutchinson agrees on average");
        }
    }

    @Test
    void resumesBitExactlyAndRoundTrips(@TempDir Path dir) {
        TrainingChecks.assertResumeIsBitExact(() -> new Run(FlowMatchingSpec.Path.VP, new MinibatchOtCoupling()).setup(),
                7, 12, 5, dir.resolve("resume"));
        try (Run run = new Run(FlowMatchingSpec.Path.STRAIGHT, Coupling.INDEPENDENT)) {
            Fit.builder().setStep(run.step).setSource(run.source).setManager(run.manager).optTotalSteps(10)
                    .optSeed(4).build().run();
            ModelChecks.assertSaveLoadRoundTrip(run.model, dir.resolve("samples"),
                    (m, mgr) -> ((GenerativeModel) m).sample(mgr, 16, SampleOptions.defaults().withSteps(4)));
            ModelChecks.assertSaveLoadRoundTrip(run.model, dir.resolve("likelihood"),
                    (m, mgr) -> ((LikelihoodModel) m).logLikelihood(mgr.create(new float[] {0, 0, 1, -1},
                            new Shape(2, 2))));
            assertInstanceOf(FlowMatchingModel.class, ModelStore.load(dir.resolve("samples"), run.manager,
                    GenerativeModel.class));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void straightnessOfAKnownField() {
        // v(x, t) = 2t c: every path is a straight line at varying speed; on K Euler steps
        // x_1 - x_0 = c (K-1)/K and S = (1/K) sum_k |c|^2 ((K-1)/K - 2k/K)^2 -> |c|^2/3
        try (NDManager manager = NDManager.newBaseManager()) {
            double[] c = {1, 2};
            VectorField v = (x, t) -> x.getManager().create(new float[] {(float) (2 * t * c[0]), (float) (2 * t * c[1])},
                    new Shape(1, 2)).broadcast(x.getShape());
            int k = 10;
            double expected = 0;
            for (int i = 0; i < k; i++) {
                expected += 5 * Math.pow((k - 1.0) / k - 2.0 * i / k, 2) / k;
            }
            NDArray x0 = manager.randomNormal(new Shape(4, 2));
            assertEquals(expected, Reflow.straightness(v, x0, k), 1e-5);
            VectorField constant = (x, t) -> x.zerosLike().add(3);
            assertEquals(0, Reflow.straightness(constant, x0, k), 1e-9);
        }
    }

    @Test
    void pairedBatchesKeepThePairs() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x0 = manager.arange(0f, 12f).reshape(6, 2);
            NDArray x1 = x0.add(100);
            TensorBatches b = Reflow.pairedBatches(x0, x1, 3, 1);
            NDList batch = b.next(manager);
            NDArray pairs = batch.head();
            assertEquals(new Shape(3, 2, 2), pairs.getShape());
            float[] p = pairs.toFloatArray();
            for (int i = 0; i < 3; i++) {
                assertEquals(p[4 * i] + 100, p[4 * i + 2], 0);
                assertEquals(p[4 * i + 1] + 100, p[4 * i + 3], 0);
            }
        }
    }

    @Test
    void reflowStraightensTheTrajectories() {
        try (Run run = new Run(FlowMatchingSpec.Path.STRAIGHT, Coupling.INDEPENDENT)) {
            Fit.builder().setStep(run.step).setSource(run.source).setManager(run.manager).optTotalSteps(300)
                    .optSeed(9).build().run();
            Engine.getInstance().setRandomSeed(10);
            OdeSolver solver = new Rk4Solver(20);
            NDArray z = run.model.prior(run.manager, 2048);
            NDArray x1 = run.model.sample(run.manager, z, solver, false).samples();
            VectorField v1 = run.model.velocity(new ai.djl.training.ParameterStore(run.manager, false));
            NDArray probe = run.model.prior(run.manager, 512);
            double s1 = Reflow.straightness(v1, probe, 20);
            FlowMatchingModel second = FlowMatchingModel.create(run.model.spec().withReflow(1), run.manager);
            ObjectiveStep step = ObjectiveStep.builder().setObjective(second.objective(Coupling.INDEPENDENT, true))
                    .setOptimizer(Adam.factory(LearningRateSchedule.cosine(1e-2, 1e-4, 0, 300), AdamConfig.defaults()))
                    .build();
            Fit.builder().setStep(step).setSource(Reflow.pairedBatches(z, x1, 256, 11)).setManager(run.manager)
                    .optTotalSteps(300).optSeed(12).build().run();
            double s2 = Reflow.straightness(second.velocity(new ai.djl.training.ParameterStore(run.manager, false)),
                    probe, 20);
            // measured: the straightness falls by a factor of ~5
            assertTrue(s2 < 0.5 * s1, "straightness " + s1 + " -> " + s2);
        }
    }
}
