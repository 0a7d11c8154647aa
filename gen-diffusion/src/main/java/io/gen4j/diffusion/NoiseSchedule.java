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
 * <p>Built-in constructions: {@link #linear} (Ho et al. 2020: β from 1e-4 to 0.02 over T = 1000)
 * and {@link #cosine} (Nichol &amp; Dhariwal 2021, "Improved DDPM", eq. 17: ᾱ(t) = f(t)/f(0) with
 * f(t) = cos²(((t/T) + s)/(1 + s) · π/2), β clipped at 0.999). Any other schedule (one read from
 * another library, a hand-tuned one) comes in through {@link #fromBetas} or {@link #fromAlphaBars}
 * with type {@link Type#CUSTOM}; zero terminal SNR (β_{T−1} = 1, Lin et al. 2024) is not accepted,
 * since x̂_0 from ε̂ and the prior term of the bound need ᾱ_{T−1} &gt; 0.
 *
 * <p>Identity and rebuilding. A schedule is the array β_0 … β_{T−1}: {@link #equals} compares the
 * β arrays exactly and ignores {@link #type()}, and ᾱ is always computed from β by the same
 * running product, so {@code fromBetas(s.betas())} equals {@code s} and has bit-identical ᾱ. The
 * type records where a schedule came from, not what it is: {@code linear(T, 1e-4, 0.03)} has type
 * LINEAR but is not {@code Type.LINEAR.create(T)}. To store a schedule compactly, write (type,
 * steps) only when {@link #isDefault()} (that is, {@code type().create(steps()).equals(this)}) and
 * the β array otherwise.
 */
public final class NoiseSchedule {

    /** Where a schedule came from: a built-in family, or explicit values. */
    public enum Type {
        /** Ho et al. 2020, β linear in t; see {@link NoiseSchedule#linear(int)}. */
        LINEAR,
        /** Nichol &amp; Dhariwal 2021; see {@link NoiseSchedule#cosine(int)}. */
        COSINE,
        /**
         * Explicit β or ᾱ values; see {@link NoiseSchedule#fromBetas} and {@link
         * NoiseSchedule#fromAlphaBars}. Cannot be rebuilt from a step count.
         */
        CUSTOM;

        /**
         * @param steps T, in [2, 100000]
         * @return the schedule of this type with its default parameters
         * @throws UnsupportedOperationException for {@link #CUSTOM}, which has no defaults
         */
        public NoiseSchedule create(int steps) {
            switch (this) {
                case LINEAR:
                    return linear(steps);
                case COSINE:
                    return cosine(steps);
                default:
                    throw new UnsupportedOperationException(
                            "a CUSTOM schedule cannot be rebuilt from its step count (" + steps
                                    + "); rebuild it with NoiseSchedule.fromBetas(betas)");
            }
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

    /**
     * A schedule with explicit β_t, e.g. one saved with {@link #betas()} or taken from another
     * library: α_t = 1 − β_t, ᾱ_t = ∏_{s ≤ t} α_s (Ho et al. 2020, §2). Every β must lie in (0, 1),
     * which makes ᾱ strictly decreasing in (0, 1); they need not be monotone.
     *
     * @param betas β_0 … β_{T−1}, T in [2, 100000], each in (0, 1); copied
     * @return the schedule, type {@link Type#CUSTOM}; equal to any schedule with the same β
     * @throws IllegalArgumentException naming the first bad β, or when ᾱ_{T−1} underflows to 0
     */
    public static NoiseSchedule fromBetas(double[] betas) {
        if (betas == null) {
            throw new IllegalArgumentException("betas must not be null");
        }
        checkSteps(betas.length);
        for (int t = 0; t < betas.length; t++) {
            if (!(betas[t] > 0 && betas[t] < 1)) {
                throw new IllegalArgumentException(
                        "beta must be in (0, 1), got " + betas[t] + " at t=" + t);
            }
        }
        NoiseSchedule schedule = new NoiseSchedule(Type.CUSTOM, betas.clone());
        double last = schedule.alphaBars[betas.length - 1];
        if (!(last > 0)) {
            throw new IllegalArgumentException(
                    "alphaBar underflows to " + last + " at t=" + (betas.length - 1)
                            + ": the betas destroy the signal completely");
        }
        return schedule;
    }

    /**
     * A schedule with explicit ᾱ_t (the form in which continuous-time schedules are usually given):
     * β_t = 1 − ᾱ_t / ᾱ_{t−1}, with ᾱ_{−1} = 1 (Ho et al. 2020, §2; Nichol &amp; Dhariwal 2021, eq.
     * 17 for the cosine case). The values must be strictly decreasing in (0, 1), starting below 1:
     * 1 &gt; ᾱ_0 &gt; ᾱ_1 &gt; … &gt; ᾱ_{T−1} &gt; 0. The schedule stores the β and recomputes ᾱ
     * from them, so {@link #alphaBars()} returns the given values up to rounding (relative error of
     * a few ulp per step).
     *
     * @param alphaBars ᾱ_0 … ᾱ_{T−1}, T in [2, 100000]
     * @return the schedule, type {@link Type#CUSTOM}
     * @throws IllegalArgumentException naming the first value out of range or not decreasing
     */
    public static NoiseSchedule fromAlphaBars(double[] alphaBars) {
        if (alphaBars == null) {
            throw new IllegalArgumentException("alphaBars must not be null");
        }
        checkSteps(alphaBars.length);
        double[] betas = new double[alphaBars.length];
        double previous = 1.0;
        for (int t = 0; t < alphaBars.length; t++) {
            double ab = alphaBars[t];
            if (!(ab > 0 && ab < previous)) {
                throw new IllegalArgumentException("alphaBar must be in (0, " + previous
                        + ") (strictly below alphaBar at t-1, with alphaBar(-1) = 1), got " + ab
                        + " at t=" + t);
            }
            // ab < previous, so ab / previous <= 1 − 2^-53 (adjacent doubles differ by at least
            // that relative amount) and β > 0.
            betas[t] = 1.0 - ab / previous;
            previous = ab;
        }
        return fromBetas(betas);
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

    /**
     * @return where this schedule came from (provenance; not part of {@link #equals}): LINEAR or
     *     COSINE for the built-in factories, whatever their parameters, CUSTOM for explicit values
     */
    public Type type() {
        return type;
    }

    /**
     * Whether the pair ({@link #type()}, {@link #steps()}) rebuilds this schedule exactly, i.e.
     * {@code type().create(steps()).equals(this)}: true for {@code linear(T)} and {@code
     * cosine(T)}, false for non-default endpoints or offset and for CUSTOM schedules, which must
     * be stored as their β array.
     *
     * @return whether {@code type().create(steps())} has the same β as this schedule
     */
    public boolean isDefault() {
        return type != Type.CUSTOM && type.create(betas.length).equals(this);
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
     * The noise level of step t in the variables of Karras et al. 2022 (EDM): x_t/√ᾱ_t = x_0 +
     * σ_t·ε, so σ_t = √((1 − ᾱ_t)/ᾱ_t) = SNR(t)^(−1/2), increasing in t.
     *
     * @param t step in [0, T−1]
     * @return σ_t
     */
    public double sigma(int t) {
        double a = alphaBar(t);
        return Math.sqrt((1.0 - a) / a);
    }

    /**
     * ᾱ at a fractional step, for samplers that evaluate a discrete-time network between its
     * trained steps (k-diffusion's {@code DiscreteSchedule}): log σ is interpolated linearly
     * between the neighbouring integer steps and ᾱ = 1/(1 + σ²). At an integer t this is {@link
     * #alphaBar(int)} exactly.
     *
     * @param t a step in [0, T−1], possibly fractional
     * @return ᾱ(t)
     */
    public double alphaBarAt(double t) {
        if (!(t >= 0 && t <= betas.length - 1)) {
            throw new IllegalArgumentException(
                    "t must be in [0, " + (betas.length - 1) + "], got " + t);
        }
        int lo = (int) Math.floor(t);
        double frac = t - lo;
        if (frac == 0) {
            return alphaBars[lo];
        }
        double logSigma = (1 - frac) * Math.log(sigma(lo)) + frac * Math.log(sigma(lo + 1));
        double sigma = Math.exp(logSigma);
        return 1.0 / (1.0 + sigma * sigma);
    }

    /**
     * The inverse of {@link #alphaBarAt} in σ: the fractional step whose noise level is σ (log σ
     * interpolated linearly between the integer steps), clamped to [0, T−1] outside [σ_0,
     * σ_{T−1}].
     *
     * @param sigma a noise level, &gt; 0
     * @return the step t with σ(t) = σ, in [0, T−1]
     */
    public double timeOfSigma(double sigma) {
        if (!(sigma > 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("sigma must be finite and > 0, got " + sigma);
        }
        int last = betas.length - 1;
        if (sigma <= sigma(0)) {
            return 0;
        }
        if (sigma >= sigma(last)) {
            return last;
        }
        int lo = 0;
        int hi = last;
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (sigma(mid) <= sigma) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        double a = Math.log(sigma(lo));
        double b = Math.log(sigma(hi));
        return lo + (Math.log(sigma) - a) / (b - a);
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

    /**
     * Schedules are equal when their β arrays are equal element by element ({@link
     * Arrays#equals(double[], double[])}); the type is ignored, so {@code fromBetas(s.betas())}
     * equals {@code s}.
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof NoiseSchedule other && Arrays.equals(betas, other.betas);
    }

    /** @return the hash of the β array, consistent with {@link #equals} */
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
