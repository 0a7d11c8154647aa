package io.gen4j.diffusion.discrete;

import java.util.Random;

/**
 * A synthetic language with a known entropy: a stationary first-order Markov chain over a small
 * alphabet with sparse transitions. A sequence x_1 … x_L starts from the stationary distribution π
 * and follows P, so its entropy is exactly
 *
 * <pre>
 *   H(X_1 … X_L) = H(π) + (L − 1)·h,   h = −Σ_i π_i Σ_j P_ij log P_ij   (the entropy rate)
 * </pre>
 *
 * which is what a model's (bound on the) negative log-likelihood per sequence is checked against.
 *
 * @param transition P, row-stochastic, irreducible and aperiodic
 */
public record MarkovLanguage(double[][] transition) {

    /** Validates and copies. */
    public MarkovLanguage {
        int k = transition.length;
        double[][] copy = new double[k][];
        for (int i = 0; i < k; i++) {
            if (transition[i].length != k) {
                throw new IllegalArgumentException("the transition matrix must be square");
            }
            double sum = 0;
            for (double p : transition[i]) {
                if (!(p >= 0)) {
                    throw new IllegalArgumentException("probabilities must be >= 0, got " + p);
                }
                sum += p;
            }
            if (Math.abs(sum - 1) > 1e-9) {
                throw new IllegalArgumentException("row " + i + " sums to " + sum + ", not 1");
            }
            copy[i] = transition[i].clone();
        }
        transition = copy;
    }

    /**
     * A random sparse chain: from each symbol i, {@code successors} distinct next symbols (always
     * including i + 1 mod K, which makes the chain irreducible, and i itself, which makes it
     * aperiodic) with weights drawn uniformly from [0.2, 1] and normalised.
     *
     * @param symbols K, at least 2
     * @param successors next symbols per state, in [2, K]
     * @param seed the seed
     * @return the chain
     */
    public static MarkovLanguage randomSparse(int symbols, int successors, long seed) {
        if (symbols < 2 || successors < 2 || successors > symbols) {
            throw new IllegalArgumentException("need 2 <= successors <= symbols, got " + successors + ", " + symbols);
        }
        Random random = new Random(seed);
        double[][] p = new double[symbols][symbols];
        for (int i = 0; i < symbols; i++) {
            p[i][i] = 0.2 + 0.8 * random.nextDouble();
            p[i][(i + 1) % symbols] = 0.2 + 0.8 * random.nextDouble();
            int chosen = 2;
            while (chosen < successors) {
                int j = random.nextInt(symbols);
                if (p[i][j] == 0) {
                    p[i][j] = 0.2 + 0.8 * random.nextDouble();
                    chosen++;
                }
            }
            double sum = 0;
            for (double v : p[i]) {
                sum += v;
            }
            for (int j = 0; j < symbols; j++) {
                p[i][j] /= sum;
            }
        }
        return new MarkovLanguage(p);
    }

    /** @return K */
    public int symbols() {
        return transition.length;
    }

    @Override
    public double[][] transition() {
        double[][] copy = new double[transition.length][];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = transition[i].clone();
        }
        return copy;
    }

    /** @return π with πP = π (power iteration to 1e-15) */
    public double[] stationary() {
        int k = symbols();
        double[] pi = new double[k];
        java.util.Arrays.fill(pi, 1.0 / k);
        for (int it = 0; it < 100_000; it++) {
            double[] next = new double[k];
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                    next[j] += pi[i] * transition[i][j];
                }
            }
            double diff = 0;
            for (int j = 0; j < k; j++) {
                diff += Math.abs(next[j] - pi[j]);
            }
            pi = next;
            if (diff < 1e-15) {
                break;
            }
        }
        return pi;
    }

    /** @return the entropy rate h in nats per symbol */
    public double entropyRate() {
        double[] pi = stationary();
        double h = 0;
        for (int i = 0; i < pi.length; i++) {
            for (double p : transition[i]) {
                if (p > 0) {
                    h -= pi[i] * p * Math.log(p);
                }
            }
        }
        return h;
    }

    /**
     * @param length L
     * @return H(X_1 … X_L) in nats
     */
    public double sequenceEntropy(int length) {
        double h0 = 0;
        for (double p : stationary()) {
            if (p > 0) {
                h0 -= p * Math.log(p);
            }
        }
        return h0 + (length - 1) * entropyRate();
    }

    /**
     * @param sequence the symbols
     * @param length L, how many of them
     * @return the exact log-probability of the sequence under the chain (stationary start)
     */
    public double logProbability(long[] sequence, int length) {
        double[] pi = stationary();
        double lp = Math.log(pi[(int) sequence[0]]);
        for (int i = 1; i < length; i++) {
            lp += Math.log(transition[(int) sequence[i - 1]][(int) sequence[i]]);
        }
        return lp;
    }

    /**
     * A long stream from the stationary distribution (for {@link TokenWindows}: every window of a
     * stationary stream is a sequence of the language).
     *
     * @param size tokens
     * @param seed the seed
     * @return the stream
     */
    public int[] stream(int size, long seed) {
        Random random = new Random(seed);
        int[] out = new int[size];
        out[0] = draw(stationary(), random);
        for (int i = 1; i < size; i++) {
            out[i] = draw(transition[out[i - 1]], random);
        }
        return out;
    }

    private static int draw(double[] p, Random random) {
        double u = random.nextDouble();
        double c = 0;
        for (int j = 0; j < p.length; j++) {
            c += p[j];
            if (u < c) {
                return j;
            }
        }
        return p.length - 1;
    }
}
