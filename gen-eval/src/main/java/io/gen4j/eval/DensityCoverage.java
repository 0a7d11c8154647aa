package io.gen4j.eval;

import ai.djl.ndarray.NDManager;
import java.util.List;

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
 * for matching distributions); coverage is in [0, 1]. Arguments of the static functions are
 * (generated, real), as for {@link PrecisionRecall}.
 *
 * <p>As a {@link Metric} it reports {@code density} and {@code coverage} of the input's samples
 * against its reference, with the reference radii from the neighbour table it shares with {@link
 * PrecisionRecall} on the same input.
 *
 * @param k neighbour rank of the radii, at least 1
 */
public record DensityCoverage(int k) implements Metric {

    /** Default neighbourhood size of the paper. */
    public static final int DEFAULT_K = 5;

    /** Validates k. */
    public DensityCoverage {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
    }

    /**
     * Density and coverage of a generated set.
     *
     * @param density expected number of real balls containing a generated sample, divided by k
     * @param coverage fraction of real balls containing at least one generated sample
     */
    public record Result(double density, double coverage) {}

    @Override
    public List<MetricValue> evaluate(MetricInput input, NDManager manager) {
        Result r = result(input, manager);
        return List.of(MetricValue.of("density", r.density()), MetricValue.of("coverage", r.coverage()));
    }

    /** @return true when the reference has more than k rows and there is a sample */
    @Override
    public boolean accepts(MetricInput input) {
        return input.reference().count() > k && input.samples().count() >= 1;
    }

    /**
     * @param generated generated features (M rows)
     * @param real real features (N rows, N > k), same dimension
     * @param k neighbour rank of the radii
     * @param manager scratch manager
     * @return density and coverage
     */
    public static Result compute(Features generated, Features real, int k, NDManager manager) {
        return new DensityCoverage(k).result(MetricInput.of(real, generated), manager);
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

    private Result result(MetricInput input, NDManager manager) {
        Features real = input.reference();
        Features generated = input.samples();
        double[] realRadii = NearestNeighbours.kthNeighbourSquaredDistances(input, true, k, manager);
        int m = generated.count();
        long[] covered = {0};
        long[] inside = {0};
        NearestNeighbours.forEachChunk(real, generated, manager, (from, rows, d2) -> {
            for (int r = 0; r < rows; r++) {
                int i = from + r;
                int base = r * m;
                double radius = realRadii[i];
                double nearest = Double.POSITIVE_INFINITY;
                long count = 0;
                for (int j = 0; j < m; j++) {
                    double v = d2[base + j];
                    if (v < radius) {
                        count++;
                    }
                    if (v < nearest) {
                        nearest = v;
                    }
                }
                inside[0] += count;
                if (nearest < radius) {
                    covered[0]++;
                }
            }
        });
        return new Result(inside[0] / ((double) k * m), (double) covered[0] / real.count());
    }
}
