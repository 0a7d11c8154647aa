package io.gen4j.autoregressive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.gen4j.autoregressive.PixelCnnConfig.Architecture;
import io.gen4j.core.data.BatchOrder;
import io.gen4j.core.data.TensorBatches;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PixelCnnTest {

    private static PixelCnnModel model(PixelCnnConfig config, NDManager manager, int seed) {
        Engine.getInstance().setRandomSeed(seed);
        return PixelCnnModel.create(PixelCnnSpec.of(config), manager);
    }

    private static PixelCnnConfig config(int h, int w, Architecture a, int layers, PixelOutput out, int classes) {
        return new PixelCnnConfig(h, w, a, 8, layers, 5, 3, out, out == PixelOutput.LOGISTIC_MIXTURE ? 2 : 1,
                classes);
    }

    private static CausalityChecks.Dependencies causality(PixelCnnModel m, NDManager manager, int h, int w,
            NDArray labels) {
        ParameterStore ps = new ParameterStore(manager, false);
        int channels = m.spec().config().output().channels(m.spec().config().mixtures());
        return CausalityChecks.assertCausalByGradient(x -> m.pixelCnn().conditionals(ps, x, labels, false),
                manager.randomUniform(0f, 1f, new Shape(1, 1, h, w)), CausalityChecks.rasterSteps(1, h * w),
                CausalityChecks.rasterSteps(channels, h * w));
    }

    /** The band of rows above row i that its context is computed from (null for row 0), a view of x. */
    private static NDArray rowsAbove(NDArray x, PixelCnnConfig c, int i) {
        return i == 0 ? null
                : x.get(new ai.djl.ndarray.index.NDIndex(":, :, {}:{}, :", Math.max(0, i - c.rowsAbove()), i));
    }

    /** Both stacks of the gated PixelCNN are causal and together see every earlier pixel: no blind spot. */
    @Test
    void gatedPixelCnnIsCausalWithoutBlindSpot() {
        try (NDManager manager = NDManager.newBaseManager()) {
            PixelCnnModel m = model(config(6, 6, Architecture.GATED, 3, PixelOutput.BERNOULLI, 0), manager, 1);
            CausalityChecks.Dependencies d = causality(m, manager, 6, 6, null);
            for (int k = 0; k < 36; k++) {
                assertEquals(k, d.countOf(k), "pixel " + k + " sees " + d.countOf(k) + " of the " + k + " before it");
            }
        }
    }

    /** The masked PixelCNN is causal but misses pixels to the upper right of some pixel: the blind spot. */
    @Test
    void maskedPixelCnnIsCausalAndHasABlindSpot() {
        try (NDManager manager = NDManager.newBaseManager()) {
            PixelCnnModel m = model(config(6, 6, Architecture.MASKED, 3, PixelOutput.SOFTMAX_256, 0), manager, 2);
            CausalityChecks.Dependencies d = causality(m, manager, 6, 6, null);
            // pixel (3, 1) never sees (1, 5), two rows up and four columns right, though it comes before it
            assertTrue(!d.dependsOn(3 * 6 + 1, 6 + 5), "blind spot expected at (1, 5) for pixel (3, 1)");
            assertTrue(d.dependsOn(3 * 6 + 1, 2 * 6 + 1), "the pixel above is seen");
        }
    }

    @Test
    void classConditionalPixelCnnIsCausalByPerturbation() {
        try (NDManager manager = NDManager.newBaseManager()) {
            PixelCnnModel m = model(config(5, 5, Architecture.GATED, 2, PixelOutput.LOGISTIC_MIXTURE, 3), manager, 3);
            ParameterStore ps = new ParameterStore(manager, false);
            NDArray labels = manager.create(new int[] {2});
            NDArray x = manager.randomUniform(0f, 1f, new Shape(1, 1, 5, 5));
            CausalityChecks.assertCausalByPerturbation(x1 -> m.pixelCnn().conditionals(ps, x1, labels, false), x,
                    x.neg().add(1.5f), CausalityChecks.rasterSteps(1, 25), CausalityChecks.rasterSteps(6, 25), 0);
        }
    }

    /** The probabilities of all 2^6 binary 2×3 images sum to 1 (also the class-marginal of a conditional model). */
    @Test
    void bernoulliPixelCnnIsNormalised() {
        for (int classes : new int[] {0, 3}) {
            try (NDManager manager = NDManager.newBaseManager()) {
                PixelCnnModel m = model(config(2, 3, Architecture.GATED, 2, PixelOutput.BERNOULLI, classes), manager,
                        4);
                MadeTest.scaleParameters(m.pixelCnn(), 2f);
                NDArray all = MadeTest.allBinary(manager, 6).reshape(64, 1, 2, 3);
                assertEquals(1.0, sumExp(m.logLikelihood(all)), 1e-5, "classes " + classes);
            }
        }
    }

    /** Over all 256² two-pixel 8-bit images, both 8-bit outputs sum to 1. */
    @Test
    void eightBitOutputsAreNormalised() {
        for (PixelOutput out : new PixelOutput[] {PixelOutput.SOFTMAX_256, PixelOutput.LOGISTIC_MIXTURE}) {
            try (NDManager manager = NDManager.newBaseManager()) {
                PixelCnnModel m = model(config(1, 2, Architecture.MASKED, 1, out, 0), manager, 5);
                double total = 0;
                for (int first = 0; first < 256; first += 32) {
                    float[] v = new float[32 * 256 * 2];
                    for (int a = 0; a < 32; a++) {
                        for (int b = 0; b < 256; b++) {
                            v[2 * (a * 256 + b)] = (first + a) / 255f;
                            v[2 * (a * 256 + b) + 1] = b / 255f;
                        }
                    }
                    try (NDManager scope = manager.newSubManager()) {
                        total += sumExp(m.logLikelihood(scope.create(v, new Shape(32 * 256, 1, 1, 2))));
                    }
                }
                assertEquals(1.0, total, 1e-4, out.name());
            }
        }
    }

    /** The discretised logistic mixture against the logistic CDF computed independently in double. */
    @Test
    void logisticMixtureMatchesClosedForm() {
        try (NDManager manager = NDManager.newBaseManager()) {
            double[] logits = {0.3, -1.0};
            double[] mu = {-0.2, 0.7};
            double[] logS = {-2.0, -3.5};
            int[] levels = {0, 1, 77, 128, 200, 254, 255};
            float[] params = new float[6 * levels.length];
            float[] x = new float[levels.length];
            for (int i = 0; i < levels.length; i++) {
                for (int k = 0; k < 2; k++) {
                    params[(k) * levels.length + i] = (float) logits[k];
                    params[(2 + k) * levels.length + i] = (float) mu[k];
                    params[(4 + k) * levels.length + i] = (float) logS[k];
                }
                x[i] = levels[i] / 255f;
            }
            // params (1, 6, 1, L), x (1, 1, 1, L)
            double[] lp = PixelOutput.LOGISTIC_MIXTURE.logProb(manager.create(params, new Shape(1, 6, 1, levels.length)),
                    manager.create(x, new Shape(1, 1, 1, levels.length))).toType(DataType.FLOAT64, false)
                    .toDoubleArray();
            double z = Math.log(Math.exp(logits[0]) + Math.exp(logits[1]));
            for (int i = 0; i < levels.length; i++) {
                double y = 2 * levels[i] / 255.0 - 1;
                double p = 0;
                for (int k = 0; k < 2; k++) {
                    double s = Math.exp(logS[k]);
                    double upper = levels[i] == 255 ? 1 : cdf((y + 1 / 255.0 - mu[k]) / s);
                    double lower = levels[i] == 0 ? 0 : cdf((y - 1 / 255.0 - mu[k]) / s);
                    p += Math.exp(logits[k] - z) * (upper - lower);
                }
                assertEquals(Math.log(p), lp[i], 2e-3 + 1e-3 * Math.abs(Math.log(p)), "level " + levels[i]);
            }
        }
    }

    private static double cdf(double t) {
        return 1 / (1 + Math.exp(-t));
    }

    /** Banded sampling (the rows a pixel can see) draws exactly the naive sampler's images. */
    @Test
    void bandedSamplingEqualsNaiveSampling() {
        try (NDManager manager = NDManager.newBaseManager()) {
            PixelCnnConfig c = new PixelCnnConfig(8, 5, Architecture.GATED, 8, 1, 3, 3, PixelOutput.SOFTMAX_256, 1, 2);
            assertEquals(3, c.rowsAbove());
            PixelCnnModel m = model(c, manager, 6);
            Engine.getInstance().setRandomSeed(77);
            float[] banded = m.sample(manager, 3, SampleOptions.defaults(), true).toFloatArray();
            Engine.getInstance().setRandomSeed(77);
            float[] naive = m.sample(manager, 3, SampleOptions.defaults(), false).toFloatArray();
            assertArrayEquals(naive, banded);
        }
    }

    /**
     * The row-cached sampler (vertical stack once per row, then the horizontal stack on the row alone) draws the
     * naive sampler's images: labels, a softmax output and more rows than the band, so rows near the top (band
     * cut by the image) and far from it (band inside it) are both sampled.
     */
    @Test
    void rowCachedSamplingEqualsNaiveSampling() {
        try (NDManager manager = NDManager.newBaseManager()) {
            PixelCnnConfig c = new PixelCnnConfig(8, 5, Architecture.GATED, 8, 1, 3, 3, PixelOutput.SOFTMAX_256, 1, 2);
            PixelCnnModel m = model(c, manager, 6);
            MadeTest.scaleParameters(m.pixelCnn(), 2f); // sharper conditionals: samples that differ if any is wrong
            Engine.getInstance().setRandomSeed(78);
            float[] cached = m.sample(manager, 3, SampleOptions.defaults(), PixelCnnSampler.ROW_CACHED).toFloatArray();
            Engine.getInstance().setRandomSeed(78);
            float[] naive = m.sample(manager, 3, SampleOptions.defaults(), PixelCnnSampler.NAIVE).toFloatArray();
            assertArrayEquals(naive, cached);
            Engine.getInstance().setRandomSeed(78);
            float[] pixel = m.sample(manager, 3, SampleOptions.defaults(), PixelCnnSampler.PIXEL_CACHED).toFloatArray();
            assertArrayEquals(naive, pixel);
            Engine.getInstance().setRandomSeed(78);
            assertArrayEquals(pixel, m.sample(manager, 3, SampleOptions.defaults()).toFloatArray(),
                    "the gated architecture samples pixel-cached by default");
        }
    }

    /**
     * The pixel-cached sampler draws the naive sampler's images for a first kernel wider than the image (columns whose
     * first layer has no tap inside the row), a 5-wide later kernel (two taps back) and logistic mixtures, and for a
     * 1x1 first kernel (no tap at all).
     */
    @Test
    void pixelCachedSamplingEqualsNaiveSampling() {
        try (NDManager manager = NDManager.newBaseManager()) {
            assertPixelCachedDrawsTheNaiveImages(new PixelCnnConfig(4, 3, Architecture.GATED, 8, 2, 7, 5,
                    PixelOutput.LOGISTIC_MIXTURE, 2, 0), manager, 16, 79);
            // a 1x1 first kernel: the first layer reads nothing of its row (its pre-activation is the context alone)
            assertPixelCachedDrawsTheNaiveImages(new PixelCnnConfig(4, 5, Architecture.GATED, 8, 2, 1, 3,
                    PixelOutput.BERNOULLI, 1, 0), manager, 17, 81);
        }
    }

    private static void assertPixelCachedDrawsTheNaiveImages(PixelCnnConfig c, NDManager manager, int modelSeed,
            int drawSeed) {
        PixelCnnModel m = model(c, manager, modelSeed);
        MadeTest.scaleParameters(m.pixelCnn(), 2f);
        Engine.getInstance().setRandomSeed(drawSeed);
        float[] naive = m.sample(manager, 2, SampleOptions.defaults(), PixelCnnSampler.NAIVE).toFloatArray();
        Engine.getInstance().setRandomSeed(drawSeed);
        float[] pixel = m.sample(manager, 2, SampleOptions.defaults(), PixelCnnSampler.PIXEL_CACHED).toFloatArray();
        assertArrayEquals(naive, pixel, c.toString());
    }

    /**
     * Every pixel's conditionals from the pixel-cached stepper (each layer at the pixel's column, fed with what the
     * pixels to its left left behind) are the whole network's, for every row of a random image, in two
     * configurations: labels with the first kernel's taps partly outside the row at the left edge, and a 5-wide later
     * kernel with a first kernel as wide as the image. The stepper is fed the image's own pixels; the pixels to the
     * right stay in the image the whole network sees, the masks keep them out.
     */
    @Test
    void pixelConditionalsAreTheWholeNetworksConditionals() {
        try (NDManager manager = NDManager.newBaseManager()) {
            PixelCnnConfig[] configs = {
                new PixelCnnConfig(7, 6, Architecture.GATED, 8, 2, 5, 3, PixelOutput.BERNOULLI, 1, 3),
                new PixelCnnConfig(5, 7, Architecture.GATED, 8, 3, 7, 5, PixelOutput.SOFTMAX_256, 1, 0)};
            for (int k = 0; k < configs.length; k++) {
                PixelCnnConfig c = configs[k];
                PixelCnnModel m = model(c, manager, 21 + k);
                MadeTest.scaleParameters(m.pixelCnn(), 2f);
                ParameterStore ps = new ParameterStore(manager, false);
                int h = c.height();
                int w = c.width();
                int p = c.output().channels(c.mixtures());
                NDArray x = manager.randomUniform(0f, 1f, new Shape(2, 1, h, w));
                NDArray labels = c.classes() > 0 ? manager.create(new int[] {2, 0}) : null;
                float[] whole = m.pixelCnn().conditionals(ps, x, labels, false).toFloatArray();
                PixelCnn.RowSampler rows = m.pixelCnn().rowSampler(ps, manager);
                for (int i = 0; i < h; i++) {
                    NDArray above = rowsAbove(x, c, i);
                    PixelCnn.PixelSteps steps = rows.pixels(rows.context(above, 2, labels, manager), labels, manager);
                    for (int j = 0; j < w; j++) {
                        assertEquals(j, steps.position());
                        float[] got = steps.conditionals(manager).toFloatArray();
                        assertEquals(2 * p, got.length);
                        for (int n = 0; n < 2; n++) {
                            for (int q = 0; q < p; q++) {
                                float want = whole[((n * p + q) * h + i) * w + j];
                                assertEquals(want, got[n * p + q], 1e-5 * Math.max(1, Math.abs(want)),
                                        "config " + k + ", row " + i + ", pixel " + j + ", image " + n + ", output " + q);
                            }
                        }
                        steps.drawn(x.get(new ai.djl.ndarray.index.NDIndex(":, 0, {}, {}", i, j)));
                    }
                    org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                            () -> steps.conditionals(manager), "the row is complete");
                }
            }
        }
    }

    /**
     * The vertical stack stepped row by row (each layer on the row just drawn, its input rows above kept) gives every
     * row the context the stack computes on the whole band of rows above it, with labels and for first kernels
     * taller than the rows above the first rows (zeros above the image).
     */
    @Test
    void verticalStepsGiveTheBandsContext() {
        try (NDManager manager = NDManager.newBaseManager()) {
            PixelCnnConfig[] configs = {
                new PixelCnnConfig(8, 5, Architecture.GATED, 8, 2, 5, 3, PixelOutput.BERNOULLI, 1, 3),
                new PixelCnnConfig(6, 4, Architecture.GATED, 8, 1, 7, 5, PixelOutput.SOFTMAX_256, 1, 0)};
            for (int k = 0; k < configs.length; k++) {
                PixelCnnConfig c = configs[k];
                PixelCnnModel m = model(c, manager, 31 + k);
                MadeTest.scaleParameters(m.pixelCnn(), 2f);
                ParameterStore ps = new ParameterStore(manager, false);
                NDArray x = manager.randomUniform(0f, 1f, new Shape(2, 1, c.height(), c.width()));
                NDArray labels = c.classes() > 0 ? manager.create(new int[] {1, 2}) : null;
                PixelCnn.RowSampler rows = m.pixelCnn().rowSampler(ps, manager);
                PixelCnn.RowSampler.VerticalSteps steps = rows.vertical(2, labels, manager);
                for (int i = 0; i < c.height(); i++) {
                    NDArray above = rowsAbove(x, c, i);
                    NDList band = rows.context(above, 2, labels, manager);
                    assertEquals(i, steps.row());
                    NDList stepped = steps.next(i == 0 ? null
                            : x.get(new ai.djl.ndarray.index.NDIndex(":, :, {}:{}, :", i - 1, i)), manager);
                    assertEquals(band.size(), stepped.size());
                    for (int l = 0; l < band.size(); l++) {
                        float[] want = band.get(l).toFloatArray();
                        float[] got = stepped.get(l).toFloatArray();
                        for (int e = 0; e < want.length; e++) {
                            assertEquals(want[e], got[e], 1e-5 * Math.max(1, Math.abs(want[e])),
                                    "config " + k + ", row " + i + ", layer " + l + ", element " + e);
                        }
                    }
                }
                org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                        () -> steps.next(manager.zeros(new Shape(2, 1, 1, c.width())), manager), "the image is done");
                org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                        () -> rows.vertical(2, labels, manager).next(manager.zeros(new Shape(2, 1, 1, c.width())),
                                manager), "row 0 has no row above");
            }
        }
    }

    /**
     * The stepper's order is enforced: a draw before its conditionals, or of the wrong shape, and the row before it is
     * complete are refused.
     */
    @Test
    void pixelStepsRefuseOutOfOrderDraws() {
        try (NDManager manager = NDManager.newBaseManager()) {
            PixelCnnConfig c = new PixelCnnConfig(3, 4, Architecture.GATED, 8, 1, 3, 3, PixelOutput.BERNOULLI, 1, 0);
            PixelCnnModel m = model(c, manager, 5);
            PixelCnn.RowSampler rows = m.pixelCnn().rowSampler(new ParameterStore(manager, false), manager);
            PixelCnn.PixelSteps steps = rows.pixels(rows.context(null, 2, null, manager), null, manager);
            org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    () -> steps.drawn(manager.zeros(new Shape(2))));
            steps.conditionals(manager);
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> steps.drawn(manager.zeros(new Shape(3))));
            steps.drawn(manager.zeros(new Shape(2)));
            assertEquals(1, steps.position());
            org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> steps.row(manager),
                    "the row is not complete");
        }
    }

    /**
     * A row's steps write into buffers made once per batch size: no array is added to the row's manager or to the row
     * sampler's from one pixel to the next or from one row to the next; a second batch size replaces the buffers
     * rather than adding to them; the steps of an earlier row, once a later row's have taken the buffers, refuse to go
     * on.
     */
    @Test
    void pixelStepsKeepABoundedState() {
        try (NDManager manager = NDManager.newBaseManager(); NDManager sampler = manager.newSubManager()) {
            PixelCnnConfig c = new PixelCnnConfig(2, 40, Architecture.GATED, 8, 2, 5, 3, PixelOutput.BERNOULLI, 1, 0);
            PixelCnnModel m = model(c, manager, 5);
            PixelCnn.RowSampler rows = m.pixelCnn().rowSampler(new ParameterStore(manager, false), sampler);
            int[] afterRow = new int[3];
            PixelCnn.PixelSteps earlier = null;
            for (int r = 0; r < 3; r++) {
                int n = r == 2 ? 3 : 2;
                try (NDManager row = manager.newSubManager()) {
                    PixelCnn.PixelSteps steps = rows.pixels(rows.context(null, n, null, row), null, row);
                    if (earlier != null) {
                        PixelCnn.PixelSteps done = earlier;
                        assertThrows(IllegalStateException.class, () -> done.conditionals(row));
                    }
                    int rowBase = BlockChecks.countManagedArrays(row);
                    int samplerBase = BlockChecks.countManagedArrays(sampler);
                    for (int j = 0; j < 40; j++) {
                        try (NDManager scope = row.newSubManager()) {
                            steps.conditionals(scope);
                            steps.drawn(scope.ones(new Shape(n)));
                        }
                        assertEquals(rowBase, BlockChecks.countManagedArrays(row), "row manager grew at pixel " + j);
                        assertEquals(samplerBase, BlockChecks.countManagedArrays(sampler), "sampler grew at pixel " + j);
                    }
                    NDArray drawn = steps.row(row);
                    assertEquals(new Shape(n, 1, 1, 40), drawn.getShape());
                    assertEquals(40f * n, drawn.sum().getFloat());
                    earlier = steps;
                }
                afterRow[r] = BlockChecks.countManagedArrays(sampler);
            }
            assertEquals(afterRow[0], afterRow[1], "a second row of one batch size added arrays");
            assertEquals(afterRow[1], afterRow[2], "a new batch size kept the old buffers");
        }
    }

    /**
     * Row i's conditionals from that row and the context of the rows above are the whole network's row i, for every
     * row of a random image (two layers, labels), with the pixels of row i to the right of each one left in place:
     * the masks, not the sampler, keep them out.
     */
    @Test
    void rowConditionalsAreTheWholeNetworksRow() {
        try (NDManager manager = NDManager.newBaseManager()) {
            PixelCnnConfig c = new PixelCnnConfig(9, 6, Architecture.GATED, 8, 2, 5, 3, PixelOutput.BERNOULLI, 1, 3);
            PixelCnnModel m = model(c, manager, 11);
            MadeTest.scaleParameters(m.pixelCnn(), 2f);
            ParameterStore ps = new ParameterStore(manager, false);
            NDArray x = manager.randomUniform(0f, 1f, new Shape(2, 1, 9, 6));
            NDArray labels = manager.create(new int[] {2, 0});
            float[] whole = m.pixelCnn().conditionals(ps, x, labels, false).toFloatArray();
            PixelCnn.RowSampler rows = m.pixelCnn().rowSampler(ps, manager);
            for (int i = 0; i < 9; i++) {
                NDArray above = rowsAbove(x, c, i);
                NDList context = rows.context(above, 2, labels, manager);
                float[] row = rows.conditionals(x.get(new ai.djl.ndarray.index.NDIndex(":, :, {}:{}, :", i, i + 1)),
                        context, labels).toFloatArray();
                for (int n = 0; n < 2; n++) {
                    for (int j = 0; j < 6; j++) {
                        assertEquals(whole[(n * 9 + i) * 6 + j], row[n * 6 + j], 1e-5, "row " + i + ", pixel " + j);
                    }
                }
            }
        }
    }

    /** A draw at a temperature that is not finite and positive is refused, not a division by zero. */
    @Test
    void drawsRefuseATemperatureThatIsNotPositive() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray logits = manager.zeros(new Shape(2, 1));
            for (double t : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
                org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                        () -> PixelOutput.BERNOULLI.sample(logits, t), "temperature " + t);
            }
            assertEquals(new Shape(2), PixelOutput.BERNOULLI.sample(logits, 1.0).getShape());
        }
    }

    /** The masked architecture has no vertical stack: asking it for the row cache is an error, not a wrong sample. */
    @Test
    void rowCacheNeedsTheGatedArchitecture() {
        try (NDManager manager = NDManager.newBaseManager()) {
            PixelCnnModel m = model(config(3, 3, Architecture.MASKED, 1, PixelOutput.BERNOULLI, 0), manager, 2);
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> m.sample(manager, 1, SampleOptions.defaults(), PixelCnnSampler.ROW_CACHED));
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> m.sample(manager, 1, SampleOptions.defaults(), PixelCnnSampler.PIXEL_CACHED));
            org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    () -> m.pixelCnn().rowSampler(new ParameterStore(manager, false), manager));
        }
    }

    /** Frequencies of sampled binary 2×2 images match exp(log p). */
    @Test
    void samplesFollowTheLikelihood() {
        int n = 4000;
        try (NDManager manager = NDManager.newBaseManager()) {
            PixelCnnModel m = model(config(2, 2, Architecture.GATED, 1, PixelOutput.BERNOULLI, 0), manager, 8);
            MadeTest.scaleParameters(m.pixelCnn(), 2f);
            double[] lp = m.logLikelihood(MadeTest.allBinary(manager, 4).reshape(16, 1, 2, 2))
                    .toType(DataType.FLOAT64, false).toDoubleArray();
            Engine.getInstance().setRandomSeed(9);
            float[] s = m.sample(manager, n).toFloatArray();
            int[] counts = new int[16];
            for (int i = 0; i < n; i++) {
                int code = 0;
                for (int j = 0; j < 4; j++) {
                    code = code * 2 + (int) s[i * 4 + j];
                }
                counts[code]++;
            }
            for (int c = 0; c < 16; c++) {
                double q = Math.exp(lp[c]);
                assertEquals(q, counts[c] / (double) n, 5 * Math.sqrt(q * (1 - q) / n) + 2e-3, "pattern " + c);
            }
        }
    }

    @Test
    void saveLoadRoundTripAndNoLeaks(@TempDir Path dir) {
        try (NDManager manager = NDManager.newBaseManager()) {
            PixelCnnModel m = model(config(4, 4, Architecture.GATED, 1, PixelOutput.LOGISTIC_MIXTURE, 2), manager, 10);
            NDArray x = manager.randomUniform(0f, 1f, new Shape(3, 1, 4, 4));
            ModelChecks.assertSaveLoadRoundTrip(m, dir.resolve("s"),
                    (mm, mgr) -> ((GenerativeModel) mm).sample(mgr, 2, SampleOptions.defaults().withLabel(1)));
            ModelChecks.assertSaveLoadRoundTrip(m, dir.resolve("l"), (mm, mgr) -> ((LikelihoodModel) mm).logLikelihood(x));
            BlockChecks.assertForwardDoesNotGrowModelManager(manager, m.pixelCnn(),
                    new NDList(x, manager.create(new int[] {0, 1, 1})));
            try (NDManager data = NDManager.newBaseManager()) {
                int before = BlockChecks.countManagedArrays(data);
                int modelBefore = BlockChecks.countManagedArrays(manager);
                for (int i = 0; i < 2; i++) {
                    try (NDManager scope = data.newSubManager()) {
                        m.sample(scope, 2);
                        m.sample(scope, 2, SampleOptions.defaults(), PixelCnnSampler.BANDED);
                        m.logLikelihood(scope.randomUniform(0f, 1f, new Shape(2, 1, 4, 4)));
                    }
                }
                assertEquals(before, BlockChecks.countManagedArrays(data));
                assertEquals(modelBefore, BlockChecks.countManagedArrays(manager), "nothing left in the model's manager");
            }
        }
    }

    @Test
    void conditionalTrainingResumesBitExactly(@TempDir Path dir) {
        TrainingChecks.assertResumeIsBitExact(() -> {
            NDManager manager = NDManager.newBaseManager();
            PixelCnnModel m = model(config(4, 4, Architecture.GATED, 1, PixelOutput.BERNOULLI, 2), manager, 11);
            ObjectiveStep step = ObjectiveStep.builder().setObjective(m.objective())
                    .setOptimizer(Adam.factory(LearningRateSchedule.constant(1e-2), AdamConfig.defaults())).build();
            Random rng = new Random(3);
            float[] data = new float[32 * 16];
            int[] labels = new int[32];
            for (int i = 0; i < 32; i++) {
                labels[i] = i % 2;
                for (int j = 0; j < 16; j++) {
                    data[i * 16 + j] = rng.nextDouble() < (labels[i] == 0 ? 0.2 : 0.8) ? 1 : 0;
                }
            }
            return TrainingChecks.Setup.of(step, new TensorBatches(data, new long[] {1, 4, 4}, labels,
                    new BatchOrder(32, 8, 4, true)), manager);
        }, 5, 10, 4, dir);
    }

    private static double sumExp(NDArray ll) {
        double t = 0;
        for (double v : ll.toType(DataType.FLOAT64, false).toDoubleArray()) {
            t += Math.exp(v);
        }
        return t;
    }
}
