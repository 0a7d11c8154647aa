package io.gen4j.diffusion;

import java.util.Arrays;

/**
 * A discrete variance-preserving noise schedule: the β_t of a DDPM forward process and every
 * quantity derived from them, precomputed as {@code double} arrays. Stateless and immutable (no
 * step counter: the loop that uses a schedule owns the step).
 *
 * <p>Steps are indexed {@code t = 0 … T−1} (index 0 is the first, least noisy step; Ho et al.'s
 * t = 1). With α_t = 1 − β_t and ᾱ_t = ∏_{s ≤ t} α_s:
 *
 * <pre>
 *   q(x_t | x_0)          = N(√ᾱ_t · x_0, (1 − ᾱ_t) I)                         (Ho et al. 2020, eq. 4)
 *   SNR(t)                = ᾱ_t / (1 − ᾱ_t)
 *   q(x_{t−1} | x_t, x_0) = N(μ̃_t, β̃_t I)                                       (eq. 6–7)
 *   μ̃_t = √ᾱ_{t−1} β_t / (1 − ᾱ_t) · x_0 + √α_t (1 − ᾱ_{t−1}) / (1 − ᾱ_t) · x_t
 *   β̃_t = (1 − ᾱ_{t−1}) / (1 − ᾱ_t) · β_t          with ᾱ_{−1} = 1, so β̃_0 = 0
 * </pre>
 *
 * <p>Two constructions: {@link #linear} (Ho et al. 2020: β from 1e-4 to 0.02 over T = 1000) and
 * {@link #cosine} (Nichol &amp; Dhariwal 2021, "Improved DDPM", eq. 17: ᾱ(t) = f(t)/f(0) with f(t)
 * = cos²(((t/T) + s)/(1 + s) · π/2), β clipped at 0.999).
 */
public final class NoiseSchedule {

    /** The two schedule families, for configuration. */
    public enum Type {
        /** Ho et al. 2020, β linear in t; see {@link NoiseSchedule#linear(int)}. */
        LINEAR,
        /** Nichol &amp; Dhariwal 2021; see {@link NoiseSchedule#cosine(int)}. */
        COSINE;

        /**
         * @param steps T, at least 1
         * @return the schedule of this type with its default parameters
         */
        public NoiseSchedule create(int steps) {
            return this == LINEAR ? linear(steps) : cosine(steps);
        }
    }

    private final Type type;
    private final double[] betas;
    private final double[] alphaBars;

    private NoiseSchedule(Type type, double[] betas) {
        this.type = type;
        this.betas = betas;
        this.alphaBars = new double[betas.length];
        double product = 1.0;
        for (int t = 0; t < betas.length; t++) {
            product *= 1.0 - betas[t];
            alphaBars[t] = product;
        }
    }

    /**
     * The linear schedule of Ho et al. 2020, scaled so that any T gives the same total noise as
     * their T = 1000 setting (Nichol &amp; Dhariwal's scaling: β from 1e-4·1000/T to 0.02·1000/T).
     *
     * @param steps T, in [2, 100000]
     * @return the schedule
     */
    public static NoiseSchedule linear(int steps) {
        checkSteps(steps);
        double scale = 1000.0 / steps;
        return linear(steps, scale * 1e-4, Math.min(scale * 0.02, 0.999));
    }

    /**
     * A linear schedule with explicit endpoints: β_t = β_first + (β_last − β_first) · t / (T − 1).
     *
     * @param steps T, in [2, 100000]
     * @param betaFirst β_0, in (0, 1)
     * @param betaLast β_{T−1}, in [betaFirst, 1)
     * @return the schedule
     */
    public static NoiseSchedule linear(int steps, double betaFirst, double betaLast) {
        checkSteps(steps);
        if (!(betaFirst > 0 && betaFirst < 1)) {
            throw new IllegalArgumentException("betaFirst must be in (0, 1), got " + betaFirst);
        }
        if (!(betaLast >= betaFirst && betaLast < 1)) {
            throw new IllegalArgumentException(
                    "betaLast must be in [betaFirst=" + betaFirst + ", 1), got " + betaLast);
        }
        double[] betas = new double[steps];
        for (int t = 0; t < steps; t++) {
            betas[t] = betaFirst + (betaLast - betaFirst) * t / (steps - 1);
        }
        return new NoiseSchedule(Type.LINEAR, betas);
    }

    /**
     * The cosine schedule of Nichol &amp; Dhariwal 2021 with offset s = 0.008.
     *
     * @param steps T, in [2, 100000]
     * @return the schedule
     */
    public static NoiseSchedule cosine(int steps) {
        return cosine(steps, 0.008);
    }

    /**
     * The cosine schedule: β_t = min(1 − ᾱ((t+1)/T) / ᾱ(t/T), 0.999) with ᾱ(u) = f(u)/f(0), f(u) =
     * cos²((u + s)/(1 + s) · π/2).
     *
     * @param steps T, in [2, 100000]
     * @param offset s, in [0, 1)
     * @return the schedule
     */
    public static NoiseSchedule cosine(int steps, double offset) {
        checkSteps(steps);
        if (!(offset >= 0 && offset < 1)) {
            throw new IllegalArgumentException("offset must be in [0, 1), got " + offset);
        }
        double[] betas = new double[steps];
        for (int t = 0; t < steps; t++) {
            double a1 = cosineAlphaBar((double) t / steps, offset);
            double a2 = cosineAlphaBar((double) (t + 1) / steps, offset);
            betas[t] = Math.min(1.0 - a2 / a1, 0.999);
        }
        return new NoiseSchedule(Type.COSINE, betas);
    }

    private static double cosineAlphaBar(double u, double s) {
        double f = Math.cos((u + s) / (1 + s) * Math.PI / 2);
        double f0 = Math.cos(s / (1 + s) * Math.PI / 2);
        return (f * f) / (f0 * f0);
    }

    private static void checkSteps(int steps) {
        if (steps < 2 || steps > 100_000) {
            throw new IllegalArgumentException("steps must be in [2, 100000], got " + steps);
        }
    }

    private void checkT(int t) {
        if (t < 0 || t >= betas.length) {
            throw new IllegalArgumentException(
                    "t must be in [0, " + (betas.length - 1) + "], got " + t);
        }
    }

    /** @return which family this schedule belongs to */
    public Type type() {
        return type;
    }

    /** @return T, the number of diffusion steps */
    public int steps() {
        return betas.length;
    }

    /**
     * @param t step in [0, T−1]
     * @return β_t
     */
    public double beta(int t) {
        checkT(t);
        return betas[t];
    }

    /**
     * @param t step in [0, T−1]
     * @return α_t = 1 − β_t
     */
    public double alpha(int t) {
        checkT(t);
        return 1.0 - betas[t];
    }

    /**
     * @param t step in [−1, T−1]; t = −1 is clean data
     * @return ᾱ_t = ∏_{s ≤ t} (1 − β_s), with ᾱ_{−1} = 1
     */
    public double alphaBar(int t) {
        if (t == -1) {
            return 1.0;
        }
        checkT(t);
        return alphaBars[t];
    }

    /**
     * @param t step in [0, T−1]
     * @return SNR(t) = ᾱ_t / (1 − ᾱ_t)
     */
    public double snr(int t) {
        double a = alphaBar(t);
        return a / (1.0 - a);
    }

    /**
     * @param t step in [0, T−1]
     * @return β̃_t = (1 − ᾱ_{t−1}) / (1 − ᾱ_t) · β_t, the variance of q(x_{t−1} | x_t, x_0)
     */
    public double posteriorVariance(int t) {
        return (1.0 - alphaBar(t - 1)) / (1.0 - alphaBar(t)) * beta(t);
    }

    /**
     * @param t step in [0, T−1]
     * @return the coefficient of x_0 in μ̃_t: √ᾱ_{t−1} β_t / (1 − ᾱ_t)
     */
    public double posteriorMeanCoefX0(int t) {
        return Math.sqrt(alphaBar(t - 1)) * beta(t) / (1.0 - alphaBar(t));
    }

    /**
     * @param t step in [0, T−1]
     * @return the coefficient of x_t in μ̃_t: √α_t (1 − ᾱ_{t−1}) / (1 − ᾱ_t)
     */
    public double posteriorMeanCoefXt(int t) {
        return Math.sqrt(alpha(t)) * (1.0 - alphaBar(t - 1)) / (1.0 - alphaBar(t));
    }

    /** @return a copy of β_0 … β_{T−1} */
    public double[] betas() {
        return betas.clone();
    }

    /** @return a copy of ᾱ_0 … ᾱ_{T−1} */
    public double[] alphaBars() {
        return alphaBars.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NoiseSchedule other && Arrays.equals(betas, other.betas);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(betas);
    }

    @Override
    public String toString() {
        return "NoiseSchedule[" + type + ", T=" + betas.length + ", beta0=" + betas[0]
                + ", betaLast=" + betas[betas.length - 1] + ", alphaBarLast="
                + alphaBars[alphaBars.length - 1] + "]";
    }
}
