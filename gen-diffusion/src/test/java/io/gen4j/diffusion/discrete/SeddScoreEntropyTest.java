package io.gen4j.diffusion.discrete;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The score entropy: the stable forms of the processes against the definition
 * σ Σ_{y≠x_t} Q(y, x_t) [s_y − r_y log s_y + K(r_y)] computed in double from the transition
 * probabilities; zero at the conditional ratios; and, in expectation over a tiny chain, minimised at
 * the true marginal ratios p_t(y)/p_t(x_t).
 */
class SeddScoreEntropyTest {

    private static final double[] P0 = {0.5, 0.3, 0.2};

    /** The definition, in double. */
    static double definition(DiscreteProcess p, double[] logS, int xt, int x0, double t, NoiseLevel noise) {
        double[][] q = p.rateMatrix();
        double[][] tr = p.transition(noise.total(t));
        double sum = 0;
        for (int y = 0; y < p.states(); y++) {
            if (y == xt || q[y][xt] == 0) {
                continue;
            }
            double r = tr[x0][y] / tr[x0][xt];
            double k = r == 0 ? 0 : r * (Math.log(r) - 1);
            sum += q[y][xt] * (Math.exp(logS[y]) - r * logS[y] + k);
        }
        return noise.rate(t) * sum;
    }

    record Pair(int x0, int xt, double weight) {}

    /** Every (x_0, x_t) with p_0(x_0) p_t(x_t | x_0) > 0. */
    static List<Pair> pairs(DiscreteProcess p, double sigmaBar) {
        double[][] tr = p.transition(sigmaBar);
        List<Pair> out = new ArrayList<>();
        for (int x0 = 0; x0 < p.tokens(); x0++) {
            for (int xt = 0; xt < p.states(); xt++) {
                if (tr[x0][xt] > 0) {
                    out.add(new Pair(x0, xt, P0[x0] * tr[x0][xt]));
                }
            }
        }
        return out;
    }

    /** DSE of each pair from the process's stable form, with the given ℓ rows (one per pair). */
    static double[] stable(NDManager m, DiscreteProcess p, List<Pair> pairs, float[][] ell, double t, NoiseLevel noise) {
        int n = pairs.size();
        long[] x0 = new long[n];
        long[] xt = new long[n];
        float[] flat = new float[n * p.states()];
        for (int i = 0; i < n; i++) {
            x0[i] = pairs.get(i).x0();
            xt[i] = pairs.get(i).xt();
            System.arraycopy(ell[i], 0, flat, i * p.states(), p.states());
        }
        double[] ts = new double[n];
        java.util.Arrays.fill(ts, t);
        NDArray out = p.scoreEntropy(m.create(flat, new Shape(n, 1, p.states())), m.create(xt, new Shape(n, 1)),
                m.create(x0, new Shape(n, 1)), ts, noise);
        float[] v = out.toFloatArray();
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = v[i];
        }
        return d;
    }

    static double[] logScores(NDManager m, DiscreteProcess p, float[] ell, int xt, double sigmaBar) {
        float[] v = p.logScore(m.create(ell, new Shape(1, 1, p.states())), m.create(new long[] {xt}, new Shape(1, 1)),
                sigmaBar).toFloatArray();
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    static List<Object[]> cases() {
        return List.of(new Object[] {new UniformProcess(3), GeometricNoise.defaults()},
                new Object[] {new UniformProcess(3), new LogLinearNoise(1e-3)},
                new Object[] {new AbsorbingProcess(3), LogLinearNoise.complete()},
                new Object[] {new AbsorbingProcess(3), new GeometricNoise(1e-3, 8)},
                new Object[] {AbsorbingProcess.normalized(3), LogLinearNoise.complete()},
                new Object[] {AbsorbingProcess.normalized(3), new GeometricNoise(1e-3, 8)});
    }

    /**
     * The normalised reading of the absorbing process turns the score entropy of a masked position into
     * the cross-entropy of a softmax over the real tokens weighted by σ/(e^{σ̄} − 1) (1/t under the
     * complete log-linear schedule), computed here in double from the raw output; unmasked positions
     * cost 0.
     */
    @Test
    void normalisedAbsorbingLossIsAWeightedCrossEntropy() {
        Random random = new Random(4);
        AbsorbingProcess p = AbsorbingProcess.normalized(3);
        NoiseLevel noise = LogLinearNoise.complete();
        try (NDManager m = NDManager.newBaseManager()) {
            for (double t : new double[] {0.05, 0.5, 0.95}) {
                List<Pair> pairs = pairs(p, noise.total(t));
                float[][] raw = new float[pairs.size()][p.states()];
                for (float[] row : raw) {
                    for (int j = 0; j < row.length; j++) {
                        row[j] = (float) (2 * random.nextGaussian());
                    }
                }
                double[] got = stable(m, p, pairs, raw, t, noise);
                for (int i = 0; i < pairs.size(); i++) {
                    Pair pr = pairs.get(i);
                    double want = 0;
                    if (pr.xt() == p.mask()) {
                        double z = 0;
                        for (int y = 0; y < p.tokens(); y++) {
                            z += Math.exp(raw[i][y]);
                        }
                        want = (Math.log(z) - raw[i][pr.x0()]) / t;
                    }
                    assertEquals(want, got[i], 2e-5 * Math.max(1, Math.abs(want)), "t=" + t + " pair " + pr);
                }
            }
        }
    }

    @Test
    void stableFormEqualsTheDefinition() {
        Random random = new Random(1);
        try (NDManager m = NDManager.newBaseManager()) {
            for (Object[] c : cases()) {
                DiscreteProcess p = (DiscreteProcess) c[0];
                NoiseLevel noise = (NoiseLevel) c[1];
                for (double t : new double[] {0.05, 0.4, 0.9}) {
                    List<Pair> pairs = pairs(p, noise.total(t));
                    float[][] ell = new float[pairs.size()][p.states()];
                    for (float[] row : ell) {
                        for (int j = 0; j < row.length; j++) {
                            row[j] = (float) random.nextGaussian();
                        }
                    }
                    double[] got = stable(m, p, pairs, ell, t, noise);
                    for (int i = 0; i < pairs.size(); i++) {
                        Pair pr = pairs.get(i);
                        double want = definition(p, logScores(m, p, ell[i], pr.xt(), noise.total(t)), pr.xt(), pr.x0(),
                                t, noise);
                        assertEquals(want, got[i], 2e-5 * Math.max(1, Math.abs(want)),
                                p + " " + noise + " t=" + t + " pair " + pr);
                    }
                }
            }
        }
    }

    /** ℓ whose concrete score is the given ratio vector (log-scores; −40 stands for log 0). */
    static float[] outputFor(DiscreteProcess p, double[] ratio, double sigmaBar) {
        float[] ell = new float[p.states()];
        double shift = p instanceof AbsorbingProcess ? Math.log(Math.expm1(sigmaBar)) + Math.log(p.tokens()) : 0;
        for (int y = 0; y < p.states(); y++) {
            ell[y] = (float) (ratio[y] > 0 ? Math.log(ratio[y]) + shift : -40);
        }
        return ell;
    }

    @Test
    void zeroExactlyAtTheConditionalRatiosAndPositiveElsewhere() {
        Random random = new Random(2);
        try (NDManager m = NDManager.newBaseManager()) {
            for (Object[] c : cases()) {
                DiscreteProcess p = (DiscreteProcess) c[0];
                NoiseLevel noise = (NoiseLevel) c[1];
                double t = 0.5;
                double[][] tr = p.transition(noise.total(t));
                List<Pair> pairs = pairs(p, noise.total(t));
                float[][] ell = new float[pairs.size()][];
                float[][] moved = new float[pairs.size()][];
                for (int i = 0; i < pairs.size(); i++) {
                    double[] r = new double[p.states()];
                    for (int y = 0; y < r.length; y++) {
                        r[y] = tr[pairs.get(i).x0()][y] / tr[pairs.get(i).x0()][pairs.get(i).xt()];
                    }
                    ell[i] = outputFor(p, r, noise.total(t));
                    moved[i] = ell[i].clone();
                    for (int y = 0; y < moved[i].length; y++) {
                        moved[i][y] += (float) (0.3 * random.nextGaussian());
                    }
                }
                double[] atOptimum = stable(m, p, pairs, ell, t, noise);
                double[] off = stable(m, p, pairs, moved, t, noise);
                for (int i = 0; i < pairs.size(); i++) {
                    assertEquals(0, atOptimum[i], 1e-5, p + " " + noise + " pair " + pairs.get(i));
                    // the absorbing conditional ratio is a vertex of the simplex (all mass on x_0): the
                    // normalised reading maps the perturbed output back onto it, so only the raw readings
                    // must move away from 0
                    boolean hasTerms = !(p instanceof AbsorbingProcess a)
                            || pairs.get(i).xt() == p.tokens() && !a.normalized();
                    if (hasTerms) {
                        assertTrue(off[i] > 10 * Math.abs(atOptimum[i]), p + " pair " + pairs.get(i) + ": " + off[i]
                                + " vs " + atOptimum[i]);
                    }
                }
            }
        }
    }

    @Test
    void expectedLossIsMinimisedAtTheTrueMarginalRatios() {
        Random random = new Random(3);
        try (NDManager m = NDManager.newBaseManager()) {
            for (Object[] c : cases()) {
                DiscreteProcess p = (DiscreteProcess) c[0];
                NoiseLevel noise = (NoiseLevel) c[1];
                for (double t : new double[] {0.2, 0.7}) {
                    double sigmaBar = noise.total(t);
                    double[][] tr = p.transition(sigmaBar);
                    double[] pt = new double[p.states()];
                    for (int x0 = 0; x0 < p.tokens(); x0++) {
                        for (int y = 0; y < p.states(); y++) {
                            pt[y] += P0[x0] * tr[x0][y];
                        }
                    }
                    List<Pair> pairs = pairs(p, sigmaBar);
                    float[][] best = new float[pairs.size()][];
                    for (int i = 0; i < pairs.size(); i++) {
                        double[] r = new double[p.states()];
                        for (int y = 0; y < r.length; y++) {
                            r[y] = pt[y] / pt[pairs.get(i).xt()];
                        }
                        best[i] = outputFor(p, r, sigmaBar);
                    }
                    double optimum = expected(stable(m, p, pairs, best, t, noise), pairs);
                    for (int trial = 0; trial < 20; trial++) {
                        double scale = trial < 10 ? 0.05 : 0.4;
                        // one perturbation per x_t (the score is a function of x_t only)
                        float[][] delta = new float[p.states()][p.states()];
                        for (float[] row : delta) {
                            for (int y = 0; y < row.length; y++) {
                                row[y] = (float) (scale * random.nextGaussian());
                            }
                        }
                        float[][] moved = new float[pairs.size()][];
                        for (int i = 0; i < pairs.size(); i++) {
                            moved[i] = best[i].clone();
                            for (int y = 0; y < p.states(); y++) {
                                moved[i][y] += delta[pairs.get(i).xt()][y];
                            }
                        }
                        double value = expected(stable(m, p, pairs, moved, t, noise), pairs);
                        assertTrue(value > optimum, p + " " + noise + " t=" + t + ": perturbed " + value
                                + " <= optimum " + optimum);
                    }
                }
            }
        }
    }

    private static double expected(double[] dse, List<Pair> pairs) {
        double e = 0;
        for (int i = 0; i < dse.length; i++) {
            e += pairs.get(i).weight() * dse[i];
        }
        return e;
    }
}
