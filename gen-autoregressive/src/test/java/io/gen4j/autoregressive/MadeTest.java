package io.gen4j.autoregressive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.gen4j.core.data.BatchOrder;
import io.gen4j.core.data.TensorBatches;
import io.gen4j.core.model.DataSpec;
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
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MadeTest {

    private static MadeModel model(MadeConfig config, NDManager manager) {
        return MadeModel.create(new MadeSpec(config, DataSpec.vector(config.dims())), manager);
    }

    private static int[] outputSteps(Made made, int set) {
        int d = made.config().dims();
        int[] order = made.order(set);
        int[] s = new int[made.config().paramsPerDim() * d];
        for (int u = 0; u < s.length; u++) {
            s[u] = order[u % d];
        }
        return s;
    }

    /** Causality for every mask set of every ordering kind, on random sizes and seeds. */
    @Property(tries = 12, seed = "20261206")
    void everyMaskSetIsCausal(@ForAll @IntRange(min = 2, max = 7) int dims,
            @ForAll @IntRange(min = 1, max = 3) int layers, @ForAll @LongRange(min = 0, max = 1000) long seed) {
        for (MadeOrdering ordering : MadeOrdering.values()) {
            MadeOutput output = seed % 2 == 0 ? MadeOutput.BERNOULLI : MadeOutput.GAUSSIAN_MIXTURE;
            MadeConfig config = new MadeConfig(dims, 24, layers, output, output == MadeOutput.BERNOULLI ? 1 : 2,
                    ordering, 3, seed);
            try (NDManager manager = NDManager.newBaseManager()) {
                MadeModel model = model(config, manager);
                ParameterStore ps = new ParameterStore(manager, false);
                for (int r = 0; r < 3; r++) {
                    int set = r;
                    int[] order = model.made().order(set);
                    CausalityChecks.Dependencies deps = CausalityChecks.assertCausalByGradient(
                            x -> model.made().conditionals(ps, x, set, false),
                            manager.randomUniform(-1f, 1f, new Shape(1, dims)), order, outputSteps(model.made(), set));
                    assertEquals(0, deps.countOf(0), "the first dimension sees nothing");
                }
            }
        }
    }

    @Test
    void orderingsArePermutationsAndOrderAgnosticSetsDiffer() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Made made = model(new MadeConfig(10, 16, 1, MadeOutput.BERNOULLI, 1, MadeOrdering.ORDER_AGNOSTIC, 4, 3),
                    manager).made();
            boolean differ = false;
            for (int r = 0; r < 4; r++) {
                assertEquals(45, java.util.Arrays.stream(made.order(r)).sum());
                assertEquals(10, java.util.Arrays.stream(made.order(r)).distinct().count());
                differ |= !java.util.Arrays.equals(made.order(0), made.order(r));
            }
            assertTrue(differ);
            Made natural = model(new MadeConfig(10, 16, 1, MadeOutput.BERNOULLI, 1, MadeOrdering.NATURAL, 2, 3),
                    manager).made();
            assertTrue(java.util.Arrays.equals(AutoregressiveMasks.naturalOrder(10), natural.order(1)));
            assertTrue(!java.util.Arrays.equals(natural.mask(0, 0), natural.mask(1, 0)), "resampled connectivity");
        }
    }

    /** The probabilities of all 2^D binary vectors sum to 1, for one set and for the ensemble. */
    @Test
    void bernoulliMadeIsNormalised() {
        int d = 5;
        for (int sets : new int[] {1, 3}) {
            try (NDManager manager = NDManager.newBaseManager()) {
                Engine.getInstance().setRandomSeed(7);
                MadeModel model = model(new MadeConfig(d, 16, 2, MadeOutput.BERNOULLI, 1,
                        MadeOrdering.ORDER_AGNOSTIC, sets, 11), manager);
                scaleParameters(model.made(), 3f); // sharper conditionals than the initialisation
                double total = 0;
                for (double ll : model.logLikelihood(allBinary(manager, d)).toType(DataType.FLOAT64, false)
                        .toDoubleArray()) {
                    total += Math.exp(ll);
                }
                assertEquals(1.0, total, 1e-5);
            }
        }
    }

    /**
     * With the last layer's weights at zero, the conditionals are the independent Bernoullis
     * σ(b_d) of the output biases: log p(x) = Σ_d [x_d log σ(b_d) + (1 − x_d) log(1 − σ(b_d))].
     */
    @Test
    void likelihoodOfKnownConditionalsEqualsClosedForm() {
        int d = 4;
        try (NDManager manager = NDManager.newBaseManager()) {
            MadeModel model = model(new MadeConfig(d, 8, 1, MadeOutput.BERNOULLI, 1, MadeOrdering.RANDOM, 1, 5),
                    manager);
            double[] b = {-1.5, 0.3, 2.0, -0.2};
            for (Pair<String, Parameter> p : model.made().getParameters()) {
                if (p.getKey().equals("weight1")) {
                    p.getValue().getArray().muli(0);
                }
                if (p.getKey().equals("bias1")) {
                    p.getValue().getArray().set(new float[] {-1.5f, 0.3f, 2.0f, -0.2f});
                }
            }
            NDArray x = allBinary(manager, d);
            double[] ll = model.logLikelihood(x).toType(DataType.FLOAT64, false).toDoubleArray();
            float[] xs = x.toFloatArray();
            for (int n = 0; n < ll.length; n++) {
                double expected = 0;
                for (int j = 0; j < d; j++) {
                    double p1 = 1 / (1 + Math.exp(-b[j]));
                    expected += xs[n * d + j] == 1f ? Math.log(p1) : Math.log(1 - p1);
                }
                assertEquals(expected, ll[n], 1e-5, "vector " + n);
            }
        }
    }

    /** A 2-D mixture-of-Gaussians MADE integrates to 1 over the plane (midpoint rule). */
    @Test
    void gaussianMixtureMadeIsNormalised() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(3);
            MadeModel model = model(new MadeConfig(2, 16, 2, MadeOutput.GAUSSIAN_MIXTURE, 3,
                    MadeOrdering.NATURAL, 1, 2), manager);
            int g = 240;
            double lo = -12;
            double h = 24.0 / g;
            float[] pts = new float[g * g * 2];
            for (int i = 0; i < g; i++) {
                for (int j = 0; j < g; j++) {
                    pts[2 * (i * g + j)] = (float) (lo + (i + 0.5) * h);
                    pts[2 * (i * g + j) + 1] = (float) (lo + (j + 0.5) * h);
                }
            }
            double total = 0;
            for (double ll : model.logLikelihood(manager.create(pts, new Shape(g * g, 2)))
                    .toType(DataType.FLOAT64, false).toDoubleArray()) {
                total += Math.exp(ll) * h * h;
            }
            assertEquals(1.0, total, 2e-3);
        }
    }

    /** The frequencies of sampled binary vectors match exp(log p) of the ensemble. */
    @Test
    void samplesFollowTheEnsembleLikelihood() {
        int d = 3;
        int n = 20_000;
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(5);
            MadeModel model = model(new MadeConfig(d, 16, 1, MadeOutput.BERNOULLI, 1, MadeOrdering.ORDER_AGNOSTIC,
                    2, 9), manager);
            scaleParameters(model.made(), 3f);
            double[] p = model.logLikelihood(allBinary(manager, d)).toType(DataType.FLOAT64, false).toDoubleArray();
            float[] s = model.sample(manager, n).toFloatArray();
            int[] counts = new int[1 << d];
            for (int i = 0; i < n; i++) {
                int code = 0;
                for (int j = 0; j < d; j++) {
                    code = code * 2 + (int) s[i * d + j];
                }
                counts[code]++;
            }
            for (int c = 0; c < counts.length; c++) {
                double q = Math.exp(p[c]);
                double sd = Math.sqrt(q * (1 - q) / n);
                assertEquals(q, counts[c] / (double) n, 5 * sd + 1e-3, "pattern " + c);
            }
        }
    }

    @Test
    void saveLoadRoundTripAndNoLeaks(@TempDir Path dir) {
        try (NDManager manager = NDManager.newBaseManager()) {
            MadeConfig config = new MadeConfig(6, 12, 2, MadeOutput.GAUSSIAN_MIXTURE, 2, MadeOrdering.ORDER_AGNOSTIC,
                    2, 4);
            MadeModel model = model(config, manager);
            NDArray x = manager.randomNormal(new Shape(5, 6));
            ModelChecks.assertSaveLoadRoundTrip(model, dir.resolve("s"),
                    (m, mm) -> ((GenerativeModel) m).sample(mm, 4, SampleOptions.defaults()));
            ModelChecks.assertSaveLoadRoundTrip(model, dir.resolve("l"),
                    (m, mm) -> ((LikelihoodModel) m).logLikelihood(x));
            BlockChecks.assertForwardDoesNotGrowModelManager(manager, model.made(), new ai.djl.ndarray.NDList(x));
            try (NDManager data = NDManager.newBaseManager()) {
                int before = BlockChecks.countManagedArrays(data);
                for (int i = 0; i < 3; i++) {
                    try (NDManager scope = data.newSubManager()) {
                        model.sample(scope, 3);
                        model.logLikelihood(scope.randomNormal(new Shape(3, 6)));
                    }
                }
                assertEquals(before, BlockChecks.countManagedArrays(data));
            }
        }
    }

    @Test
    void trainingWithMaskResamplingResumesBitExactly(@TempDir Path dir) {
        TrainingChecks.assertResumeIsBitExact(() -> {
            NDManager manager = NDManager.newBaseManager();
            Engine.getInstance().setRandomSeed(21); // the same initial parameters in both runs
            MadeModel model = model(new MadeConfig(6, 16, 1, MadeOutput.BERNOULLI, 1, MadeOrdering.ORDER_AGNOSTIC, 3,
                    1), manager);
            ObjectiveStep step = ObjectiveStep.builder().setObjective(model.objective())
                    .setOptimizer(Adam.factory(LearningRateSchedule.constant(1e-2), AdamConfig.defaults())).build();
            return TrainingChecks.Setup.of(step, binaryBatches(6, 64, 8), manager);
        }, 3, 12, 5, dir);
    }

    /** Binary data with strong dependencies: x_j = x_0 xor (noise), so a trained MADE beats independence. */
    static TensorBatches binaryBatches(int d, int n, int batch) {
        Random rng = new Random(1);
        float[] data = new float[n * d];
        for (int i = 0; i < n; i++) {
            int first = rng.nextInt(2);
            for (int j = 0; j < d; j++) {
                data[i * d + j] = rng.nextDouble() < 0.9 ? first : 1 - first;
            }
        }
        return new TensorBatches(data, new long[] {d}, null, new BatchOrder(n, batch, 2, true));
    }

    static NDArray allBinary(NDManager manager, int d) {
        float[] v = new float[(1 << d) * d];
        for (int c = 0; c < 1 << d; c++) {
            for (int j = 0; j < d; j++) {
                v[c * d + j] = (c >> (d - 1 - j)) & 1;
            }
        }
        return manager.create(v, new Shape(1 << d, d));
    }

    static void scaleParameters(ai.djl.nn.Block block, float factor) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            p.getValue().getArray().muli(factor);
        }
    }
}
