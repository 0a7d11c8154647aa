package io.gen4j.autoencoders;

import io.gen4j.core.train.LossTerms;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.gen4j.core.testing.BlockChecks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class VectorQuantizerTest {

    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager(ai.djl.Device.cpu());
        Engine.getInstance().setRandomSeed(5);
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    @Test
    void straightThroughGradientPassesUnchanged() {
        for (VectorQuantizerConfig config : new VectorQuantizerConfig[] {
            VectorQuantizerConfig.gradient(6, 4), VectorQuantizerConfig.defaults(6, 4)}) {
            VectorQuantizer vq = new VectorQuantizer(config);
            vq.initialize(manager, DataType.FLOAT64, new Shape(2, 4, 3, 3));
            NDArray ze = manager.randomNormal(0, 1, new Shape(2, 4, 3, 3), DataType.FLOAT64);
            NDArray r = manager.randomNormal(0, 1, new Shape(2, 4, 3, 3), DataType.FLOAT64);
            ze.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray out = vq.quantize(new ParameterStore(manager, false), ze, false).quantized();
                gc.backward(out.mul(r).sum());
            }
            assertArrayEquals(r.toDoubleArray(), ze.getGradient().toDoubleArray(), 0.0, config.update().name());
        }
    }

    @Test
    void forwardValueIsTheNearestCode() {
        VectorQuantizer vq = new VectorQuantizer(VectorQuantizerConfig.gradient(5, 3));
        vq.initialize(manager, DataType.FLOAT32, new Shape(7, 3));
        NDArray ze = manager.randomUniform(-0.3f, 0.3f, new Shape(7, 3));
        VectorQuantizer.Quantized q = vq.quantize(new ParameterStore(manager, false), ze, false);
        float[] codes = vq.codebook().toFloatArray();
        float[] z = ze.toFloatArray();
        long[] idx = q.indices().toLongArray();
        for (int i = 0; i < 7; i++) {
            int best = 0;
            double bestD = Double.MAX_VALUE;
            for (int k = 0; k < 5; k++) {
                double d = 0;
                for (int j = 0; j < 3; j++) {
                    double diff = z[i * 3 + j] - codes[k * 3 + j];
                    d += diff * diff;
                }
                if (d < bestD) {
                    bestD = d;
                    best = k;
                }
            }
            assertEquals(best, idx[i], "row " + i);
        }
        assertArrayEquals(vq.lookup(q.indices()).toFloatArray(), q.quantized().toFloatArray(), 1e-6f);
    }

    @Test
    void perplexityOfUniformAndDegenerateHistograms() {
        assertEquals(4.0, VectorQuantizer.perplexity(manager.create(new float[] {5, 5, 5, 5})).getFloat(), 1e-4);
        assertEquals(1.0, VectorQuantizer.perplexity(manager.create(new float[] {0, 9, 0, 0})).getFloat(), 1e-4);
    }

    @Test
    void emaCodebookFindsClusterCentresAndRestartsDeadCodes() {
        // Four well-separated clusters in 2-D; codes start near the origin, far from all of them.
        float[][] centres = {{3, 3}, {-3, 3}, {3, -3}, {-3, -3}};
        VectorQuantizer vq = new VectorQuantizer(new VectorQuantizerConfig(8, 2, 0.25, CodebookUpdate.EMA, 0.9, 1e-5, 0.5));
        vq.initialize(manager, DataType.FLOAT32, new Shape(64, 2));
        ParameterStore ps = new ParameterStore(manager, false);
        int before = BlockChecks.countManagedArrays(manager);
        double perplexity = 0;
        for (int step = 0; step < 60; step++) {
            try (NDManager scope = manager.newSubManager()) {
                NDArray labels = scope.randomInteger(0, 4, new Shape(64), DataType.INT64);
                NDArray means = scope.create(new float[] {3, 3, -3, 3, 3, -3, -3, -3}).reshape(4, 2);
                NDArray x = labels.oneHot(4).matMul(means).add(scope.randomNormal(0, 0.1f, new Shape(64, 2), DataType.FLOAT32));
                perplexity = vq.quantize(ps, x, true).perplexity().getFloat();
            }
        }
        assertEquals(before, BlockChecks.countManagedArrays(manager), "EMA updates leaked arrays");
        float[] codes = vq.codebook().toFloatArray();
        for (float[] c : centres) {
            double best = Double.MAX_VALUE;
            for (int k = 0; k < 8; k++) {
                best = Math.min(best, Math.hypot(codes[2 * k] - c[0], codes[2 * k + 1] - c[1]));
            }
            assertTrue(best < 0.3, "no code near centre (" + c[0] + ", " + c[1] + "): " + best);
        }
        assertTrue(perplexity > 3.5, "all four clusters should be used, perplexity " + perplexity);
    }

    @Test
    void gradientCodebookLearnsAndRestartsNeedEma() {
        assertThrows(IllegalArgumentException.class,
                () -> new VectorQuantizerConfig(8, 2, 0.25, CodebookUpdate.GRADIENT, 0.99, 1e-5, 1.0));
        VectorQuantizer vq = new VectorQuantizer(VectorQuantizerConfig.gradient(4, 2));
        vq.initialize(manager, DataType.FLOAT32, new Shape(16, 2));
        NDArray before = vq.codebook().duplicate();
        TinyTrainer trainer = new TinyTrainer(vq, manager, 0.05f);
        trainer.run((ps, scope, step) -> {
            NDArray x = scope.ones(new Shape(16, 2));
            VectorQuantizer.Quantized q = vq.quantize(ps, x, true);
            return new LossTerms(q.codebookLoss(), java.util.Map.of());
        }, 50);
        // The used code moved towards (1, 1); the loss has no gradient for the others.
        float[] after = vq.codebook().toFloatArray();
        boolean moved = false;
        for (int k = 0; k < 4; k++) {
            if (Math.hypot(after[2 * k] - 1, after[2 * k + 1] - 1) < 0.5) {
                moved = true;
            }
        }
        assertTrue(moved, "no code moved to (1, 1): " + java.util.Arrays.toString(after) + " from " + before);
    }

    @Test
    void emaCodebookFollowsItsClosedFormWithRestartsOff() {
        // K = 3 codes at known places; restarts off, so only the EMA moves codes. Code 0 receives
        // three vectors, code 1 two, code 2 none.
        double gamma = 0.9;
        double eps = 1e-5;
        VectorQuantizer vq = new VectorQuantizer(new VectorQuantizerConfig(3, 2, 0.25, CodebookUpdate.EMA, gamma, eps, 0));
        vq.initialize(manager, DataType.FLOAT64, new Shape(5, 2));
        double[][] e0 = {{0, 0}, {10, 0}, {0, 10}};
        vq.resetCodebook(manager.create(new double[] {0, 0, 10, 0, 0, 10}, new Shape(3, 2)));
        double[][] x = {{1, 1}, {-1, 1}, {1, -1}, {9, 1}, {11, 1}};
        int[] assigned = {0, 0, 0, 1, 1};
        double[] count = new double[3];
        double[][] sum = new double[3][2];
        for (int i = 0; i < x.length; i++) {
            count[assigned[i]]++;
            sum[assigned[i]][0] += x[i][0];
            sum[assigned[i]][1] += x[i][1];
        }
        // The closed form from N_k = 1, m_k = e_k(0): after t identical batches
        //   N_k = γ^t + (1 − γ^t) n_k,   m_k = γ^t e_k(0) + (1 − γ^t) S_k,   e_k = m_k / Ñ_k.
        ParameterStore ps = new ParameterStore(manager, false);
        NDArray batch = manager.create(new double[] {1, 1, -1, 1, 1, -1, 9, 1, 11, 1}, new Shape(5, 2));
        for (int t = 1; t <= 40; t++) {
            try (NDManager scope = manager.newSubManager()) {
                NDArray in = batch.duplicate();
                in.attach(scope);
                assertArrayEquals(new long[] {0, 0, 0, 1, 1}, vq.quantize(ps, in, true).indices().toLongArray());
            }
            double g = Math.pow(gamma, t);
            double[] n = new double[3];
            double total = 0;
            for (int k = 0; k < 3; k++) {
                n[k] = g + (1 - g) * count[k];
                total += n[k];
            }
            double[] codes = vq.codebook().toDoubleArray();
            double[] sizes = vq.clusterSizes().toDoubleArray();
            for (int k = 0; k < 3; k++) {
                double smoothed = (n[k] + eps) * total / (total + 3 * eps);
                for (int j = 0; j < 2; j++) {
                    double m = g * e0[k][j] + (1 - g) * sum[k][j];
                    assertEquals(m / smoothed, codes[2 * k + j], 1e-9, "e_" + k + "," + j + " at t = " + t);
                }
                assertEquals(n[k], sizes[k], 1e-12, "N_" + k + " at t = " + t);
            }
        }
        double[] codes = vq.codebook().toDoubleArray();
        // The unused code kept its value (m and N both shrank by γ^t; only the ε smoothing remains).
        assertEquals(0, codes[4], 1e-12);
        assertEquals(10, codes[5], 10 * 1e-3);
        // The used codes moved to the means of their vectors, (1/3, 1/3) and (10, 1).
        assertEquals(1.0 / 3, codes[0], 0.01);
        assertEquals(1.0 / 3, codes[1], 0.01);
        assertEquals(10, codes[2], 0.01);
        assertEquals(1, codes[3], 0.01);
    }

    @Test
    void quantisationGradientsAreTwoBetaResidualsOverTheBatchWhateverTheGrid() {
        // Per-example sums averaged over the batch: ∂commitment/∂z_e = 2β(z_e − z_q)/N and
        // ∂codebook/∂e_k = (2/N) Σ_{i→k} (e_k − z_i), the same per element for every D·h·w.
        long[][] shapes = {{3, 4}, {3, 4, 1, 1}, {3, 4, 3, 3}, {2, 8, 2, 5}};
        for (long[] shape : shapes) {
            int d = (int) shape[1];
            long n = shape[0];
            VectorQuantizerConfig config = new VectorQuantizerConfig(6, d, 0.3, CodebookUpdate.GRADIENT, 0.99, 1e-5, 0);
            VectorQuantizer vq = new VectorQuantizer(config);
            vq.initialize(manager, DataType.FLOAT64, new Shape(shape));
            NDArray ze = manager.randomNormal(0, 0.5f, new Shape(shape), DataType.FLOAT64);
            ze.setRequiresGradient(true);
            VectorQuantizer.Quantized q;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                q = vq.quantize(new ParameterStore(manager, false), ze, true);
                gc.backward(q.commitmentLoss().add(q.codebookLoss()));
            }
            NDArray zq = vq.lookup(q.indices());
            double[] expected = ze.sub(zq).mul(2 * config.commitment() / n).toDoubleArray();
            assertArrayEquals(expected, ze.getGradient().toDoubleArray(), 1e-12, "dCommitment/dz_e, shape "
                    + java.util.Arrays.toString(shape));
            NDArray flat = shape.length == 4 ? ze.transpose(0, 2, 3, 1).reshape(-1, d) : ze;
            NDArray oneHot = q.indices().reshape(-1).oneHot(6, DataType.FLOAT64);
            // (2/N) (n_k e_k − Σ_{i→k} z_i)
            NDArray codebookGrad = vq.codebook().mul(oneHot.sum(new int[] {0}).expandDims(1))
                    .sub(oneHot.transpose().matMul(flat)).mul(2.0 / n);
            assertArrayEquals(codebookGrad.toDoubleArray(), vq.codebook().getGradient().toDoubleArray(), 1e-12,
                    "dCodebook/de, shape " + java.util.Arrays.toString(shape));
        }
    }

    @Test
    void quantisationTermsAddUpOverLatentVectorsLikeAReconstructionOverPixels() {
        // The same vectors tiled over an h × w grid: h·w latent vectors per example cost h·w times
        // one, so β weighs each latent component the same whatever the grid (a mean would not change).
        VectorQuantizerConfig config = new VectorQuantizerConfig(5, 3, 0.25, CodebookUpdate.GRADIENT, 0.99, 1e-5, 0);
        VectorQuantizer vq = new VectorQuantizer(config);
        vq.initialize(manager, DataType.FLOAT64, new Shape(4, 3));
        NDArray z = manager.randomNormal(0, 0.5f, new Shape(4, 3), DataType.FLOAT64);
        NDArray tiled = z.reshape(4, 3, 1, 1).broadcast(new Shape(4, 3, 3, 5)).duplicate();
        ParameterStore ps = new ParameterStore(manager, false);
        VectorQuantizer.Quantized one = vq.quantize(ps, z, false);
        VectorQuantizer.Quantized grid = vq.quantize(ps, tiled, false);
        assertEquals(15 * one.commitmentLoss().getDouble(), grid.commitmentLoss().getDouble(), 1e-12);
        assertEquals(15 * one.codebookLoss().getDouble(), grid.codebookLoss().getDouble(), 1e-12);
        NDArray zq = vq.lookup(one.indices());
        double perExample = z.sub(zq).square().sum().getDouble() / 4;
        assertEquals(perExample, one.codebookLoss().getDouble(), 1e-12);
        assertEquals(0.25 * perExample, one.commitmentLoss().getDouble(), 1e-12);
    }

    @Test
    void saveLoadRoundTrip() {
        BlockChecks.assertSaveLoadRoundTrip(manager, () -> new VectorQuantizer(VectorQuantizerConfig.defaults(6, 4)),
                new ai.djl.ndarray.NDList(manager.randomNormal(new Shape(2, 4, 3, 3))));
    }
}
