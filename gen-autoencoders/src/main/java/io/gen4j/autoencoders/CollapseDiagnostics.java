package io.gen4j.autoencoders;

import ai.djl.ndarray.NDArray;
import java.util.Arrays;

/**
 * Posterior-collapse diagnostics of a Gaussian-latent VAE, computed over a data set.
 *
 * <ul>
 *   <li>KL per dimension: {@code KL_j = mean_x ½(μ_j² + σ_j² − 1 − log σ_j²)}; a collapsed dimension
 *       has KL_j ≈ 0 — its posterior equals the prior whatever x is, so the decoder ignores it.
 *   <li>activity {@code A_j = Var_x(E_q[z_j|x]) = Var_x(μ_j(x))} and active units {@code #{j : A_j >
 *       threshold}} with threshold 0.01 (Burda et al. 2016, §5.2).
 * </ul>
 *
 * @param klPerDimension KL_j in nats, length d
 * @param activity A_j, length d
 * @param activeUnits number of j with A_j above the threshold
 * @param threshold the activity threshold
 */
public record CollapseDiagnostics(double[] klPerDimension, double[] activity, int activeUnits, double threshold) {

    /** Copies the arrays. */
    public CollapseDiagnostics {
        klPerDimension = klPerDimension.clone();
        activity = activity.clone();
    }

    /**
     * @param mu posterior means over a data set, (N, d)
     * @param logVar posterior log-variances, (N, d)
     * @param threshold the activity threshold (0.01 in Burda et al.)
     * @return the diagnostics
     */
    public static CollapseDiagnostics compute(NDArray mu, NDArray logVar, double threshold) {
        if (mu.getShape().dimension() != 2 || !mu.getShape().equals(logVar.getShape())) {
            throw new IllegalArgumentException("mu and logVar must both be (N, d), got " + mu.getShape() + " and " + logVar.getShape());
        }
        int n = (int) mu.getShape().get(0);
        int d = (int) mu.getShape().get(1);
        if (n < 2) {
            throw new IllegalArgumentException("need at least 2 examples, got " + n);
        }
        double[] m = mu.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).toDoubleArray();
        double[] lv = logVar.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).toDoubleArray();
        double[] kl = new double[d];
        double[] mean = new double[d];
        double[] sq = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                double a = m[i * d + j];
                double v = lv[i * d + j];
                kl[j] += 0.5 * (a * a + Math.exp(v) - 1 - v);
                mean[j] += a;
                sq[j] += a * a;
            }
        }
        double[] activity = new double[d];
        int active = 0;
        for (int j = 0; j < d; j++) {
            kl[j] /= n;
            double mj = mean[j] / n;
            activity[j] = (sq[j] - n * mj * mj) / (n - 1);
            if (activity[j] > threshold) {
                active++;
            }
        }
        return new CollapseDiagnostics(kl, activity, active, threshold);
    }

    /** @return Σ_j KL_j, the mean KL per example */
    public double totalKl() {
        return Arrays.stream(klPerDimension).sum();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CollapseDiagnostics c
                && Arrays.equals(klPerDimension, c.klPerDimension)
                && Arrays.equals(activity, c.activity)
                && activeUnits == c.activeUnits
                && threshold == c.threshold;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(klPerDimension) + Arrays.hashCode(activity) + activeUnits;
    }

    @Override
    public String toString() {
        return "CollapseDiagnostics(activeUnits=" + activeUnits + ", totalKl=" + totalKl()
                + ", klPerDimension=" + Arrays.toString(klPerDimension) + ")";
    }
}
