package io.gen4j.diffusion.discrete;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The forward CTMC: closed-form transition probabilities against the matrix exponential of the rate
 * matrix (an independent scaling-and-squaring Taylor series), schedules against the numerical
 * integral of their rates, and the noising sampler against the transition probabilities.
 */
class SeddForwardProcessTest {

    /** exp(A) by scaling and squaring with a 30-term Taylor series, in double. */
    static double[][] expm(double[][] a) {
        int n = a.length;
        double norm = 0;
        for (double[] row : a) {
            double s = 0;
            for (double v : row) {
                s += Math.abs(v);
            }
            norm = Math.max(norm, s);
        }
        int squarings = Math.max(0, (int) Math.ceil(Math.log(norm / 0.25) / Math.log(2)));
        double scale = Math.pow(2, -squarings);
        double[][] x = new double[n][n];
        double[][] term = new double[n][n];
        for (int i = 0; i < n; i++) {
            x[i][i] = 1;
            term[i][i] = 1;
        }
        for (int k = 1; k <= 30; k++) {
            double[][] next = new double[n][n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int m = 0; m < n; m++) {
                        s += term[i][m] * a[m][j] * scale;
                    }
                    next[i][j] = s / k;
                }
            }
            term = next;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    x[i][j] += term[i][j];
                }
            }
        }
        for (int s = 0; s < squarings; s++) {
            double[][] sq = new double[n][n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    for (int m = 0; m < n; m++) {
                        sq[i][j] += x[i][m] * x[m][j];
                    }
                }
            }
            x = sq;
        }
        return x;
    }

    static double[][] scaled(double[][] q, double c) {
        double[][] out = new double[q.length][q.length];
        for (int i = 0; i < q.length; i++) {
            for (int j = 0; j < q.length; j++) {
                out[i][j] = q[i][j] * c;
            }
        }
        return out;
    }

    @Test
    void transitionsAreTheMatrixExponentialOfTheRateMatrix() {
        for (DiscreteProcess p : List.of(new UniformProcess(5), new AbsorbingProcess(4))) {
            double[][] q = p.rateMatrix();
            for (int i = 0; i < q.length; i++) {
                double sum = 0;
                for (int j = 0; j < q.length; j++) {
                    sum += q[i][j];
                    if (i != j) {
                        assertTrue(q[i][j] >= 0, "off-diagonal rates are >= 0");
                    }
                }
                assertEquals(0, sum, 1e-12, p + ": rows of Q sum to 0");
            }
            for (double sigmaBar : new double[] {0, 1e-3, 0.3, 1.7, 6.0}) {
                double[][] expected = expm(scaled(q, sigmaBar));
                double[][] actual = p.transition(sigmaBar);
                for (int i = 0; i < q.length; i++) {
                    for (int j = 0; j < q.length; j++) {
                        assertEquals(expected[i][j], actual[i][j], 1e-12,
                                p + " σ̄=" + sigmaBar + " entry " + i + "," + j);
                    }
                }
            }
        }
    }

    @Test
    void limitsAreUniformAndAllMask() {
        double[][] u = new UniformProcess(4).transition(Double.POSITIVE_INFINITY);
        double[][] a = new AbsorbingProcess(4).transition(Double.POSITIVE_INFINITY);
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                assertEquals(0.25, u[i][j], 1e-15);
            }
            assertEquals(1, a[i][4], 1e-15);
        }
    }

    @Test
    void totalNoiseIsTheIntegralOfTheRate() {
        for (NoiseLevel noise : List.of(new LogLinearNoise(1e-3), LogLinearNoise.complete(), GeometricNoise.defaults(),
                new GeometricNoise(0.01, 5))) {
            double start = noise.total(0);
            for (double t : new double[] {0.1, 0.5, 0.9, 0.99}) {
                // Simpson's rule on 20 000 intervals
                int m = 20_000;
                double h = t / m;
                double s = noise.rate(0) + noise.rate(t);
                for (int k = 1; k < m; k++) {
                    s += (k % 2 == 1 ? 4 : 2) * noise.rate(k * h);
                }
                assertEquals(noise.total(t) - start, s * h / 3, 1e-8 * Math.max(1, noise.total(t)), noise + " at " + t);
                assertEquals(Math.exp(-noise.total(t)), noise.survival(t), 1e-12);
                assertEquals(noise.rate(t) / Math.expm1(noise.total(t)), noise.rateOverExpm1(t),
                        1e-9 * noise.rateOverExpm1(t), noise + " σ/(e^σ̄ − 1) at " + t);
            }
        }
        assertEquals(0, LogLinearNoise.complete().survival(1));
        assertEquals(Double.POSITIVE_INFINITY, LogLinearNoise.complete().total(1));
        assertEquals(1e-3, new LogLinearNoise(1e-3).survival(1), 1e-15);
    }

    @Test
    void perturbDrawsFromTheTransitionProbabilities() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(5);
            int n = 40_000;
            for (DiscreteProcess p : List.of(new UniformProcess(4), new AbsorbingProcess(4))) {
                double sigmaBar = 0.8;
                double[] survival = new double[n];
                java.util.Arrays.fill(survival, Math.exp(-sigmaBar));
                NDArray x0 = m.ones(new ai.djl.ndarray.types.Shape(n, 1), DataType.INT64).mul(2);
                long[] xt = p.perturb(x0, survival).toLongArray();
                double[] freq = new double[p.states()];
                for (long v : xt) {
                    freq[(int) v] += 1.0 / n;
                }
                double[] expected = p.transition(sigmaBar)[2];
                for (int j = 0; j < p.states(); j++) {
                    double se = Math.sqrt(expected[j] * (1 - expected[j]) / n);
                    assertEquals(expected[j], freq[j], 5 * se + 1e-9, p + " state " + j);
                }
            }
        }
    }

    @Test
    void theAbsorbingPriorTermIsFiniteOnlyWhenEverythingIsMasked() {
        assertEquals(0, new AbsorbingProcess(3).priorKl(LogLinearNoise.complete()));
        assertThrows(IllegalArgumentException.class, () -> new AbsorbingProcess(3).priorKl(new LogLinearNoise(1e-3)));
        // uniform: KL(p_1(.|x0) || U) from the transition row
        UniformProcess u = new UniformProcess(5);
        GeometricNoise g = new GeometricNoise(1e-4, 3);
        double[] row = u.transition(3)[0];
        double kl = 0;
        for (double v : row) {
            kl += v * Math.log(v * 5);
        }
        assertEquals(kl, u.priorKl(g), 1e-12);
    }
}
