package io.gen4j.diffusion.discrete;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * The exact network output of a tiny distribution over short sequences, by enumeration: for the
 * uniform process log p_t(x with token i set to y) − log p_t(x); for the absorbing process log(N ·
 * p_0(x_i = y | the unmasked tokens)) at masked positions. An oracle for the samplers and the bound.
 */
record ExactScoreNetwork(DiscreteProcess process, NoiseLevel noise, int length, double[] p0) implements ScoreNetwork {

    /** @return the sequence of index k (base-N digits, position 0 first) */
    long[] sequence(int k) {
        long[] x = new long[length];
        for (int i = 0; i < length; i++) {
            x[i] = k % process.tokens();
            k /= process.tokens();
        }
        return x;
    }

    private double marginal(long[] x, double[][] tr) {
        double sum = 0;
        for (int k = 0; k < p0.length; k++) {
            long[] x0 = sequence(k);
            double p = p0[k];
            for (int i = 0; i < length && p > 0; i++) {
                p *= tr[(int) x0[i]][(int) x[i]];
            }
            sum += p;
        }
        return sum;
    }

    @Override
    public NDArray output(NDArray xt, NDArray t) {
        double time = t.toFloatArray()[0];
        double[][] tr = process.transition(noise.total(time));
        long[] all = xt.toLongArray();
        int n = (int) xt.getShape().get(0);
        int s = process.states();
        float[] out = new float[n * length * s];
        for (int b = 0; b < n; b++) {
            long[] x = java.util.Arrays.copyOfRange(all, b * length, (b + 1) * length);
            double base = process instanceof UniformProcess ? marginal(x, tr) : 0;
            for (int i = 0; i < length; i++) {
                for (int y = 0; y < s; y++) {
                    double v;
                    if (process instanceof UniformProcess) {
                        long[] z = x.clone();
                        z[i] = y;
                        v = Math.log(marginal(z, tr) / base);
                    } else {
                        v = x[i] == process.tokens() && y < process.tokens()
                                ? Math.log(process.tokens() * posterior(x, i, y)) : 0;
                    }
                    out[(b * length + i) * s + y] = (float) Math.max(v, -40);
                }
            }
        }
        return xt.getManager().create(out, new Shape(n, length, s));
    }

    /** p_0(x_i = y | the unmasked tokens of x). */
    private double posterior(long[] x, int i, int y) {
        double num = 0;
        double den = 0;
        for (int k = 0; k < p0.length; k++) {
            long[] x0 = sequence(k);
            boolean consistent = true;
            for (int j = 0; j < length; j++) {
                if (x[j] != process.tokens() && x[j] != x0[j]) {
                    consistent = false;
                }
            }
            if (consistent) {
                den += p0[k];
                if (x0[i] == y) {
                    num += p0[k];
                }
            }
        }
        return num / den;
    }
}
