package io.gen4j.autoencoders;

import java.util.Random;

/**
 * Exact t-SNE (van der Maaten &amp; Hinton 2008): a 2-D layout whose Student-t neighbour
 * probabilities Q match the Gaussian neighbour probabilities P of the data, by gradient descent on
 * KL(P ‖ Q). O(n²) time and memory per iteration: fine for a few thousand points.
 *
 * <pre>
 *   p_{j|i} = exp(−β_i ‖x_i − x_j‖²) / Σ_{k≠i} exp(−β_i ‖x_i − x_k‖²),  β_i set so that 2^{H(P_i)} = perplexity
 *   p_ij    = (p_{j|i} + p_{i|j}) / 2n
 *   q_ij    = (1 + ‖y_i − y_j‖²)⁻¹ / Σ_{k≠l} (1 + ‖y_k − y_l‖²)⁻¹
 *   ∂KL/∂y_i = 4 Σ_j (p_ij − q_ij)(y_i − y_j)(1 + ‖y_i − y_j‖²)⁻¹
 * </pre>
 *
 * <p>Optimisation as in the paper: early exaggeration of P, momentum 0.5 then 0.8, and per-coordinate
 * adaptive gains (Jacobs 1988); the step size is scikit-learn's automatic one unless set ({@link
 * TsneConfig#effectiveLearningRate}). Seeded: the same data and seed give the same layout.
 */
public final class Tsne {

    private final TsneConfig config;
    private double klDivergence = Double.NaN;

    /**
     * @param config hyperparameters
     */
    public Tsne(TsneConfig config) {
        this.config = config;
    }

    /** @return KL(P ‖ Q) of the last {@link #embed} call (without exaggeration), NaN before */
    public double klDivergence() {
        return klDivergence;
    }

    /**
     * Computes a 2-D layout.
     *
     * @param data n rows of dimension d, more rows than the perplexity
     * @return n rows of 2 coordinates
     */
    public double[][] embed(double[][] data) {
        int n = data.length;
        if (n < 2 || config.perplexity() >= n) {
            throw new IllegalArgumentException(
                    "t-SNE needs more points than the perplexity (" + config.perplexity() + "), got " + n);
        }
        double[] p = jointProbabilities(data, config.perplexity());
        double lr = config.effectiveLearningRate(n);
        Random rng = new Random(config.seed());
        double[] y = new double[2 * n];
        for (int i = 0; i < y.length; i++) {
            y[i] = 1e-4 * rng.nextGaussian();
        }
        double[] update = new double[2 * n];
        double[] gains = new double[2 * n];
        java.util.Arrays.fill(gains, 1);
        double[] grad = new double[2 * n];
        double[] num = new double[n * n];
        for (int it = 0; it < config.iterations(); it++) {
            boolean early = it < config.exaggerationIterations();
            double exaggeration = early ? config.earlyExaggeration() : 1;
            double momentum = early ? 0.5 : 0.8;
            double sum = 0;
            for (int i = 0; i < n; i++) {
                for (int j = i + 1; j < n; j++) {
                    double dx = y[2 * i] - y[2 * j];
                    double dy = y[2 * i + 1] - y[2 * j + 1];
                    double q = 1 / (1 + dx * dx + dy * dy);
                    num[i * n + j] = q;
                    num[j * n + i] = q;
                    sum += 2 * q;
                }
            }
            java.util.Arrays.fill(grad, 0);
            for (int i = 0; i < n; i++) {
                double gx = 0;
                double gy = 0;
                for (int j = 0; j < n; j++) {
                    if (i == j) {
                        continue;
                    }
                    double w = num[i * n + j];
                    double coeff = (exaggeration * p[i * n + j] - w / sum) * w;
                    gx += coeff * (y[2 * i] - y[2 * j]);
                    gy += coeff * (y[2 * i + 1] - y[2 * j + 1]);
                }
                grad[2 * i] = 4 * gx;
                grad[2 * i + 1] = 4 * gy;
            }
            for (int k = 0; k < 2 * n; k++) {
                boolean sameSign = Math.signum(grad[k]) == Math.signum(update[k]);
                gains[k] = Math.max(0.01, sameSign ? gains[k] * 0.8 : gains[k] + 0.2);
                update[k] = momentum * update[k] - lr * gains[k] * grad[k];
                y[k] += update[k];
            }
            double mx = 0;
            double my = 0;
            for (int i = 0; i < n; i++) {
                mx += y[2 * i] / n;
                my += y[2 * i + 1] / n;
            }
            for (int i = 0; i < n; i++) {
                y[2 * i] -= mx;
                y[2 * i + 1] -= my;
            }
        }
        klDivergence = kl(p, y, n);
        double[][] out = new double[n][2];
        for (int i = 0; i < n; i++) {
            out[i][0] = y[2 * i];
            out[i][1] = y[2 * i + 1];
        }
        return out;
    }

    /**
     * The symmetric input affinities p_ij = (p_{j|i} + p_{i|j}) / 2n (row-major n×n) from the
     * conditional ones of {@link #conditionalProbabilities}.
     *
     * @param data n rows
     * @param perplexity the target perplexity
     * @return p, summing to 1, zero on the diagonal (off-diagonal entries floored at 1e-12)
     */
    static double[] jointProbabilities(double[][] data, double perplexity) {
        int n = data.length;
        double[] cond = conditionalProbabilities(data, perplexity);
        double[] p = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i != j) {
                    p[i * n + j] = Math.max((cond[i * n + j] + cond[j * n + i]) / (2.0 * n), 1e-12);
                }
            }
        }
        return p;
    }

    /**
     * The conditional neighbour distributions P_i: row i holds p_{j|i} ∝ exp(−β_i ‖x_i − x_j‖²)
     * (p_{i|i} = 0), with β_i found by bisection on the entropy so that the perplexity
     * exp(H(P_i)) = 2^{H(P_i) in bits} equals the target: |H(P_i) − ln perplexity| &lt; 1e-5 nats.
     *
     * @param data n rows
     * @param perplexity the target perplexity
     * @return row-major n×n, each row summing to 1
     */
    static double[] conditionalProbabilities(double[][] data, double perplexity) {
        int n = data.length;
        double[] d2 = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double s = 0;
                for (int k = 0; k < data[i].length; k++) {
                    double diff = data[i][k] - data[j][k];
                    s += diff * diff;
                }
                d2[i * n + j] = s;
                d2[j * n + i] = s;
            }
        }
        double target = Math.log(perplexity);
        double[] cond = new double[n * n];
        double[] row = new double[n];
        for (int i = 0; i < n; i++) {
            double beta = 1;
            double lo = 0;
            double hi = Double.POSITIVE_INFINITY;
            double minD = Double.POSITIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                if (j != i) {
                    minD = Math.min(minD, d2[i * n + j]);
                }
            }
            for (int attempt = 0; attempt < 100; attempt++) {
                double sum = 0;
                double weighted = 0;
                for (int j = 0; j < n; j++) {
                    // Shift by the nearest distance: the same distribution, without underflow.
                    row[j] = j == i ? 0 : Math.exp(-(d2[i * n + j] - minD) * beta);
                    sum += row[j];
                    weighted += row[j] * (d2[i * n + j] - minD);
                }
                double entropy = Math.log(sum) + beta * weighted / sum;
                if (Math.abs(entropy - target) < 1e-5) {
                    break;
                }
                if (entropy > target) {
                    lo = beta;
                    beta = Double.isInfinite(hi) ? beta * 2 : (beta + hi) / 2;
                } else {
                    hi = beta;
                    beta = (beta + lo) / 2;
                }
            }
            double sum = 0;
            for (int j = 0; j < n; j++) {
                sum += row[j];
            }
            for (int j = 0; j < n; j++) {
                cond[i * n + j] = row[j] / sum;
            }
        }
        return cond;
    }

    private static double kl(double[] p, double[] y, int n) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i != j) {
                    double dx = y[2 * i] - y[2 * j];
                    double dy = y[2 * i + 1] - y[2 * j + 1];
                    sum += 1 / (1 + dx * dx + dy * dy);
                }
            }
        }
        double kl = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i != j) {
                    double dx = y[2 * i] - y[2 * j];
                    double dy = y[2 * i + 1] - y[2 * j + 1];
                    double q = Math.max(1 / (1 + dx * dx + dy * dy) / sum, 1e-12);
                    kl += p[i * n + j] * Math.log(p[i * n + j] / q);
                }
            }
        }
        return kl;
    }
}
