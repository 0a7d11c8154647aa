package io.gen4j.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

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
        double[] realRadii = NearestNeighbours.kthNeighbourSquaredDistances(real, k, manager);
        double[] genRadii = NearestNeighbours.kthNeighbourSquaredDistances(generated, k, manager);
        double[] genCovered = new double[generated.count()];
        int[] recalled = {0};
        try (NDManager scope = manager.newSubManager()) {
            NDArray genRadiiRow = NearestNeighbours.vector(genRadii, scope, false);
            NDArray genHits = scope.zeros(new Shape(generated.count()), DataType.FLOAT64);
            NearestNeighbours.forEachChunk(real, generated, scope, (from, d2) -> {
                int rows = (int) d2.getShape().get(0);
                double[] chunkRadii = new double[rows];
                System.arraycopy(realRadii, from, chunkRadii, 0, rows);
                NDArray realRadiiColumn = NearestNeighbours.vector(chunkRadii, d2.getManager(), true);
                // precision: generated j inside ball of real i
                genHits.addi(d2.lte(realRadiiColumn).toType(DataType.FLOAT64, false).sum(new int[] {0}));
                // recall: real i inside ball of generated j
                double[] hits = d2.lte(genRadiiRow).toType(DataType.FLOAT64, false)
                        .sum(new int[] {1}).toDoubleArray();
                for (double h : hits) {
                    if (h > 0) {
                        recalled[0]++;
                    }
                }
            });
            double[] g = genHits.toDoubleArray();
            System.arraycopy(g, 0, genCovered, 0, g.length);
        }
        int precise = 0;
        for (double h : genCovered) {
            if (h > 0) {
                precise++;
            }
        }
        return new Result((double) precise / generated.count(), (double) recalled[0] / real.count());
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
