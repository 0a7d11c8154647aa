package io.gen4j.diffusion.guidance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.gen4j.core.model.Condition;
import io.gen4j.core.model.Denoiser;
import io.gen4j.core.nn.UNet;
import io.gen4j.core.nn.UNetConfig;
import io.gen4j.diffusion.DdimSampler;
import io.gen4j.diffusion.DiffusionModel;
import io.gen4j.diffusion.NoiseSchedule;
import io.gen4j.diffusion.Prediction;
import io.gen4j.diffusion.SamplerResult;
import io.gen4j.diffusion.Spacing;
import io.gen4j.diffusion.TimeGrid;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Classifier-free guidance: the guidance rule against a closed form, one batched forward pass
 * against two separate ones (labels and padded text contexts through a real U-Net), rescale against
 * a float64 computation done here, and flat memory inside a sampler.
 */
class ClassifierFreeGuidanceTest {

    private static final int NULL_LABEL = 3;

    /** A per-row closed form: f(x, t, y) = x·(y + 1) + t/10 (none = the null label); rows never interact. */
    private static final class RowwiseDenoiser implements Denoiser {
        final List<Long> batchSizes = new ArrayList<>();

        @Override
        public NDArray predict(NDArray xt, NDArray t, Condition condition) {
            long n = xt.getShape().get(0);
            batchSizes.add(n);
            NDArray y = condition instanceof Condition.Labels l
                    ? l.labels().toType(xt.getDataType(), false)
                    : xt.getManager().full(new Shape(n), NULL_LABEL, xt.getDataType());
            NDArray gain = y.add(1).reshape(n, 1);
            NDArray local = gain.getManager() == xt.getManager() ? gain : gain.duplicate();
            local.attach(xt.getManager());
            NDArray time = t.toType(xt.getDataType(), false).reshape(n, 1).div(10);
            time.attach(xt.getManager());
            return xt.mul(local).add(time);
        }
    }

    private static double rowwise(double x, double t, int label) {
        return x * (label + 1) + t / 10;
    }

    @Test
    void scaleZeroIsUnconditionalAndScaleOneIsConditionalBitForBit() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomNormal(0, 1, new Shape(5, 4), DataType.FLOAT32);
            NDArray t = m.create(new float[] {3, 7, 11, 0, 999});
            Condition labels = Condition.labels(m.create(new int[] {0, 1, 2, 1, 0}));
            RowwiseDenoiser net = new RowwiseDenoiser();
            NDArray cond = net.predict(x, t, labels);
            NDArray uncond = net.predict(x, t, Condition.labels(m.full(new Shape(5), NULL_LABEL,
                    DataType.INT32)));
            NullCondition nul = NullCondition.label(NULL_LABEL);
            assertArrayEquals(uncond.toFloatArray(),
                    new ClassifierFreeGuidance(net, 0, nul).predict(x, t, labels).toFloatArray(), 0f);
            assertArrayEquals(cond.toFloatArray(),
                    new ClassifierFreeGuidance(net, 1, nul).predict(x, t, labels).toFloatArray(), 0f);
        }
    }

    @Test
    void guidedOutputFollowsTheRuleInOneForwardPass() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(5);
            int n = 6;
            NDArray x = m.randomNormal(0, 1, new Shape(n, 3), DataType.FLOAT64);
            float[] times = {0, 10, 20, 30, 40, 50};
            int[] y = {0, 1, 2, 0, 1, 2};
            RowwiseDenoiser net = new RowwiseDenoiser();
            for (double w : new double[] {0, 0.5, 1, 2, 4, 8, -1}) {
                net.batchSizes.clear();
                NDArray out = new ClassifierFreeGuidance(net, w, NullCondition.label(NULL_LABEL))
                        .predict(x, m.create(times), Condition.labels(m.create(y)));
                assertEquals(List.of(2L * n), net.batchSizes, "one forward pass over [c; null]");
                double[] xs = x.toDoubleArray();
                double[] got = out.toDoubleArray();
                for (int i = 0; i < n; i++) {
                    for (int d = 0; d < 3; d++) {
                        double fc = rowwise(xs[i * 3 + d], times[i], y[i]);
                        double fu = rowwise(xs[i * 3 + d], times[i], NULL_LABEL);
                        assertEquals(fu + w * (fc - fu), got[i * 3 + d], 1e-12, "w = " + w);
                    }
                }
            }
            net.batchSizes.clear();
            NDArray plain = new ClassifierFreeGuidance(net, 4, NullCondition.label(NULL_LABEL))
                    .predict(x, m.create(times), Condition.none());
            assertEquals(List.of((long) n), net.batchSizes, "no condition: one plain pass");
            assertEquals(new Shape(n, 3), plain.getShape());
        }
    }

    @Test
    void rescaleMatchesLinEtAlComputedInFloat64() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(6);
            int n = 4;
            int dims = 5;
            NDArray x = m.randomNormal(0, 1, new Shape(n, dims), DataType.FLOAT64);
            float[] times = {1, 2, 3, 4};
            int[] y = {0, 1, 2, 0};
            double w = 5;
            double phi = 0.7;
            double[] got = new ClassifierFreeGuidance(new RowwiseDenoiser(), w, phi,
                    NullCondition.label(NULL_LABEL)).predict(x, m.create(times),
                    Condition.labels(m.create(y))).toDoubleArray();
            double[] xs = x.toDoubleArray();
            for (int i = 0; i < n; i++) {
                double[] fc = new double[dims];
                double[] g = new double[dims];
                for (int d = 0; d < dims; d++) {
                    fc[d] = rowwise(xs[i * dims + d], times[i], y[i]);
                    double fu = rowwise(xs[i * dims + d], times[i], NULL_LABEL);
                    g[d] = fu + w * (fc[d] - fu);
                }
                double ratio = populationStd(fc) / populationStd(g);
                for (int d = 0; d < dims; d++) {
                    double expected = phi * g[d] * ratio + (1 - phi) * g[d];
                    assertEquals(expected, got[i * dims + d], 1e-12);
                }
            }
        }
    }

    private static double populationStd(double[] v) {
        double mean = 0;
        for (double a : v) {
            mean += a / v.length;
        }
        double var = 0;
        for (double a : v) {
            var += (a - mean) * (a - mean) / v.length;
        }
        return Math.sqrt(var);
    }

    @Test
    void batchedUNetForwardEqualsTwoSeparateOnesForLabels() {
        UNetConfig config = UNetConfig.builder().setImageChannels(1).optBaseChannels(8)
                .optChannelMultipliers(1, 2).optGroups(4).optClasses(3).build();
        Engine.getInstance().setRandomSeed(7);
        try (NDManager m = NDManager.newBaseManager()) {
            UNet unet = new UNet(config);
            unet.initialize(m, DataType.FLOAT32, new Shape(4, 1, 8, 8), new Shape(4), new Shape(4));
            randomiseOutput(unet, m);
            Denoiser net = unet.denoiser(new ParameterStore(m, false), false);
            NDArray x = m.randomNormal(0, 1, new Shape(4, 1, 8, 8), DataType.FLOAT32);
            NDArray t = m.create(new float[] {5, 50, 500, 900});
            Condition c = Condition.labels(m.create(new int[] {0, 2, 1, 2}));
            NDArray fc = net.predict(x, t, c);
            NDArray fu = net.predict(x, t, Condition.labels(m.full(new Shape(4), 3, DataType.INT32)));
            assertBatchedEqualsSeparate(fu, fc, net, x, t, c, NullCondition.label(3));
        }
    }

    @Test
    void batchedUNetForwardEqualsTwoSeparateOnesForPaddedTextContexts() {
        UNetConfig config = UNetConfig.builder().setImageChannels(1).optBaseChannels(8)
                .optChannelMultipliers(1, 2).optAttentionLevels(1).optHeads(2).optGroups(4)
                .optContextDim(6).build();
        Engine.getInstance().setRandomSeed(8);
        try (NDManager m = NDManager.newBaseManager()) {
            UNet unet = new UNet(config);
            unet.initialize(m, DataType.FLOAT32, new Shape(3, 1, 8, 8), new Shape(3),
                    new Shape(3, 5, 6));
            randomiseOutput(unet, m);
            Denoiser net = unet.denoiser(new ParameterStore(m, false), false);
            NDArray x = m.randomNormal(0, 1, new Shape(3, 1, 8, 8), DataType.FLOAT32);
            NDArray t = m.create(new float[] {10, 300, 800});
            // captions of 5 tokens, the second one padded after 3; the null caption has 2 tokens
            NDArray context = m.randomNormal(0, 1, new Shape(3, 5, 6), DataType.FLOAT32);
            NDArray mask = m.create(new float[] {1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 0},
                    new Shape(3, 5));
            NDArray nullContext = m.randomNormal(0, 1, new Shape(1, 2, 6), DataType.FLOAT32);
            Condition c = Condition.embedding(context, mask);
            NDArray fc = net.predict(x, t, c);
            NDArray fu = net.predict(x, t, Condition.embedding(nullContext.repeat(0, 3), null));
            assertBatchedEqualsSeparate(fu, fc, net, x, t, c,
                    NullCondition.embedding(nullContext, null));
        }
    }

    /** Guided outputs at w ∈ {0, 1, 3} from the batched pass against the separate passes fu, fc. */
    private static void assertBatchedEqualsSeparate(NDArray fu, NDArray fc, Denoiser net,
            NDArray x, NDArray t, Condition c, NullCondition nul) {
        float[] u = fu.toFloatArray();
        float[] k = fc.toFloatArray();
        float scaleOfOutputs = 0;
        for (float v : k) {
            scaleOfOutputs = Math.max(scaleOfOutputs, Math.abs(v));
        }
        assertTrue(scaleOfOutputs > 0.01, "the test needs a non-trivial network output");
        for (double w : new double[] {0, 1, 3}) {
            float[] got = new ClassifierFreeGuidance(net, w, nul).predict(x, t, c).toFloatArray();
            for (int i = 0; i < got.length; i++) {
                double expected = u[i] + w * (k[i] - u[i]);
                assertEquals(expected, got[i], 2e-5,
                        "w = " + w + ", element " + i);
            }
        }
        // the conditional and null outputs really differ, so the check sees the condition
        double diff = 0;
        for (int i = 0; i < u.length; i++) {
            diff = Math.max(diff, Math.abs(u[i] - k[i]));
        }
        assertTrue(diff > 1e-3, "condition has an effect: " + diff);
    }

    /** The U-Net starts with a zero output convolution; give every parameter random values. */
    private static void randomiseOutput(UNet unet, NDManager m) {
        unet.getParameters().values().forEach(p -> {
            NDArray a = p.getArray();
            a.set(m.randomNormal(0, 0.3f, a.getShape(), a.getDataType()).toFloatArray());
        });
    }

    @Test
    void guidedSamplingKeepsMemoryFlat() {
        NoiseSchedule s = NoiseSchedule.linear(100);
        try (NDManager caller = NDManager.newBaseManager();
                NDManager conditions = NDManager.newBaseManager()) {
            DiffusionModel model = ClassifierFreeGuidance.guide(new DiffusionModel(
                    new RowwiseDenoiser(), s, Prediction.EPSILON).withClipX0(1), 3, 0.5,
                    NullCondition.label(NULL_LABEL));
            NDArray xT = caller.randomNormal(0, 1, new Shape(8, 2), DataType.FLOAT32);
            Condition labels = Condition.labels(conditions.create(new int[] {0, 1, 2, 0, 1, 2, 0, 1}));
            int callerBefore = caller.getManagedArrays().size();
            int conditionsBefore = conditions.getManagedArrays().size();
            for (int steps : new int[] {5, 50}) {
                SamplerResult r = DdimSampler.deterministic().sample(model, xT,
                        TimeGrid.spaced(100, steps, Spacing.TRAILING), labels, false);
                assertEquals(callerBefore + 1,
                        caller.getManagedArrays().size(), steps + " steps");
                assertEquals(conditionsBefore,
                        conditions.getManagedArrays().size(), steps + " steps");
                r.samples().close();
            }
        }
    }

    @Test
    void invalidArgumentsAreNamed() {
        Denoiser net = new RowwiseDenoiser();
        NullCondition nul = NullCondition.label(1);
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new ClassifierFreeGuidance(net, Double.NaN, nul)).getMessage().contains("scale"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new ClassifierFreeGuidance(net, 2, 1.5, nul)).getMessage().contains("[0, 1]"));
        assertThrows(IllegalArgumentException.class, () -> NullCondition.label(-1));
    }
}
