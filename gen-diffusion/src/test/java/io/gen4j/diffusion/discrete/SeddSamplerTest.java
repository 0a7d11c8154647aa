package io.gen4j.diffusion.discrete;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.gen4j.core.testing.BlockChecks;
import org.junit.jupiter.api.Test;

/**
 * The samplers on the exact concrete scores of a known distribution over 3² sequences: in the
 * many-step limit both reproduce it (total variation within sampling noise plus a stated
 * discretisation error); infilling keeps the given tokens and, for the absorbing process, draws
 * the others from the true conditional; loops leave the manager as they found it.
 */
class SeddSamplerTest {

    /** A correlated distribution over (x_1, x_2) in {0, 1, 2}², index x_1 + 3·x_2. */
    static final double[] P0 = {0.30, 0.02, 0.08, 0.05, 0.20, 0.05, 0.02, 0.08, 0.20};

    static double[] histogram(long[] samples, int length, int tokens) {
        double[] h = new double[P0.length];
        int n = samples.length / length;
        for (int b = 0; b < n; b++) {
            int k = 0;
            int base = 1;
            for (int i = 0; i < length; i++) {
                k += (int) samples[b * length + i] * base;
                base *= tokens;
            }
            h[k] += 1.0 / n;
        }
        return h;
    }

    static double totalVariation(double[] a, double[] b) {
        double tv = 0;
        for (int i = 0; i < a.length; i++) {
            tv += Math.abs(a[i] - b[i]) / 2;
        }
        return tv;
    }

    static double sampleTv(DiscreteProcess process, NoiseLevel noise, DiscreteSampler sampler, int steps, int n,
            long seed) {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed((int) seed);
            DiscreteDiffusion model = new DiscreteDiffusion(new ExactScoreNetwork(process, noise, 2, P0), process, noise);
            NDArray x = sampler.sample(model, process.limit(m, n, 2), TokenCondition.none(), steps, false).samples();
            return totalVariation(histogram(x.toLongArray(), 2, 3), P0);
        }
    }

    // With n = 6000 the sampling noise of the TV over 9 cells is about 0.01 (E ≈ Σ sqrt(p(1−p)/n)·0.4).
    // Measured: absorbing analytic 0.007, absorbing Euler 0.008, uniform analytic 0.008, uniform Euler 0.010.
    @Test
    void absorbingSamplersReproduceTheDistribution() {
        AbsorbingProcess p = new AbsorbingProcess(3);
        NoiseLevel noise = LogLinearNoise.complete();
        assertTrue(sampleTv(p, noise, new AnalyticSampler(), 64, 6000, 1) < 0.03);
        assertTrue(sampleTv(p, noise, new EulerSampler(), 256, 6000, 2) < 0.03);
    }

    @Test
    void uniformSamplersReproduceTheDistribution() {
        UniformProcess p = new UniformProcess(3);
        NoiseLevel noise = new GeometricNoise(1e-4, 12);
        assertTrue(sampleTv(p, noise, new AnalyticSampler(), 128, 6000, 3) < 0.03);
        assertTrue(sampleTv(p, noise, new EulerSampler(), 512, 6000, 4) < 0.03);
    }

    @Test
    void fewEulerStepsAreWorseThanManyOnTheUniformProcess() {
        UniformProcess p = new UniformProcess(3);
        NoiseLevel noise = new GeometricNoise(1e-4, 12);
        double coarse = sampleTv(p, noise, new EulerSampler(), 4, 6000, 5);
        double fine = sampleTv(p, noise, new EulerSampler(), 512, 6000, 5);
        assertTrue(coarse > fine + 0.02, "4 steps " + coarse + " vs 512 steps " + fine);
    }

    @Test
    void infillingKeepsTheGivenTokensAndDrawsTheTrueConditional() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(7);
            int n = 6000;
            for (DiscreteProcess p : new DiscreteProcess[] {new AbsorbingProcess(3), new UniformProcess(3)}) {
                NoiseLevel noise = p instanceof AbsorbingProcess ? LogLinearNoise.complete() : new GeometricNoise(1e-4, 12);
                DiscreteDiffusion model = new DiscreteDiffusion(new ExactScoreNetwork(p, noise, 2, P0), p, noise);
                TokenCondition given = TokenCondition.of(m, new int[] {-1, 2}); // x_2 = 2, x_1 free
                for (DiscreteSampler sampler : new DiscreteSampler[] {new AnalyticSampler(), new EulerSampler()}) {
                    DiscreteSamplerResult r = sampler.sample(model, p.limit(m, n, 2), given, 32, true);
                    long[] x = r.samples().toLongArray();
                    double[] first = new double[3];
                    for (int b = 0; b < n; b++) {
                        assertEquals(2, x[b * 2 + 1], "the given token changed");
                        first[(int) x[b * 2]] += 1.0 / n;
                    }
                    for (NDArray step : r.trajectory()) {
                        long[] s = step.toLongArray();
                        for (int b = 0; b < n; b++) {
                            assertEquals(2, s[b * 2 + 1], "the given token is not held during sampling");
                        }
                    }
                    assertEquals(33, r.trajectory().size());
                    if (p instanceof AbsorbingProcess) {
                        // p(x_1 | x_2 = 2) = (0.02, 0.08, 0.20)/0.30; the analytic absorbing sampler is exact here
                        double[] want = {0.02 / 0.30, 0.08 / 0.30, 0.20 / 0.30};
                        for (int y = 0; y < 3; y++) {
                            assertEquals(want[y], first[y], 0.03, sampler + " x_1 = " + y);
                        }
                    }
                }
            }
        }
    }

    @Test
    void samplingLeavesTheManagerAsItFoundIt() {
        try (NDManager m = NDManager.newBaseManager()) {
            AbsorbingProcess p = new AbsorbingProcess(3);
            NoiseLevel noise = LogLinearNoise.complete();
            DiscreteDiffusion model = new DiscreteDiffusion(new ExactScoreNetwork(p, noise, 2, P0), p, noise);
            for (DiscreteSampler sampler : new DiscreteSampler[] {new AnalyticSampler(), new EulerSampler()}) {
                int before = BlockChecks.countManagedArrays(m);
                for (int rep = 0; rep < 3; rep++) {
                    NDArray start = p.limit(m, 16, 2);
                    DiscreteSamplerResult r = sampler.sample(model, start, TokenCondition.none(), 20, false);
                    r.samples().close();
                    start.close();
                }
                assertEquals(before, BlockChecks.countManagedArrays(m), sampler + " left arrays behind");
            }
        }
    }
}
