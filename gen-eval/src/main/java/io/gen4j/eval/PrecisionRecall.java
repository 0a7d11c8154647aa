package io.gen4j.eval;

import ai.djl.ndarray.NDManager;
import java.util.List;

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
 * Membership is inclusive ({@code <=}), as in the authors' code. Arguments of the static functions
 * are (generated, real). Distances are computed in chunks; nothing of size N×M is kept.
 *
 * <p>As a {@link Metric} it reports {@code precision} and {@code recall} of the input's samples
 * against its reference; the reference radii come from a neighbour table shared with {@link
 * DensityCoverage} on the same input ({@link MetricInput#shared}).
 *
 * @param k neighbour rank of the radii, at least 1
 */
public record PrecisionRecall(int k) implements Metric {

    /** Default neighbourhood size of the paper. */
    public static final int DEFAULT_K = 3;

    /** Validates k. */
    public PrecisionRecall {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
    }

    /**
     * Precision and recall of a generated set.
     *
     * @param precision fraction of generated samples inside the real manifold, in [0, 1]
     * @param recall fraction of real samples inside the generated manifold, in [0, 1]
     */
    public record Result(double precision, double recall) {}

    @Override
    public List<MetricValue> evaluate(MetricInput input, NDManager manager) {
        Result r = result(input, manager);
        return List.of(MetricValue.of("precision", r.precision()), MetricValue.of("recall", r.recall()));
    }

    /** @return true when both sets have more than k rows */
    @Override
    public boolean accepts(MetricInput input) {
        return input.reference().count() > k && input.samples().count() > k;
    }

    /**
     * @param generated generated features (M rows, M > k)
     * @param real real features (N rows, N > k), same dimension
     * @param k neighbour rank of the radii
     * @param manager scratch manager
     * @return precision and recall
     */
    public static Result compute(Features generated, Features real, int k, NDManager manager) {
        return new PrecisionRecall(k).result(MetricInput.of(real, generated), manager);
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

    private Result result(MetricInput input, NDManager manager) {
        Features real = input.reference();
        Features generated = input.samples();
        double[] realRadii = NearestNeighbours.kthNeighbourSquaredDistances(input, true, k, manager);
        double[] genRadii = NearestNeighbours.kthNeighbourSquaredDistances(input, false, k, manager);
        int m = generated.count();
        boolean[] genInside = new boolean[m];
        long[] recalled = {0};
        NearestNeighbours.forEachChunk(real, generated, manager, (from, rows, d2) -> {
            for (int r = 0; r < rows; r++) {
                int i = from + r;
                int base = r * m;
                double radius = realRadii[i];
                boolean inGeneratedManifold = false;
                for (int j = 0; j < m; j++) {
                    double v = d2[base + j];
                    if (v <= radius) {
                        genInside[j] = true; // generated j inside the ball of real i
                    }
                    if (v <= genRadii[j]) {
                        inGeneratedManifold = true; // real i inside the ball of generated j
                    }
                }
                if (inGeneratedManifold) {
                    recalled[0]++;
                }
            }
        });
        int precise = 0;
        for (boolean hit : genInside) {
            if (hit) {
                precise++;
            }
        }
        return new Result((double) precise / m, (double) recalled[0] / real.count());
    }
}
