package io.gen4j.eval;

import ai.djl.ndarray.NDManager;
import io.gen4j.core.data.Permutations;
import java.util.List;
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
 *
 * <p>As a {@link Metric} it reports {@code IS} (mean and std over splits) from the input's sample
 * probabilities; the reference set is not used. Its real-vs-real floor is the IS of held-out real
 * images, the score of a generator that reproduces the data.
 *
 * @param config splits and seed
 */
public record InceptionScore(InceptionScoreConfig config) implements Metric {

    /** Validates the settings. */
    public InceptionScore {
        if (config == null) {
            throw new IllegalArgumentException("config must not be null");
        }
    }

    @Override
    public List<MetricValue> evaluate(MetricInput input, NDManager manager) {
        if (input.sampleProbabilities() == null) {
            throw new IllegalArgumentException("IS needs the class probabilities of the samples");
        }
        return List.of(MetricValue.of("IS", fromProbabilities(input.sampleProbabilities(), config)));
    }

    /** @return true when the samples have class probabilities, at least one row per split */
    @Override
    public boolean accepts(MetricInput input) {
        return input.sampleProbabilities() != null && input.sampleProbabilities().count() >= config.splits();
    }

    @Override
    public boolean needsProbabilities() {
        return true;
    }

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
        int[] order = Permutations.permutation(n, new Random(config.seed()));
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
