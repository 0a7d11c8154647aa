package io.gen4j.autoencoders;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * Principal component analysis by eigen-decomposition of the sample covariance (Pearson 1901;
 * Hotelling 1933): the k directions of largest variance of centred data, for 2-D views of latent
 * codes larger than two dimensions.
 *
 * <pre>
 *   C = (1/(n − 1)) Σ_i (x_i − x̄)(x_i − x̄)ᵀ = V Λ Vᵀ,   y_i = V_kᵀ (x_i − x̄)
 * </pre>
 *
 * <p>Components are sorted by decreasing eigenvalue and signed so that each component's largest
 * absolute coordinate is positive (a deterministic choice: eigenvectors are defined up to sign).
 */
public final class Pca {

    private final double[] mean;
    private final double[][] components;
    private final double[] explainedVariance;
    private final double totalVariance;

    private Pca(double[] mean, double[][] components, double[] explainedVariance, double totalVariance) {
        this.mean = mean;
        this.components = components;
        this.explainedVariance = explainedVariance;
        this.totalVariance = totalVariance;
    }

    /**
     * Fits k components.
     *
     * @param data n rows of dimension d, n >= 2
     * @param k number of components, {@code 1 <= k <= d}
     * @return the fitted projection
     */
    public static Pca fit(double[][] data, int k) {
        int n = data.length;
        if (n < 2) {
            throw new IllegalArgumentException("PCA needs at least 2 rows, got " + n);
        }
        int d = data[0].length;
        if (k < 1 || k > d) {
            throw new IllegalArgumentException("k must be in [1, " + d + "], got " + k);
        }
        double[] mean = new double[d];
        for (double[] row : data) {
            if (row.length != d) {
                throw new IllegalArgumentException("all rows must have length " + d + ", got " + row.length);
            }
            for (int j = 0; j < d; j++) {
                mean[j] += row[j] / n;
            }
        }
        double[][] cov = new double[d][d];
        for (double[] row : data) {
            for (int a = 0; a < d; a++) {
                double da = row[a] - mean[a];
                for (int b = a; b < d; b++) {
                    cov[a][b] += da * (row[b] - mean[b]) / (n - 1);
                }
            }
        }
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < a; b++) {
                cov[a][b] = cov[b][a];
            }
        }
        RealMatrix c = new Array2DRowRealMatrix(cov, false);
        EigenDecomposition eig = new EigenDecomposition(c);
        double[] values = eig.getRealEigenvalues();
        Integer[] order = new Integer[d];
        for (int i = 0; i < d; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (x, y) -> Double.compare(values[y], values[x]));
        double[][] comps = new double[k][];
        double[] explained = new double[k];
        double total = 0;
        for (double v : values) {
            total += Math.max(0, v);
        }
        for (int i = 0; i < k; i++) {
            double[] v = eig.getEigenvector(order[i]).toArray();
            int arg = 0;
            for (int j = 1; j < d; j++) {
                if (Math.abs(v[j]) > Math.abs(v[arg])) {
                    arg = j;
                }
            }
            if (v[arg] < 0) {
                for (int j = 0; j < d; j++) {
                    v[j] = -v[j];
                }
            }
            comps[i] = v;
            explained[i] = Math.max(0, values[order[i]]);
        }
        return new Pca(mean, comps, explained, total);
    }

    /**
     * Projects rows onto the components.
     *
     * @param data n rows of dimension d
     * @return n rows of dimension k
     */
    public double[][] transform(double[][] data) {
        double[][] out = new double[data.length][components.length];
        for (int i = 0; i < data.length; i++) {
            if (data[i].length != mean.length) {
                throw new IllegalArgumentException("rows must have length " + mean.length + ", got " + data[i].length);
            }
            for (int c = 0; c < components.length; c++) {
                double s = 0;
                for (int j = 0; j < mean.length; j++) {
                    s += (data[i][j] - mean[j]) * components[c][j];
                }
                out[i][c] = s;
            }
        }
        return out;
    }

    /** @return the component vectors (k rows of length d), a copy */
    public double[][] components() {
        double[][] c = new double[components.length][];
        for (int i = 0; i < c.length; i++) {
            c[i] = components[i].clone();
        }
        return c;
    }

    /** @return the variance along each component (the eigenvalues), a copy */
    public double[] explainedVariance() {
        return explainedVariance.clone();
    }

    /** @return the fraction of the total variance each component explains */
    public double[] explainedVarianceRatio() {
        double[] r = new double[explainedVariance.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = totalVariance > 0 ? explainedVariance[i] / totalVariance : 0;
        }
        return r;
    }
}
