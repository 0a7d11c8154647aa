package io.gen4j.diffusion.discrete;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.gen4j.core.model.GenerativeModel;
import io.gen4j.core.model.LikelihoodModel;
import io.gen4j.core.model.SampleOptions;
import io.gen4j.core.testing.BlockChecks;
import io.gen4j.core.testing.ModelChecks;
import io.gen4j.core.testing.TrainingChecks;
import io.gen4j.core.train.Adam;
import io.gen4j.core.train.AdamConfig;
import io.gen4j.core.train.LearningRateSchedule;
import io.gen4j.core.train.ObjectiveStep;
import io.gen4j.core.train.Objective;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SEDD and its autoregressive baseline as gen-core models: shapes, causality of the baseline, save
 * and load, bit-exact resume of both objectives, and sampling that leaves memory flat.
 */
class SeddModelTest {

    static final String ALPHABET = "abcd";

    static SeddSpec seddSpec(DiscreteProcess process, NoiseLevel noise) {
        return new SeddSpec(new TransformerConfig(process.states(), process.states(), 8, 32, 1, 2, false, true), process,
                noise, ALPHABET, io.gen4j.core.model.DataSpec.vector(8), new SeddSpec.Sampling(6, SamplerKind.EULER), 4);
    }

    @Test
    void outputsHaveOneScorePerStateAndSamplesAreTokens() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(1);
            SeddModel model = SeddModel.create(SeddSpec.absorbing(ALPHABET, 8, 32, 1, 2), m);
            NDArray x = m.create(new long[] {0, 1, 2, 3, 4, 4, 0, 1}, new Shape(1, 8));
            NDArray out = model.network().forward(new ParameterStore(m, false), new NDList(x, m.create(new float[] {0.5f})),
                    false).head();
            assertEquals(new Shape(1, 8, 5), out.getShape());
            NDArray s = model.sample(m, 3, SampleOptions.defaults().withSteps(5));
            assertEquals(new Shape(3, 8), s.getShape());
            assertEquals(DataType.FLOAT32, s.getDataType());
            for (float v : s.toFloatArray()) {
                assertTrue(v >= 0 && v < 4 && v == Math.rint(v), "a sample is not a real token: " + v);
            }
            assertEquals(8, model.decode(s)[0].length());
            double[] ll = model.logLikelihood(x.get("0:1").duplicate().minimum(3)).toDoubleArray();
            assertTrue(ll[0] < 0 && Double.isFinite(ll[0]));
            assertFalse(model.isExact());
        }
    }

    @Test
    void specsRejectMismatchedNetworks() {
        AbsorbingProcess p = new AbsorbingProcess(4);
        assertThrows(IllegalArgumentException.class, () -> new SeddSpec(
                new TransformerConfig(4, 4, 8, 32, 1, 2, false, true), p, LogLinearNoise.complete(), ALPHABET,
                io.gen4j.core.model.DataSpec.vector(8), new SeddSpec.Sampling(4, SamplerKind.EULER), 4));
        assertThrows(IllegalArgumentException.class, () -> new SeddSpec(
                new TransformerConfig(5, 5, 8, 32, 1, 2, true, true), p, LogLinearNoise.complete(), ALPHABET,
                io.gen4j.core.model.DataSpec.vector(8), new SeddSpec.Sampling(4, SamplerKind.EULER), 4));
        assertThrows(IllegalArgumentException.class, () -> new AutoregressiveTransformerSpec(
                new TransformerConfig(5, 4, 8, 32, 1, 2, false, false), ALPHABET, io.gen4j.core.model.DataSpec.vector(8)));
    }

    @Test
    void theBaselineSeesOnlyEarlierTokens() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(2);
            AutoregressiveTransformerModel model = AutoregressiveTransformerModel.create(
                    AutoregressiveTransformerSpec.of(ALPHABET, 8, 32, 2, 2), m);
            ParameterStore ps = new ParameterStore(m, false);
            long[] a = {0, 1, 2, 3, 0, 1, 2, 3};
            for (int j = 0; j < 8; j++) {
                long[] b = a.clone();
                b[j] = (b[j] + 1) % 4;
                float[] la = model.tokenLogProbabilities(ps, m.create(a, new Shape(1, 8)), false).toFloatArray();
                float[] lb = model.tokenLogProbabilities(ps, m.create(b, new Shape(1, 8)), false).toFloatArray();
                for (int i = 0; i < 8; i++) {
                    if (i < j) {
                        assertEquals(la[i], lb[i], 1e-6, "position " + i + " saw token " + j);
                    }
                }
                assertTrue(la[j] != lb[j] || j == 8, "position " + j + " does not depend on its own token");
            }
            // the exact likelihood sums over all sequences of a tiny model to 1
            AutoregressiveTransformerModel tiny = AutoregressiveTransformerModel.create(
                    AutoregressiveTransformerSpec.of("ab", 3, 16, 1, 2), m);
            double total = 0;
            for (int k = 0; k < 8; k++) {
                NDArray x = m.create(new long[] {k & 1, (k >> 1) & 1, (k >> 2) & 1}, new Shape(1, 3));
                total += Math.exp(tiny.logLikelihood(x).toDoubleArray()[0]);
            }
            assertEquals(1, total, 1e-5);
            assertTrue(tiny.isExact());
        }
    }

    @Test
    void bothModelsRoundTripThroughTheModelStore(@TempDir Path dir) {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(3);
            NDArray data = m.create(new long[] {0, 1, 2, 3, 3, 2, 1, 0, 1, 1, 2, 2, 3, 3, 0, 0}, new Shape(2, 8));
            SeddSpec base = seddSpec(new AbsorbingProcess(4), LogLinearNoise.complete());
            TransformerConfig c = base.network();
            SeddSpec normalisedTimeFree = new SeddSpec(new TransformerConfig(c.inputStates(), c.outputs(), c.length(),
                    c.width(), c.depth(), c.heads(), false, false), AbsorbingProcess.normalized(4), base.noise(),
                    base.alphabet(), base.data(), base.sampling(), base.likelihoodTimes());
            for (SeddSpec spec : new SeddSpec[] {base, normalisedTimeFree,
                    seddSpec(new UniformProcess(4), GeometricNoise.defaults())}) {
                SeddModel model = SeddModel.create(spec, m);
                String name = spec.process().getClass().getSimpleName() + spec.process().hashCode();
                ModelChecks.assertSaveLoadRoundTrip(model, dir.resolve(name + "-samples"),
                        (s, manager) -> ((GenerativeModel) s).sample(manager, 4, SampleOptions.defaults()));
                ModelChecks.assertSaveLoadRoundTrip(model, dir.resolve(name + "-likelihood"),
                        (s, manager) -> ((LikelihoodModel) s).logLikelihood(data.duplicate()));
            }
            AutoregressiveTransformerModel ar = AutoregressiveTransformerModel.create(
                    AutoregressiveTransformerSpec.of(ALPHABET, 8, 32, 1, 2), m);
            ModelChecks.assertSaveLoadRoundTrip(ar, dir.resolve("ar-samples"),
                    (s, manager) -> ((GenerativeModel) s).sample(manager, 4, SampleOptions.defaults()));
            ModelChecks.assertSaveLoadRoundTrip(ar, dir.resolve("ar-likelihood"),
                    (s, manager) -> ((LikelihoodModel) s).logLikelihood(data.duplicate()));
        }
    }

    private static TrainingChecks.Setup setup(boolean diffusion) {
        NDManager m = NDManager.newBaseManager();
        Engine.getInstance().setRandomSeed(4);
        Objective objective = diffusion
                ? SeddModel.create(seddSpec(new AbsorbingProcess(4), LogLinearNoise.complete()), m).objective(1e-3)
                : AutoregressiveTransformerModel.create(AutoregressiveTransformerSpec.of(ALPHABET, 8, 32, 1, 2), m)
                        .objective();
        ObjectiveStep step = ObjectiveStep.builder().setObjective(objective)
                .setOptimizer(Adam.factory(LearningRateSchedule.constant(1e-3), AdamConfig.defaults())).build();
        int[] stream = MarkovLanguage.randomSparse(4, 2, 5).stream(500, 6);
        return TrainingChecks.Setup.of(step, new TokenWindows(stream, 8, 4, 7), m);
    }

    @Test
    void bothObjectivesResumeBitExactly(@TempDir Path dir) {
        TrainingChecks.assertResumeIsBitExact(() -> setup(true), 11, 6, 3, dir.resolve("sedd"));
        TrainingChecks.assertResumeIsBitExact(() -> setup(false), 11, 6, 3, dir.resolve("ar"));
    }

    @Test
    void samplingAndTheBoundLeaveTheManagerFlat() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(8);
            SeddModel model = SeddModel.create(seddSpec(new AbsorbingProcess(4), LogLinearNoise.complete()), m);
            AutoregressiveTransformerModel ar = AutoregressiveTransformerModel.create(
                    AutoregressiveTransformerSpec.of(ALPHABET, 8, 32, 1, 2), m);
            NDArray data = m.create(new long[] {0, 1, 2, 3, 3, 2, 1, 0}, new Shape(1, 8));
            int before = BlockChecks.countManagedArrays(m);
            for (int rep = 0; rep < 3; rep++) {
                model.sample(m, 4, SampleOptions.defaults()).close();
                model.sample(m, 2, 5, new AnalyticSampler(), TokenCondition.prefix(m, new int[] {1, 2}, 8), false)
                        .samples().close();
                model.logLikelihood(data).close();
                ar.sample(m, 2, SampleOptions.defaults()).close();
                ar.logLikelihood(data).close();
            }
            // the prefix conditions made above are the only arrays left: two per repetition
            assertEquals(before + 6, BlockChecks.countManagedArrays(m));
        }
    }

    @Test
    void aPromptIsKeptBySedd() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(9);
            SeddModel model = SeddModel.create(seddSpec(new AbsorbingProcess(4), LogLinearNoise.complete()), m);
            long[] x = model.sample(m, 5, 4, new EulerSampler(), TokenCondition.prefix(m, new int[] {3, 1, 2}, 8), false)
                    .samples().toLongArray();
            for (int b = 0; b < 5; b++) {
                assertArrayEquals(new long[] {3, 1, 2}, java.util.Arrays.copyOfRange(x, b * 8, b * 8 + 3));
                for (int i = 0; i < 8; i++) {
                    assertTrue(x[b * 8 + i] < 4, "a mask survived");
                }
            }
        }
    }

    @Test
    void onlyTheAbsorbingProcessMayDropTheTimeInput() {
        TransformerConfig timeFree = new TransformerConfig(5, 5, 8, 8, 1, 2, false, false);
        SeddSpec spec = new SeddSpec(timeFree, AbsorbingProcess.normalized(4), LogLinearNoise.complete(), "abcd",
                io.gen4j.core.model.DataSpec.vector(8), new SeddSpec.Sampling(4, SamplerKind.ANALYTIC), 4);
        try (NDManager m = NDManager.newBaseManager()) {
            SeddModel model = SeddModel.create(spec, m);
            NDArray x = model.sample(m, 2, io.gen4j.core.model.SampleOptions.defaults());
            org.junit.jupiter.api.Assertions.assertArrayEquals(new long[] {2, 8}, x.getShape().getShape());
        }
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new SeddSpec(
                new TransformerConfig(4, 4, 8, 8, 1, 2, false, false), new UniformProcess(4), GeometricNoise.defaults(),
                "abcd", io.gen4j.core.model.DataSpec.vector(8), new SeddSpec.Sampling(4, SamplerKind.ANALYTIC), 4));
    }
}
