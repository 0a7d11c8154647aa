package io.gen4j.autoencoders;

/**
 * Hyperparameters of {@link Tsne}, with the defaults of van der Maaten &amp; Hinton (2008) and
 * scikit-learn's automatic learning rate.
 *
 * <p><b>Automatic learning rate</b> ({@code learningRate = 0}): η = max(n / (4α), 50) for n points
 * and early exaggeration α, scikit-learn's {@code learning_rate='auto'}. Belkina et al. (2019)
 * proposed η = n/α (FIt-SNE and openTSNE use max(n/α, 200)) for implementations whose gradient
 * leaves out the constant 4 of ∂KL/∂y_i = 4 Σ_j (p_ij − q_ij)(y_i − y_j)(1 + ‖y_i − y_j‖²)⁻¹;
 * {@link Tsne} keeps the 4, as scikit-learn does, so the same steps need η divided by 4. Below
 * n = 200α (2 400 points at α = 12) the floor 50 applies.
 *
 * @param perplexity effective number of neighbours, > 0 and less than the number of points
 * @param iterations gradient steps, >= 1
 * @param learningRate step size η > 0, or 0 for the automatic max(n / (4α), 50)
 * @param earlyExaggeration α multiplying P during the first phase, >= 1
 * @param exaggerationIterations length of the first phase (momentum 0.5, then 0.8)
 * @param seed seed of the random initial layout
 */
public record TsneConfig(
        double perplexity,
        int iterations,
        double learningRate,
        double earlyExaggeration,
        int exaggerationIterations,
        long seed) {

    /** Validates the values. */
    public TsneConfig {
        if (!(perplexity > 0)) {
            throw new IllegalArgumentException("perplexity must be > 0, got " + perplexity);
        }
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be >= 1, got " + iterations);
        }
        if (!(learningRate >= 0)) {
            throw new IllegalArgumentException("learningRate must be >= 0 (0 = automatic), got " + learningRate);
        }
        if (!(earlyExaggeration >= 1)) {
            throw new IllegalArgumentException("earlyExaggeration must be >= 1, got " + earlyExaggeration);
        }
        if (exaggerationIterations < 0) {
            throw new IllegalArgumentException("exaggerationIterations must be >= 0, got " + exaggerationIterations);
        }
    }

    /**
     * @param seed the seed
     * @return perplexity 30, 1000 iterations, automatic η, exaggeration 12 for 250 iterations
     */
    public static TsneConfig defaults(long seed) {
        return new TsneConfig(30, 1000, 0, 12, 250, seed);
    }

    /**
     * The step size used for n points: {@link #learningRate()} when set, else max(n / (4α), 50).
     *
     * @param n number of points, >= 1
     * @return η
     */
    public double effectiveLearningRate(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1, got " + n);
        }
        return learningRate > 0 ? learningRate : Math.max(n / (4.0 * earlyExaggeration), 50);
    }

    /**
     * @param n number of iterations
     * @return a copy with it
     */
    public TsneConfig withIterations(int n) {
        return new TsneConfig(perplexity, n, learningRate, earlyExaggeration, Math.min(exaggerationIterations, n), seed);
    }
}
