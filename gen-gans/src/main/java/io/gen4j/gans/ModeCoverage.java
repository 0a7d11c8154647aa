package io.gen4j.gans;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.gen4j.core.data.toy.EightGaussians;

/**
 * Mode-coverage diagnostics of samples from a mixture of K isotropic Gaussians of standard deviation
 * σ (8 on a ring, 25 on a grid), as in VEEGAN (Srivastava et al. 2017) and PacGAN (Lin et al. 2018).
 *
 * <ul>
 *   <li>each sample goes to its nearest mode; it is <b>high quality</b> when within 3σ of it (for
 *       a sample of the true mixture that happens with probability 1 − e^(−9/2) ≈ 0.989);
 *   <li>a mode is <b>covered</b> when it received at least {@code minShare} of a uniform share of
 *       the high-quality samples ({@code count_k ≥ minShare · N_hq / K}, and at least 1);
 *   <li><b>reverse KL</b>: {@code KL(q || u) = Σ_k q_k log(K q_k)} of the histogram q of
 *       high-quality samples over modes against the uniform target u; 0 when the modes are equally
 *       filled, log K when all samples sit on one mode (+∞ without a high-quality sample).
 * </ul>
 *
 * @param modes K
 * @param covered modes covered
 * @param highQualityFraction fraction of all samples within 3σ of their nearest mode
 * @param reverseKl KL(q || uniform) of the high-quality histogram, in nats
 * @param counts high-quality samples per mode
 */
public record ModeCoverage(int modes, int covered, double highQualityFraction, double reverseKl, int[] counts) {

    /** The default {@code minShare}: a fifth of a fair share. */
    public static final double DEFAULT_MIN_SHARE = 0.2;

    /** Copies the counts. */
    public ModeCoverage {
        counts = counts.clone();
    }

    @Override
    public int[] counts() {
        return counts.clone();
    }

    /**
     * @param samples (N, 2)
     * @param means the modes' means, K rows {x, y}
     * @param sigma the modes' standard deviation
     * @param minShare the share of a uniform split a mode needs to count as covered, in (0, 1]
     * @return the diagnostics
     */
    public static ModeCoverage measure(double[][] samples, double[][] means, double sigma, double minShare) {
        if (samples.length == 0 || means.length == 0) {
            throw new IllegalArgumentException("need samples and modes, got " + samples.length + " and " + means.length);
        }
        if (!(sigma > 0) || !(minShare > 0 && minShare <= 1)) {
            throw new IllegalArgumentException("sigma must be > 0 and minShare in (0, 1], got " + sigma + ", " + minShare);
        }
        int k = means.length;
        int[] counts = new int[k];
        int good = 0;
        double radius2 = 9 * sigma * sigma;
        for (double[] s : samples) {
            int best = 0;
            double bestD2 = Double.POSITIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                double dx = s[0] - means[j][0];
                double dy = s[1] - means[j][1];
                double d2 = dx * dx + dy * dy;
                if (d2 < bestD2) {
                    bestD2 = d2;
                    best = j;
                }
            }
            if (bestD2 <= radius2) {
                counts[best]++;
                good++;
            }
        }
        int covered = 0;
        double kl = good == 0 ? Double.POSITIVE_INFINITY : 0;
        double need = Math.max(1, minShare * good / k);
        for (int c : counts) {
            if (c > 0 && c >= need) {
                covered++;
            }
            if (c > 0) {
                double q = (double) c / good;
                kl += q * Math.log(k * q);
            }
        }
        return new ModeCoverage(k, covered, (double) good / samples.length, kl, counts);
    }

    /**
     * @param samples (N, 2), any float type
     * @param means the modes' means
     * @param sigma the modes' standard deviation
     * @return the diagnostics with {@link #DEFAULT_MIN_SHARE}
     */
    public static ModeCoverage measure(NDArray samples, double[][] means, double sigma) {
        double[] flat = samples.toType(DataType.FLOAT64, false).toDoubleArray();
        double[][] rows = new double[flat.length / 2][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = new double[] {flat[2 * i], flat[2 * i + 1]};
        }
        return measure(rows, means, sigma, DEFAULT_MIN_SHARE);
    }

    /**
     * @param ring the ring mixture
     * @return its means
     */
    public static double[][] means(EightGaussians ring) {
        double[][] m = new double[ring.modes()][];
        for (int i = 0; i < m.length; i++) {
            m[i] = ring.mean(i);
        }
        return m;
    }

    @Override
    public String toString() {
        return String.format("%d/%d modes, %.1f%% high quality, reverse KL %.3f", covered, modes,
                100 * highQualityFraction, reverseKl);
    }
}
