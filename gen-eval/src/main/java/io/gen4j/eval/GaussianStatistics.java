package io.gen4j.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.io.Npz;
import io.gen4j.core.math.Scalars;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Mean and unbiased covariance of a feature set: the Gaussian that FID fits to each sample set.
 *
 * <p>The covariance is Σ = (1/(N−1)) Σ_i (x_i − μ)(x_i − μ)ᵀ, computed with the two-pass algorithm:
 * first the mean (compensated summation), then the centred rows in chunks, accumulating Xcᵀ·Xc as a
 * float64 matrix product. Centring before multiplying avoids the cancellation of the one-pass
 * formula E[xxᵀ] − μμᵀ when |μ| is large compared with the spread.
 *
 * @param mean μ, length d
 * @param covariance Σ, d×d row-major, symmetric
 * @param count number of samples N the statistics were estimated from (0 when given directly)
 */
public record GaussianStatistics(double[] mean, double[] covariance, int count) {

    /** Rows per chunk when accumulating Xcᵀ·Xc. */
    private static final int CHUNK_ROWS = 2048;

    /** Validates the shapes. */
    public GaussianStatistics {
        int d = mean.length;
        if (d < 1) {
            throw new IllegalArgumentException("mean must have length >= 1, got " + d);
        }
        if (covariance.length != d * d) {
            throw new IllegalArgumentException(
                    "covariance must have d*d = " + (d * d) + " entries, got " + covariance.length);
        }
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, got " + count);
        }
    }

    /**
     * Statistics given directly (for closed-form checks and precomputed reference statistics).
     *
     * @param mean μ
     * @param covariance Σ as a square array
     * @return the statistics, with count 0
     */
    public static GaussianStatistics of(double[] mean, double[][] covariance) {
        int d = mean.length;
        double[] cov = new double[d * d];
        if (covariance.length != d) {
            throw new IllegalArgumentException(
                    "covariance must have " + d + " rows, got " + covariance.length);
        }
        for (int i = 0; i < d; i++) {
            if (covariance[i].length != d) {
                throw new IllegalArgumentException(
                        "covariance row " + i + " must have length " + d + ", got " + covariance[i].length);
            }
            System.arraycopy(covariance[i], 0, cov, i * d, d);
        }
        return new GaussianStatistics(mean.clone(), cov, 0);
    }

    /**
     * Estimates μ and the unbiased Σ from features.
     *
     * @param features N >= 2 rows
     * @param manager scratch manager for the float64 products (nothing is left in it)
     * @return the statistics
     */
    public static GaussianStatistics estimate(Features features, NDManager manager) {
        int n = features.count();
        int d = features.dim();
        if (n < 2) {
            throw new IllegalArgumentException("covariance needs N >= 2 samples, got " + n);
        }
        double[] mean = mean(features);
        try (NDManager scope = manager.newSubManager()) {
            NDArray acc = scope.zeros(new Shape(d, d), DataType.FLOAT64);
            NDArray mu = scope.create(mean, new Shape(1, d));
            for (int from = 0; from < n; from += CHUNK_ROWS) {
                int to = Math.min(n, from + CHUNK_ROWS);
                try (NDManager step = scope.newSubManager()) {
                    NDArray xc = features.toNDArray(step, from, to).subi(mu);
                    acc.addi(xc.transpose().matMul(xc));
                }
            }
            double[] cov = Scalars.dividedByInPlace(acc, n - 1).toDoubleArray();
            symmetrize(cov, d);
            return new GaussianStatistics(mean, cov, n);
        }
    }

    /**
     * Column means with compensated (Kahan–Neumaier) summation.
     *
     * @param features the rows
     * @return μ
     */
    static double[] mean(Features features) {
        int n = features.count();
        int d = features.dim();
        double[] data = features.data();
        double[] sum = new double[d];
        double[] comp = new double[d];
        for (int i = 0; i < n; i++) {
            int base = i * d;
            for (int j = 0; j < d; j++) {
                double v = data[base + j];
                double t = sum[j] + v;
                if (Math.abs(sum[j]) >= Math.abs(v)) {
                    comp[j] += (sum[j] - t) + v;
                } else {
                    comp[j] += (v - t) + sum[j];
                }
                sum[j] = t;
            }
        }
        double[] mean = new double[d];
        for (int j = 0; j < d; j++) {
            mean[j] = (sum[j] + comp[j]) / n;
        }
        return mean;
    }

    private static void symmetrize(double[] m, int d) {
        for (int i = 0; i < d; i++) {
            for (int j = i + 1; j < d; j++) {
                double v = 0.5 * (m[i * d + j] + m[j * d + i]);
                m[i * d + j] = v;
                m[j * d + i] = v;
            }
        }
    }

    /**
     * Reads statistics in the layout of pytorch-fid / clean-fid reference files: a {@code .npz} with
     * arrays {@code mu} (d) and {@code sigma} (d × d), read with gen-core's {@link Npz}.
     *
     * @param file the {@code .npz}
     * @param manager scratch manager for decoding
     * @return the statistics, with count 0 (the file does not record N)
     * @throws IOException when the file cannot be read or lacks {@code mu}/{@code sigma}
     */
    public static GaussianStatistics readNpz(Path file, NDManager manager) throws IOException {
        try (NDManager scope = manager.newSubManager()) {
            NDList list = Npz.read(file, scope);
            NDArray mu = list.get("mu");
            NDArray sigma = list.get("sigma");
            if (mu == null || sigma == null) {
                throw new IOException(file + " must contain arrays 'mu' and 'sigma'");
            }
            int d = (int) mu.size();
            if (sigma.size() != (long) d * d) {
                throw new IOException(file + ": sigma has shape " + sigma.getShape() + ", expected (" + d + ", " + d + ")");
            }
            double[] mean = mu.toType(DataType.FLOAT64, true).toDoubleArray();
            double[] cov = sigma.toType(DataType.FLOAT64, true).toDoubleArray();
            return new GaussianStatistics(mean, cov, 0);
        }
    }

    /**
     * Writes {@code mu} and {@code sigma} in float64 to a {@code .npz} that numpy (and pytorch-fid)
     * reads, with gen-core's {@link Npz} (stored entries, like {@code np.savez}).
     *
     * @param file target file
     * @param manager scratch manager for encoding
     * @throws IOException when writing fails
     */
    public void writeNpz(Path file, NDManager manager) throws IOException {
        try (NDManager scope = manager.newSubManager()) {
            NDArray mu = scope.create(mean, new Shape(mean.length));
            mu.setName("mu");
            NDArray sigma = scope.create(covariance, new Shape(mean.length, mean.length));
            sigma.setName("sigma");
            Npz.write(file, new NDList(mu, sigma));
        }
    }

    /** @return the dimension d */
    public int dim() {
        return mean.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GaussianStatistics g && g.count == count && Arrays.equals(g.mean, mean)
                && Arrays.equals(g.covariance, covariance);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(mean) + Arrays.hashCode(covariance)) + count;
    }

    @Override
    public String toString() {
        return "GaussianStatistics[dim=" + mean.length + ", count=" + count + "]";
    }
}
