package io.gen4j.flows;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.gen4j.core.testing.BlockChecks;
import io.gen4j.core.testing.GradientCheck;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import io.gen4j.flows.testing.FlowTransformChecks;

class NormalizingFlowTest {

    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager(Device.cpu());
        Engine.getInstance().setRandomSeed(11);
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private static NormalizingFlow smallVectorFlow(boolean actNorm) {
        return RealNvp.vector(new RealNvp.VectorConfig(2, 4, 32, 2, actNorm, actNorm));
    }

    private static RealNvp.ImageConfig tinyImages() {
        return RealNvp.ImageConfig.builder().setImageShape(1, 8, 8).optCouplings(1).optHidden(16).optResBlocks(1)
                .optGroups(4).build();
    }

    @Test
    void logAbsDetHelperIsRight() {
        double[][] a = {{2, 1, 0}, {0, 3, 0}, {1, 0, -4}};
        // det = 2·(3·−4 − 0) − 1·(0·−4 − 0·1) + 0 = −24
        assertEquals(Math.log(24), FlowTransformChecks.logAbsDet(a), 1e-12);
    }

    @Test
    void anIdentityFlowGivesTheGaussiansExactNll() {
        NormalizingFlow flow = smallVectorFlow(false);
        flow.initialize(manager, DataType.FLOAT64, new Shape(5, 2));
        NDArray x = FlowTestKit.normal(manager, new Shape(5, 2), 3).mul(2);
        double[] ll = flow.logLikelihood(x).toDoubleArray();
        double[] v = x.toDoubleArray();
        for (int i = 0; i < 5; i++) {
            double expected = -0.5 * (v[2 * i] * v[2 * i] + v[2 * i + 1] * v[2 * i + 1]) - Math.log(2 * Math.PI);
            assertEquals(expected, ll[i], 1e-12, "example " + i);
        }
        // ... and encoding is the identity, decoding too.
        assertEquals(0, flow.encode(x).sub(x).abs().max().getDouble(), 0);
        assertEquals(new Shape(2), flow.latentShape());
    }

    @Test
    void diagonalGaussianMatchesItsFormula() {
        DiagonalGaussian base = new DiagonalGaussian();
        base.initialize(manager, DataType.FLOAT64, new Shape(4, 3));
        FlowTransformChecks.randomizeParameters(base, manager, 0.5, 9);
        double[] mu = base.getParameters().get("mean").getArray().toDoubleArray();
        double[] ls = base.getParameters().get("logStd").getArray().toDoubleArray();
        NDArray z = FlowTestKit.normal(manager, new Shape(4, 3), 1);
        double[] zv = z.toDoubleArray();
        double[] lp = base.logProb(new ai.djl.training.ParameterStore(manager, false), z, false).toDoubleArray();
        for (int n = 0; n < 4; n++) {
            double expected = 0;
            for (int d = 0; d < 3; d++) {
                double u = (zv[3 * n + d] - mu[d]) / Math.exp(ls[d]);
                expected += -0.5 * u * u - ls[d] - 0.5 * Math.log(2 * Math.PI);
            }
            assertEquals(expected, lp[n], 1e-12);
        }
        NDArray s = base.sample(manager, new Shape(20000, 3), 0.5, DataType.FLOAT64);
        double std0 = s.get(":, 0").sub(mu[0]).square().mean().sqrt().getDouble();
        assertEquals(0.5 * Math.exp(ls[0]), std0, 0.02, "temperature scales the std");
    }

    @Test
    void trainingOnMoonsLowersTheNllAndTheDensityIntegratesToOne() {
        NormalizingFlow flow = smallVectorFlow(true);
        flow.initialize(manager, DataType.FLOAT32, new Shape(256, 2));
        flow.initializeFromData(FlowTestKit.moons(manager, 512, new Random(1)));
        double before;
        try (NDManager s = manager.newSubManager()) {
            before = FlowTestKit.scalar(flow.logLikelihood(FlowTestKit.moons(s, 2000, new Random(2))).mean().neg());
        }
        FlowTestKit.train(flow, manager, 80, 128, 1e-2f, 3);
        double after;
        try (NDManager s = manager.newSubManager()) {
            after = FlowTestKit.scalar(flow.logLikelihood(FlowTestKit.moons(s, 2000, new Random(2))).mean().neg());
        }
        assertTrue(after < before - 0.2, "NLL went from " + before + " to " + after);
        Density2d.Grid grid = Density2d.densityGrid(flow, manager, -5, 5, -5, 5, 160);
        assertEquals(1.0, grid.integral(), 0.03, "density integrates to about 1");
        List<double[][]> warp = Density2d.warp(flow, manager, 50);
        assertEquals(flow.transform() instanceof CompositeTransform c ? c.transforms().size() + 1 : -1, warp.size());
        assertEquals(50, warp.get(warp.size() - 1).length);
    }

    @Test
    void trainingDoesNotGrowTheManagedArrays() {
        NDManager model = manager.newSubManager();
        NormalizingFlow flow = smallVectorFlow(true);
        flow.initialize(model, DataType.FLOAT32, new Shape(64, 2));
        flow.initializeFromData(FlowTestKit.moons(manager, 256, new Random(1)));
        Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-3f)).build();
        Random rng = new Random(4);
        int[] counts = new int[12];
        for (int s = 0; s < counts.length; s++) {
            try (NDManager step = manager.newSubManager()) {
                FlowTestKit.step(flow, adam, FlowTestKit.moons(step, 64, rng));
                flow.sample(step, 8, 0.7);
                flow.encode(FlowTestKit.moons(step, 8, rng));
            }
            counts[s] = BlockChecks.countManagedArrays(model);
        }
        assertEquals(counts[2], counts[counts.length - 1], "model manager grew: " + java.util.Arrays.toString(counts));
        model.close();
    }

    @Test
    void imageFlowDoesNotGrowTheManagedArrays() {
        NDManager model = manager.newSubManager();
        NormalizingFlow flow = RealNvp.image(tinyImages());
        flow.initialize(model, DataType.FLOAT32, new Shape(4, 1, 8, 8));
        flow.initializeFromData(pixels(manager, 16, 5));
        Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-3f)).build();
        int[] counts = new int[6];
        for (int s = 0; s < counts.length; s++) {
            try (NDManager step = manager.newSubManager()) {
                FlowTestKit.step(flow, adam, pixels(step, 4, s));
                flow.sample(step, 2, 0.7);
            }
            counts[s] = BlockChecks.countManagedArrays(model);
        }
        assertEquals(counts[2], counts[counts.length - 1], "model manager grew: " + java.util.Arrays.toString(counts));
        model.close();
    }

    private static NDArray pixels(NDManager m, int n, long seed) {
        return FlowTestKit.uniform(m, new Shape(n, 1, 8, 8), 0, 256, seed).floor().clip(0, 255).div(255)
                .toType(DataType.FLOAT32, false);
    }

    @Test
    void saveAndLoadKeepTheDataInitialisationAndTheLikelihood() throws Exception {
        NormalizingFlow a = smallVectorFlow(true);
        a.initialize(manager, DataType.FLOAT32, new Shape(8, 2));
        a.initializeFromData(FlowTestKit.moons(manager, 256, new Random(1)).mul(3).add(1));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream os = new DataOutputStream(bytes)) {
            a.saveParameters(os);
        }
        NormalizingFlow b = smallVectorFlow(true);
        b.initialize(manager, DataType.FLOAT32, new Shape(8, 2));
        NDArray x = FlowTestKit.moons(manager, 8, new Random(2));
        assertThrows(IllegalStateException.class, () -> b.logLikelihood(x), "ActNorm must demand its init");
        try (DataInputStream is = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            b.loadParameters(manager, is);
        }
        assertTrue(((ActNorm) ((CompositeTransform) b.transform()).transforms().get(0)).isDataInitialized());
        assertArrayEquals(a.logLikelihood(x).toFloatArray(), b.logLikelihood(x).toFloatArray(), 0f);
    }

    @Test
    void imageFlowSavesAndLoads() throws Exception {
        NormalizingFlow a = RealNvp.image(tinyImages());
        a.initialize(manager, DataType.FLOAT32, new Shape(2, 1, 8, 8));
        a.initializeFromData(pixels(manager, 16, 1));
        FlowTransformChecks.randomizeParameters(a, manager, 0.05, 2);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream os = new DataOutputStream(bytes)) {
            a.saveParameters(os);
        }
        NormalizingFlow b = RealNvp.image(tinyImages());
        b.initialize(manager, DataType.FLOAT32, new Shape(2, 1, 8, 8));
        try (DataInputStream is = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            b.loadParameters(manager, is);
        }
        NDArray x = pixels(manager, 3, 4);
        Engine.getInstance().setRandomSeed(21);
        float[] la = a.logLikelihood(x).toFloatArray();
        Engine.getInstance().setRandomSeed(21);
        float[] lb = b.logLikelihood(x).toFloatArray();
        assertArrayEquals(la, lb, 0f, "same dequantization noise, same parameters, same log p");
    }

    @Test
    void extremeInputsStayFinite() {
        NormalizingFlow flow = smallVectorFlow(true);
        flow.initialize(manager, DataType.FLOAT32, new Shape(8, 2));
        flow.initializeFromData(FlowTestKit.moons(manager, 256, new Random(1)));
        FlowTransformChecks.randomizeParameters(flow, manager, 0.3, 5);
        NDArray big = manager.create(new float[] {1e4f, -1e4f, 1e4f, 1e4f, -3e3f, 0, 0, 5e3f}, new Shape(4, 2));
        assertFinite(flow.logLikelihood(big), "log p of large inputs");
        assertFinite(flow.transform().inverse(big).value(), "inverse of large latents");

        NormalizingFlow images = RealNvp.image(tinyImages());
        images.initialize(manager, DataType.FLOAT32, new Shape(4, 1, 8, 8));
        images.initializeFromData(pixels(manager, 16, 1));
        NDArray zeros = manager.zeros(new Shape(2, 1, 8, 8));
        NDArray ones = manager.ones(new Shape(2, 1, 8, 8));
        NDArray bpd = images.bitsPerDim(zeros.concat(ones));
        assertFinite(bpd, "bits/dim of black and white images");
        assertTrue(bpd.min().getFloat() > 0, "bits/dim are positive for 8-bit data: " + bpd);
        NDArray hot = images.sample(manager, 3, 3.0);
        assertFinite(hot, "samples at a high temperature");
        assertTrue(hot.min().getFloat() >= 0 && hot.max().getFloat() <= 1, "samples are pixel values");
        assertFinite(new LogitTransform(1e-6).inverse(manager.create(new float[] {-1e4f, 1e4f, 0}, new Shape(1, 3)))
                .logDet(), "logit inverse log-det at extreme logits");
    }

    private static void assertFinite(NDArray a, String what) {
        for (float v : a.toType(DataType.FLOAT32, false).toFloatArray()) {
            assertFalse(Float.isNaN(v) || Float.isInfinite(v), what + " has NaN/Inf: " + a);
        }
    }

    @Test
    void dequantizedLikelihoodOfAnUntrainedFlowIsAboutEightBitsPerDim() {
        // With identity couplings the flow is logit + ActNorm on uniform pixels: the bound must be close
        // to (and honestly above) the 8 bits/dim of uniformly random bytes, not a spurious negative number.
        NormalizingFlow images = RealNvp.image(tinyImages());
        images.initialize(manager, DataType.FLOAT32, new Shape(4, 1, 8, 8));
        NDArray x = pixels(manager, 256, 7);
        images.initializeFromData(x);
        double bpd = FlowTestKit.scalar(images.bitsPerDim(x).mean());
        assertTrue(bpd > 8.0 && bpd < 9.5, "bits/dim of uniform bytes under an untrained flow: " + bpd);
    }

    @Test
    void gradientsOfTheLogLikelihoodMatchFiniteDifferences() {
        NormalizingFlow flow = RealNvp.vector(new RealNvp.VectorConfig(2, 2, 6, 1, false, true));
        NDList x = new NDList(FlowTestKit.normal(manager, new Shape(3, 2), 2));
        flow.initialize(manager, DataType.FLOAT64, x.getShapes());
        FlowTransformChecks.randomizeParameters(flow, manager, 0.4, 3);
        GradientCheck.Result r = GradientCheck.checkBlock(manager, flow, x, 4, 6);
        assertTrue(r.worstRelativeError() < 1e-4, r::toString);
    }

    @Test
    void thePreparedSamplerDrawsWhatSampleDrawsAndIsASnapshot() {
        NDManager model = manager.newSubManager();
        NormalizingFlow flow = smallVectorFlow(true); // ActNorm and rotations: folded into one addmm per block
        flow.initialize(model, DataType.FLOAT32, new Shape(128, 2));
        flow.initializeFromData(FlowTestKit.moons(manager, 512, new Random(1)));
        FlowTestKit.train(flow, manager, 40, 128, 1e-2f, 3); // couplings and ActNorms away from their start
        int arrays = BlockChecks.countManagedArrays(model);
        try (NDManager s = manager.newSubManager()) {
            Engine.getInstance().setRandomSeed(21);
            NDArray plain = flow.sample(s, 500, 0.8);
            FlowSampler sampler = flow.sampler(manager);
            Engine.getInstance().setRandomSeed(21);
            NDArray prepared = sampler.sample(s, 500, 0.8);
            assertEquals(new Shape(500, 2), prepared.getShape());
            double scale = FlowTestKit.scalar(plain.abs().max());
            assertTrue(FlowTestKit.scalar(prepared.sub(plain).abs().max()) < 1e-5 * Math.max(1, scale),
                    "prepared and plain samples differ beyond rounding");
            // independent of the folding: the forward direction maps the prepared inverse's output back
            NDArray z = FlowTestKit.normal(s, new Shape(300, 2), 9).toType(DataType.FLOAT32, false);
            assertTrue(FlowTestKit.scalar(flow.encode(sampler.decode(z)).sub(z).abs().max()) < 1e-4,
                    "f(prepared f^-1(z)) != z");
            assertEquals(arrays, BlockChecks.countManagedArrays(model), "preparing added arrays to the model's manager");

            // a snapshot: a training step changes the flow, not the prepared sampler
            FlowTestKit.train(flow, manager, 1, 128, 1e-2f, 4);
            Engine.getInstance().setRandomSeed(21);
            NDArray stale = sampler.sample(s, 500, 0.8);
            assertEquals(0.0, FlowTestKit.scalar(stale.sub(prepared).abs().max()), "the prepared sampler changed");
            Engine.getInstance().setRandomSeed(21);
            NDArray trained = flow.sample(s, 500, 0.8);
            assertTrue(FlowTestKit.scalar(trained.sub(prepared).abs().max()) > 1e-3, "training changed nothing");
            sampler.close();
            assertThrows(IllegalStateException.class, () -> sampler.sample(s, 2));
            try (FlowSampler again = flow.sampler(manager)) {
                Engine.getInstance().setRandomSeed(21);
                assertTrue(FlowTestKit.scalar(again.sample(s, 500, 0.8).sub(trained).abs().max())
                        < 1e-5 * Math.max(1, scale), "a new sampler does not see the step");
            }
            assertThrows(IllegalArgumentException.class, () -> flow.sampler(manager).sample(s, 0));
        }
        model.close();
    }

    @Test
    void samplesHaveTheDataShapeAndTemperatureShrinksThem() {
        NormalizingFlow flow = smallVectorFlow(false);
        flow.initialize(manager, DataType.FLOAT32, new Shape(8, 2));
        NDArray cold = flow.sample(manager, 4000, 0.5);
        assertEquals(new Shape(4000, 2), cold.getShape());
        double std = FlowTestKit.scalar(cold.square().mean().sqrt());
        assertEquals(0.5, std, 0.03, "identity flow at T = 0.5 samples N(0, 0.25 I)");
        assertThrows(IllegalArgumentException.class, () -> flow.sample(manager, 2, 0));
        assertThrows(IllegalArgumentException.class, () -> flow.sample(manager, 0, 1));
    }

    @Test
    void configsRejectBadValuesNamingThem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RealNvp.ImageConfig.builder().setImageShape(1, 28, 28).optScales(4).build());
        assertTrue(e.getMessage().contains("divisible by 2^(scales-1) = 8, got 28x28"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> RealNvp.ImageConfig.builder().build());
        assertTrue(e.getMessage().contains("image shape must be set"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> RealNvp.ImageConfig.builder().setImageShape(1, 28, 28).optHidden(30).build());
        assertTrue(e.getMessage().contains("multiple of groups (8), got 30"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> RealNvp.ImageConfig.builder().setImageShape(1, 28, 28).optLogitAlpha(0.5).build());
        assertTrue(e.getMessage().contains("(0, 0.5), got 0.5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new LogitTransform(0.5));
        assertTrue(e.getMessage().contains("0.5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new RealNvp.VectorConfig(1, 4, 8, 1, true, true));
        assertTrue(e.getMessage().contains("dims"), e.getMessage());
    }
}
