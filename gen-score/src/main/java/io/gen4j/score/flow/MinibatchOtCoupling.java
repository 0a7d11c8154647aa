package io.gen4j.score.flow;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * The exact optimal-transport coupling of a minibatch (OT-CFM, Tong et al. 2024): the permutation π
 * minimising Σ_i ‖x_0[π(i)] − x_1[i]‖², found by the Hungarian algorithm (O(N³), fine for batches of
 * a few hundred). torchcfm's {@code ExactOptimalTransportConditionalFlowMatcher} samples from the
 * same plan (for equal batch sizes the exact OT plan is a permutation).
 */
public record MinibatchOtCoupling() implements Coupling {

    @Override
    public NDArray pair(NDArray x0, NDArray x1) {
        int n = (int) x0.getShape().get(0);
        double[] a = x0.reshape(n, -1).toType(DataType.FLOAT64, false).toDoubleArray();
        double[] b = x1.reshape(n, -1).toType(DataType.FLOAT64, false).toDoubleArray();
        int d = a.length / n;
        double[][] cost = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double c = 0;
                for (int k = 0; k < d; k++) {
                    double r = b[i * d + k] - a[j * d + k];
                    c += r * r;
                }
                cost[i][j] = c;
            }
        }
        int[] assignment = hungarian(cost);
        long[] index = new long[n];
        for (int i = 0; i < n; i++) {
            index[i] = assignment[i];
        }
        return x0.get(x0.getManager().create(index));
    }

    /**
     * The minimum-cost assignment (Kuhn–Munkres with potentials, O(n³)).
     *
     * @param cost n×n costs, cost[i][j] of giving row i the column j
     * @return for each row its column
     */
    public static int[] hungarian(double[][] cost) {
        int n = cost.length;
        double[] u = new double[n + 1];
        double[] v = new double[n + 1];
        int[] p = new int[n + 1];
        int[] way = new int[n + 1];
        for (int i = 1; i <= n; i++) {
            p[0] = i;
            int j0 = 0;
            double[] minv = new double[n + 1];
            java.util.Arrays.fill(minv, Double.POSITIVE_INFINITY);
            boolean[] used = new boolean[n + 1];
            do {
                used[j0] = true;
                int i0 = p[j0];
                double delta = Double.POSITIVE_INFINITY;
                int j1 = 0;
                for (int j = 1; j <= n; j++) {
                    if (!used[j]) {
                        double cur = cost[i0 - 1][j - 1] - u[i0] - v[j];
                        if (cur < minv[j]) {
                            minv[j] = cur;
                            way[j] = j0;
                        }
                        if (minv[j] < delta) {
                            delta = minv[j];
                            j1 = j;
                        }
                    }
                }
                for (int j = 0; j <= n; j++) {
                    if (used[j]) {
                        u[p[j]] += delta;
                        v[j] -= delta;
                    } else {
                        minv[j] -= delta;
                    }
                }
                j0 = j1;
            } while (p[j0] != 0);
            do {
                int j1 = way[j0];
                p[j0] = p[j1];
                j0 = j1;
            } while (j0 != 0);
        }
        int[] result = new int[n];
        for (int j = 1; j <= n; j++) {
            result[p[j] - 1] = j - 1;
        }
        return result;
    }
}
