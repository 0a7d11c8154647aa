package io.gen4j.diffusion.discrete;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.gen4j.core.runtime.StopRequestedException;
import io.gen4j.core.runtime.StopSignal;
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

    /**
     * A deterministic language, x_{i+1} = x_i + 1 (mod 3), with a uniform first token: given both ends of
     * a sequence of 5, the middle is determined. With the exact concrete scores (both readings of the
     * absorbing process) every sampler and step count must fill it exactly, the given tokens must stay
     * in place at every step, and the network must see them in its input at every evaluation.
     */
    @Test
    void infillingWithTheExactScoresJoinsBothSidesOfADeterministicLanguage() {
        int length = 5;
        double[] p0 = new double[243];
        for (int a = 0; a < 3; a++) {
            int k = 0;
            int base = 1;
            for (int i = 0; i < length; i++) {
                k += ((a + i) % 3) * base;
                base *= 3;
            }
            p0[k] = 1.0 / 3;
        }
        long[] want = {1, 2, 0, 1, 2};
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(11);
            for (AbsorbingProcess p : new AbsorbingProcess[] {new AbsorbingProcess(3), AbsorbingProcess.normalized(3)}) {
                NoiseLevel noise = LogLinearNoise.complete();
                ExactScoreNetwork exact = new ExactScoreNetwork(p, noise, length, p0);
                int[] evaluations = new int[1];
                ScoreNetwork watched = (xt, t) -> {
                    long[] x = xt.toLongArray();
                    for (int b = 0; b < x.length / length; b++) {
                        assertEquals(1, x[b * length], "the network's input lost the given left token");
                        assertEquals(2, x[b * length + length - 1], "the network's input lost the given right token");
                    }
                    evaluations[0]++;
                    return exact.output(xt, t);
                };
                DiscreteDiffusion model = new DiscreteDiffusion(watched, p, noise);
                TokenCondition given = TokenCondition.of(m, new int[] {1, -1, -1, -1, 2});
                for (DiscreteSampler sampler : new DiscreteSampler[] {new AnalyticSampler(), new EulerSampler()}) {
                    for (int steps : new int[] {1, 4, 16}) {
                        evaluations[0] = 0;
                        DiscreteSamplerResult r = sampler.sample(model, p.limit(m, 32, length), given, steps, true);
                        assertEquals(steps, evaluations[0]);
                        long[] x = r.samples().toLongArray();
                        for (int b = 0; b < 32; b++) {
                            assertArrayEquals(want, java.util.Arrays.copyOfRange(x, b * length, (b + 1) * length),
                                    p + " " + sampler + " " + steps + " steps, sample " + b);
                        }
                        for (NDArray step : r.trajectory()) {
                            long[] y = step.toLongArray();
                            for (int b = 0; b < 32; b++) {
                                assertEquals(1, y[b * length]);
                                assertEquals(2, y[b * length + length - 1]);
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void samplingAndAStopLeaveTheManagerAsTheyFoundIt() {
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
                // a stop (Ctrl-C under the CLI) at the first step, with a trajectory: nothing left either
                try (NDArray start = p.limit(m, 16, 2)) {
                    StopSignal.request("test");
                    assertThrows(StopRequestedException.class,
                            () -> sampler.sample(model, start, TokenCondition.none(), 20, true));
                } finally {
                    StopSignal.clear();
                }
                assertEquals(before, BlockChecks.countManagedArrays(m), sampler + " left arrays behind at a stop");
            }
        }
    }
}
