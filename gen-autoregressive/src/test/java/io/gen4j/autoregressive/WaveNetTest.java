package io.gen4j.autoregressive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.gen4j.core.data.BatchOrder;
import io.gen4j.core.data.TensorBatches;
import io.gen4j.core.data.audio.MuLaw;
import io.gen4j.core.model.GenerativeModel;
import io.gen4j.core.model.LikelihoodModel;
import io.gen4j.core.model.SampleOptions;
import io.gen4j.core.testing.BlockChecks;
import io.gen4j.core.testing.CausalityChecks;
import io.gen4j.core.testing.ModelChecks;
import io.gen4j.core.testing.TrainingChecks;
import io.gen4j.core.train.Adam;
import io.gen4j.core.train.AdamConfig;
import io.gen4j.core.train.LearningRateSchedule;
import io.gen4j.core.train.ObjectiveStep;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WaveNetTest {

    private static WaveNet net(WaveNetConfig config, NDManager manager, DataType type, int seed) {
        Engine.getInstance().setRandomSeed(seed);
        WaveNet net = new WaveNet(config);
        net.initialize(manager, type, new Shape(1, config.classes(), 1));
        return net;
    }

    @Test
    void receptiveFieldFormula() {
        assertEquals(1 + 2 * 255, WaveNetConfig.defaults().receptiveField());
        assertEquals(1 + 2 * (1 + 2 + 4 + 8 + 16 + 32 + 64 + 128 + 256 + 512) * 3,
                new WaveNetConfig(8, 8, 10, 3, 3, 256).receptiveField());
    }

    /**
     * Causal, and the prediction of x_t sees exactly the R samples before it: the dependencies the
     * causality kit observes give the receptive-field formula (kernel 2 and kernel 3).
     */
    @Test
    void causalWithTheStatedReceptiveField() {
        for (int kernel : new int[] {2, 3}) {
            WaveNetConfig c = new WaveNetConfig(4, 8, 3, 1, kernel, 8);
            int field = c.receptiveField();
            int length = field + 6;
            try (NDManager manager = NDManager.newBaseManager()) {
                WaveNet net = net(c, manager, DataType.FLOAT32, 1);
                ParameterStore ps = new ParameterStore(manager, false);
                CausalityChecks.Dependencies d = CausalityChecks.assertCausalByGradient(
                        x -> net.logits(ps, x, false), manager.randomUniform(0f, 1f, new Shape(1, 8, length)),
                        CausalityChecks.rasterSteps(8, length), CausalityChecks.rasterSteps(8, length));
                for (int t = 0; t < length; t++) {
                    assertEquals(Math.min(t, field), d.countOf(t), "kernel " + kernel + ", step " + t);
                }
                assertTrue(d.dependsOn(length - 1, length - 1 - field) && !d.dependsOn(length - 1, length - 2 - field));
            }
        }
    }

    /**
     * logProbs looks the input convolution up in a table instead of convolving a one-hot array: the log-probabilities
     * and every parameter's gradient equal those of the one-hot path (log-softmax of {@link WaveNet#logits} at each
     * sample's class), in float64, for a batch whose first step has no predecessor, classes at both ends of the
     * range and a single-sample sequence.
     */
    @Test
    void logProbsEqualTheOneHotConvolution() {
        WaveNetConfig c = new WaveNetConfig(4, 6, 3, 1, 2, 8);
        for (int length : new int[] {9, 1}) {
            try (NDManager manager = NDManager.newBaseManager()) {
                WaveNet net = net(c, manager, DataType.FLOAT64, 4);
                ParameterStore ps = new ParameterStore(manager, false);
                int[] x = new int[2 * length];
                for (int i = 0; i < x.length; i++) {
                    x[i] = (i * 5 + 3) % 8;
                }
                x[0] = 0;
                x[x.length - 1] = 7;
                NDArray classes = manager.create(x, new Shape(2, length));
                double[] want = new double[x.length];
                double[][] wantGrads;
                try (ai.djl.training.GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray hot = classes.toType(DataType.INT64, false).oneHot(8).toType(DataType.FLOAT64, false)
                            .transpose(0, 2, 1);
                    NDArray logSoftmax = net.logits(ps, hot, true).logSoftmax(1);
                    NDArray picked = logSoftmax.mul(hot).sum(new int[] {1}); // (2, L)
                    want = picked.toDoubleArray();
                    gc.backward(picked.sum());
                }
                wantGrads = grads(net);
                double[] got;
                try (ai.djl.training.GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    gc.zeroGradients(); // a collector does not zero what the last one accumulated
                    NDArray lp = net.logProbs(ps, classes, true);
                    got = lp.toDoubleArray();
                    gc.backward(lp.sum());
                }
                double[][] gotGrads = grads(net);
                assertArrayEquals(want, got, 1e-12, "length " + length);
                for (int k = 0; k < wantGrads.length; k++) {
                    assertArrayEquals(wantGrads[k], gotGrads[k], 1e-12, "parameter " + k + ", length " + length);
                }
            }
        }
    }

    /**
     * Every parameter's gradient of the log-likelihood against central finite differences (float64), twice in a
     * row: the second check zeroes the gradients the first left and accumulates again, which is where gradients
     * sharing one buffer would show (docs/known-issues.md §2; the skip outputs are summed as one convolution).
     */
    @ParameterizedTest
    @ValueSource(ints = {3, 1})
    void logProbsGradientsMatchFiniteDifferencesTwice(int layers) {
        WaveNetConfig c = new WaveNetConfig(4, 6, layers, 1, 2, 8);
        try (NDManager manager = NDManager.newBaseManager()) {
            WaveNet net = net(c, manager, DataType.FLOAT64, 5);
            ParameterStore ps = new ParameterStore(manager, false);
            int[] x = new int[14];
            for (int i = 0; i < x.length; i++) {
                x[i] = (i * 3 + 1) % 8;
            }
            NDArray classes = manager.create(x, new Shape(2, 7));
            java.util.List<NDArray> params = new java.util.ArrayList<>();
            java.util.List<String> names = new java.util.ArrayList<>();
            String unused = "residual" + (c.layersPerStack() * c.stacks() - 1); // the last residual feeds nothing
            for (ai.djl.util.Pair<String, ai.djl.nn.Parameter> p : net.getParameters()) {
                if (!p.getKey().contains(unused)) {
                    params.add(p.getValue().getArray());
                    names.add(p.getKey());
                }
            }
            assertEquals(2 + layers * 3 * 2 - 2 + 4, params.size()); // input, layers × (dilated, residual, skip), 2 heads
            for (int pass = 0; pass < 2; pass++) {
                io.gen4j.core.testing.GradientCheck.Result r = io.gen4j.core.testing.GradientCheck.check(manager,
                        v -> net.logProbs(ps, classes, true), params, names, 6, 11 + pass);
                assertTrue(r.worstRelativeError() < 1e-4, "pass " + pass + ": " + r);
            }
        }
    }

    private static double[][] grads(WaveNet net) {
        java.util.List<double[]> g = new java.util.ArrayList<>();
        for (ai.djl.util.Pair<String, ai.djl.nn.Parameter> p : net.getParameters()) {
            // the last layer's residual convolution feeds nothing: DJL reports its untouched gradient as float32 zeros
            NDArray grad = p.getValue().getArray().getGradient().toType(DataType.FLOAT64, false);
            g.add(grad.toDoubleArray());
        }
        return g.toArray(new double[0][]);
    }

    @Test
    void muLawRoundTrip() {
        MuLaw mu = MuLaw.standard();
        for (int c = 0; c <= 255; c++) {
            assertEquals(c, mu.encode(mu.decode(c)), "class " + c);
        }
        for (int i = -1000; i <= 1000; i++) {
            double x = i / 1000.0;
            assertTrue(Math.abs(mu.decode(mu.encode(x)) - x) <= mu.errorBound(x), "x = " + x);
        }
    }

    /**
     * The cached generator draws exactly the naive generator's sequences for the same seed, with nonzero biases (the
     * cached generator folds the residual biases into per-step constants that differ while the first taps still
     * read before the start) and past the rings' wrap-around (dilations up to 4, 60 steps).
     */
    @Test
    void cachedGenerationEqualsNaiveGeneration() {
        for (int kernel : new int[] {2, 3}) {
            try (NDManager manager = NDManager.newBaseManager()) {
                WaveNetConfig c = new WaveNetConfig(6, 8, 3, 2, kernel, 16);
                WaveNet net = net(c, manager, DataType.FLOAT64, 2);
                for (Pair<String, Parameter> p : net.getParameters()) {
                    if (p.getKey().endsWith("bias")) {
                        NDArray b = p.getValue().getArray();
                        b.set(new NDIndex("..."), manager.randomUniform(-0.5f, 0.5f, b.getShape())
                                .toType(b.getDataType(), false));
                    }
                }
                ParameterStore ps = new ParameterStore(manager, false);
                Engine.getInstance().setRandomSeed(5);
                int[] cached = net.generate(ps, manager, 3, 60, 1.0, true, DataType.FLOAT64).toIntArray();
                Engine.getInstance().setRandomSeed(5);
                int[] naive = net.generate(ps, manager, 3, 60, 1.0, false, DataType.FLOAT64).toIntArray();
                assertArrayEquals(naive, cached, "kernel " + kernel);
                assertTrue(java.util.Arrays.stream(cached).distinct().count() > 3, "not a constant sequence");
            }
        }
    }

    /**
     * Every step's logits from the cached generator, fed a given sequence, are the whole network's on that sequence:
     * kernels 2 and 3, nonzero biases, 40 steps (past every ring's wrap-around and the steps whose first taps read
     * before the start).
     */
    @Test
    void cachedStepLogitsAreTheWholeNetworks() {
        for (int kernel : new int[] {2, 3}) {
            try (NDManager manager = NDManager.newBaseManager()) {
                WaveNetConfig c = new WaveNetConfig(6, 8, 3, 2, kernel, 16);
                WaveNet net = net(c, manager, DataType.FLOAT64, 4);
                ParameterStore ps = new ParameterStore(manager, false);
                NDArray classes = manager.randomInteger(0, 16, new Shape(2, 40), DataType.INT64);
                NDArray oneHot = classes.oneHot(16, DataType.FLOAT64).transpose(0, 2, 1);
                // logits at t see x_{<t}: the input convolution is mask A
                double[] whole = net.logits(ps, oneHot, false).toDoubleArray();
                double[] cached = net.cachedLogits(ps, manager, classes, DataType.FLOAT64).toDoubleArray();
                assertEquals(whole.length, cached.length);
                for (int i = 0; i < whole.length; i++) {
                    assertEquals(whole[i], cached[i], 1e-9 * Math.max(1, Math.abs(whole[i])), "kernel " + kernel
                            + ", element " + i);
                }
            }
        }
    }

    /** The probabilities of all 4³ sequences of a 4-class WaveNet sum to 1. */
    @Test
    void sequenceProbabilitiesSumToOne() {
        try (NDManager manager = NDManager.newBaseManager()) {
            WaveNet net = net(new WaveNetConfig(4, 8, 2, 1, 2, 4), manager, DataType.FLOAT32, 3);
            MadeTest.scaleParameters(net, 2f);
            int[] seqs = new int[64 * 3];
            for (int s = 0; s < 64; s++) {
                seqs[3 * s] = s / 16;
                seqs[3 * s + 1] = (s / 4) % 4;
                seqs[3 * s + 2] = s % 4;
            }
            double[] lp = net.logProbs(new ParameterStore(manager, false), manager.create(seqs, new Shape(64, 3)), false)
                    .sum(new int[] {1}).toType(DataType.FLOAT64, false).toDoubleArray();
            double total = 0;
            for (double v : lp) {
                total += Math.exp(v);
            }
            assertEquals(1.0, total, 1e-5);
        }
    }

    @Test
    void saveLoadRoundTripNoLeaksAndResume(@TempDir Path dir) {
        WaveNetSpec spec = WaveNetSpec.of(new WaveNetConfig(4, 8, 3, 1, 2, 256), 8000, 24);
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(4);
            WaveNetModel m = WaveNetModel.create(spec, manager);
            NDArray x = manager.randomUniform(-1f, 1f, new Shape(2, 1, 24));
            ModelChecks.assertSaveLoadRoundTrip(m, dir.resolve("s"),
                    (mm, mgr) -> ((GenerativeModel) mm).sample(mgr, 2, SampleOptions.defaults()));
            ModelChecks.assertSaveLoadRoundTrip(m, dir.resolve("l"), (mm, mgr) -> ((LikelihoodModel) mm).logLikelihood(x));
            BlockChecks.assertForwardDoesNotGrowModelManager(manager, m.waveNet(),
                    new NDList(manager.randomUniform(0f, 1f, new Shape(2, 256, 24))));
            try (NDManager data = NDManager.newBaseManager()) {
                int before = BlockChecks.countManagedArrays(data);
                int modelBefore = BlockChecks.countManagedArrays(manager);
                for (int i = 0; i < 2; i++) {
                    try (NDManager scope = data.newSubManager()) {
                        m.sample(scope, 2, 30, 1.0, true);
                        m.sample(scope, 2, 30, 1.0, false);
                        m.logLikelihood(scope.randomUniform(-1f, 1f, new Shape(2, 1, 24)));
                    }
                }
                assertEquals(before, BlockChecks.countManagedArrays(data));
                assertEquals(modelBefore, BlockChecks.countManagedArrays(manager), "nothing left in the model's manager");
            }
        }
        TrainingChecks.assertResumeIsBitExact(() -> {
            NDManager manager = NDManager.newBaseManager();
            Engine.getInstance().setRandomSeed(6);
            WaveNetModel m = WaveNetModel.create(spec, manager);
            ObjectiveStep step = ObjectiveStep.builder().setObjective(m.objective())
                    .setOptimizer(Adam.factory(LearningRateSchedule.constant(1e-2), AdamConfig.defaults())).build();
            float[] clips = new float[16 * 24];
            for (int i = 0; i < clips.length; i++) {
                clips[i] = (float) (0.8 * Math.sin(0.4 * (i % 24) + i / 24));
            }
            return TrainingChecks.Setup.of(step, new TensorBatches(clips, new long[] {1, 24}, null,
                    new BatchOrder(16, 4, 1, true)), manager);
        }, 2, 8, 3, dir.resolve("resume"));
    }
}
