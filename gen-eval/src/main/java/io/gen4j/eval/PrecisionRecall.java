package io.gen4j.eval;

import ai.djl.ndarray.NDManager;

/**
 * Improved precision and recall (Kynkäänniemi et al. 2019, "Improved precision and recall metric for
 * assessing generative models").
 *
 * <p>Each set is approximated by the union of balls around its samples, the radius of a ball being
 * the distance to the sample's k-th nearest neighbour in its own set (k = 3, the sample itself
 * excluded). Then
 * <pre>
 *   precision = (1/M) Σ_j 1[ ∃ i : |g_j − r_i| ≤ radius_real(r_i) ]     (generated in the real manifold)
 *   recall    = (1/N) Σ_i 1[ ∃ j : |r_i − g_j| ≤ radius_gen(g_j) ]      (real in the generated manifold)
 * </pre>
 * Membership is inclusive ({@code <=}), as in the authors' code. Arguments are (generated, real).
 * Distances are computed in chunks; nothing of size N×M is kept.
 */
public final class PrecisionRecall {

    /** Default neighbourhood size of the paper. */
    public static final int DEFAULT_K = 3;

    private PrecisionRecall() {}

    /**
     * Precision and recall of a generated set.
     *
     * @param precision fraction of generated samples inside the real manifold, in [0, 1]
     * @param recall fraction of real samples inside the generated manifold, in [0, 1]
     */
    public record Result(double precision, double recall) {}

    /**
     * @param generated generated features (M rows, M > k)
     * @param real real features (N rows, N > k), same dimension
     * @param k neighbour rank of the radii
     * @param manager scratch manager
     * @return precision and recall
     */
    public static Result compute(Features generated, Features real, int k, NDManager manager) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        return ManifoldPass.run(generated, real, k, 0, manager).precisionRecall();
    }

    /**
     * Precision and recall with k = 3.
     *
     * @param generated generated features
     * @param real real features
     * @param manager scratch manager
     * @return precision and recall
     */
    public static Result compute(Features generated, Features real, NDManager manager) {
        return compute(generated, real, DEFAULT_K, manager);
    }
}
