package io.gen4j.eval;

import java.util.Random;

/**
 * Inception Score (Salimans et al. 2016, "Improved techniques for training GANs").
 *
 * <pre>
 *   IS = exp( E_x KL( p(y|x) ‖ p(y) ) ),   p(y) = E_x p(y|x)
 * </pre>
 * computed on each of {@link InceptionScoreConfig#splits()} splits of a seeded shuffle of the
 * samples (p(y) is the split's own marginal); the result is the mean and population std over
 * splits. It ranges from 1 (every sample gets the same prediction) to C (confident and balanced over
 * C classes). With the TorchScript Inception of StyleGAN2-ADA the class probabilities are the
 * 1008-way softmax of the bias-free logits ({@code no_output_bias=True}).
 */
public final class InceptionScore {

    private InceptionScore() {}

    /**
     * @param probabilities rows p(y|x), each summing to 1 (N × C)
     * @param config splits and seed
     * @return mean and std over splits
     */
    public static MeanStd fromProbabilities(Features probabilities, InceptionScoreConfig config) {
        int n = probabilities.count();
        int c = probabilities.dim();
        double[] logP = new double[n * c];
        double[] p = probabilities.data();
        for (int i = 0; i < p.length; i++) {
            if (!(p[i] >= 0)) {
                throw new IllegalArgumentException("probabilities must be >= 0, got " + p[i] + " at " + i);
            }
            logP[i] = p[i] > 0 ? Math.log(p[i]) : Double.NEGATIVE_INFINITY;
        }
        return score(p, logP, n, c, config);
    }

    /**
     * @param logits rows of class logits (N × C); p(y|x) = softmax(logits)
     * @param config splits and seed
     * @return mean and std over splits
     */
    public static MeanStd fromLogits(Features logits, InceptionScoreConfig config) {
        int n = logits.count();
        int c = logits.dim();
        double[] z = logits.data();
        double[] logP = new double[n * c];
        double[] p = new double[n * c];
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < c; j++) {
                max = Math.max(max, z[i * c + j]);
            }
            double sum = 0;
            for (int j = 0; j < c; j++) {
                sum += Math.exp(z[i * c + j] - max);
            }
            double logSum = max + Math.log(sum);
            for (int j = 0; j < c; j++) {
                logP[i * c + j] = z[i * c + j] - logSum;
                p[i * c + j] = Math.exp(logP[i * c + j]);
            }
        }
        return score(p, logP, n, c, config);
    }

    private static MeanStd score(double[] p, double[] logP, int n, int c, InceptionScoreConfig config) {
        int splits = config.splits();
        if (n < splits) {
            throw new IllegalArgumentException("need at least splits = " + splits + " samples, got " + n);
        }
        int[] order = Subsets.permutation(n, new Random(config.seed()));
        int size = n / splits;
        double[] scores = new double[splits];
        for (int s = 0; s < splits; s++) {
            double[] marginal = new double[c];
            for (int r = s * size; r < (s + 1) * size; r++) {
                int base = order[r] * c;
                for (int j = 0; j < c; j++) {
                    marginal[j] += p[base + j];
                }
            }
            double[] logMarginal = new double[c];
            for (int j = 0; j < c; j++) {
                logMarginal[j] = Math.log(marginal[j] / size);
            }
            double kl = 0;
            for (int r = s * size; r < (s + 1) * size; r++) {
                int base = order[r] * c;
                for (int j = 0; j < c; j++) {
                    double pj = p[base + j];
                    if (pj > 0) {
                        kl += pj * (logP[base + j] - logMarginal[j]);
                    }
                }
            }
            scores[s] = Math.exp(kl / size);
        }
        return MeanStd.of(scores);
    }
}
