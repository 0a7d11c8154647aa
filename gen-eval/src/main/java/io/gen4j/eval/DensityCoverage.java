package io.gen4j.eval;

import ai.djl.ndarray.NDManager;

/**
 * Density and coverage (Naeem et al. 2020, "Reliable fidelity and diversity metrics for generative
 * models").
 *
 * <p>Only the real set defines balls: radius_i is the distance of real sample i to its k-th nearest
 * real neighbour (k = 5, itself excluded). With N real and M generated samples:
 * <pre>
 *   density  = 1/(kM) Σ_j Σ_i 1[ |g_j − r_i| &lt; radius_i ]
 *   coverage = 1/N Σ_i 1[ min_j |r_i − g_j| &lt; radius_i ]
 * </pre>
 * Membership is strict ({@code <}), as in the authors' code. Density is unbounded above (about 1
 * for matching distributions); coverage is in [0, 1]. Arguments are (generated, real), as for
 * {@link PrecisionRecall}.
 */
public final class DensityCoverage {

    /** Default neighbourhood size of the paper. */
    public static final int DEFAULT_K = 5;

    private DensityCoverage() {}

    /**
     * Density and coverage of a generated set.
     *
     * @param density expected number of real balls containing a generated sample, divided by k
     * @param coverage fraction of real balls containing at least one generated sample
     */
    public record Result(double density, double coverage) {}

    /**
     * @param generated generated features (M rows)
     * @param real real features (N rows, N > k), same dimension
     * @param k neighbour rank of the radii
     * @param manager scratch manager
     * @return density and coverage
     */
    public static Result compute(Features generated, Features real, int k, NDManager manager) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        return ManifoldPass.run(generated, real, 0, k, manager).densityCoverage();
    }

    /**
     * Density and coverage with k = 5.
     *
     * @param generated generated features
     * @param real real features
     * @param manager scratch manager
     * @return density and coverage
     */
    public static Result compute(Features generated, Features real, NDManager manager) {
        return compute(generated, real, DEFAULT_K, manager);
    }
}
