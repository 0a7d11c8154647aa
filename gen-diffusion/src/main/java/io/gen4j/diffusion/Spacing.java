package io.gen4j.diffusion;

/**
 * How a sampler with n steps picks them among the T steps 0 … T−1 of the schedule.
 *
 * <p>{@link #LINSPACE}, {@link #LEADING} and {@link #TRAILING} are the three spacings that Lin et
 * al. 2024 ("Common Diffusion Noise Schedules and Sample Steps are Flawed", table 2) compare, with
 * the definitions of diffusers' {@code timestep_spacing} option (with {@code steps_offset = 0}).
 * Rounding is numpy's: half to even. For T = 1000 and n = 10 (the paper's table, whose steps are
 * 1-based; subtract 1 for gen4j's 0-based index):
 *
 * <pre>
 *   LINSPACE   999 888 777 666 555 444 333 222 111   0     (Nichol &amp; Dhariwal 2021)
 *   LEADING    900 800 700 600 500 400 300 200 100   0     (Song et al. 2021, DDIM)
 *   TRAILING   999 899 799 699 599 499 399 299 199  99     (Lu et al. 2022, DPM-Solver)
 *   QUADRATIC  999 789 604 444 308 197 111  49  12   0     (Song et al. 2021, appendix D.2)
 * </pre>
 *
 * <p>After the last (smallest) visited step every sampler jumps to clean data (ᾱ = 1), so a grid
 * need not contain step 0. A grid that does not start at T−1 (LEADING) hands the network pure noise
 * x_T ~ N(0, I) at a step where it was trained on x_t that still carry signal: Lin et al. show that
 * this mismatch degrades samples and recommend TRAILING. LINSPACE also starts at T−1; gen4j's
 * examples use it.
 */
public enum Spacing {
    /**
     * Evenly spaced including both ends: t_i = rint(i·(T−1)/(n−1)), i = 0 … n−1. Contains 0 and
     * T−1. Needs n ≥ 2.
     */
    LINSPACE,
    /**
     * Multiples of the integer ratio from the data end: t_i = i·⌊T/n⌋, i = 0 … n−1. Contains 0
     * but not T−1 unless n = T (its noisiest step is (n−1)·⌊T/n⌋ ≤ T − ⌊T/n⌋).
     */
    LEADING,
    /**
     * Evenly spaced from the noise end: t_i = rint(T − i·T/n) − 1, i = 0 … n−1. Contains T−1; its
     * least noisy step is rint(T/n) − 1, so it contains 0 only when T/n rounds to 1. (numpy's
     * {@code arange(T, 0, −T/n)}, which diffusers rounds, returns n + 1 values for some (T, n),
     * e.g. T = 17, n = 7; this formula always gives n.)
     */
    TRAILING,
    /**
     * Denser near the data end: t_i = round((i/(n−1))²·(T−1)), rounded half up, then made strictly
     * increasing (t_i = max(t_i, t_{i−1} + 1), and t_i ≤ T − n + i) because the squares collide
     * near 0. Contains 0 and T−1. Needs n ≥ 2. Song et al. 2021 (DDIM, appendix D.2) use
     * quadratic steps for CIFAR-10 (theirs end at 0.8·T; this one at T−1).
     */
    QUADRATIC;

    /**
     * The steps of this spacing, strictly decreasing (noisiest first), as {@link TimeGrid} wants
     * them.
     *
     * @param totalSteps T, at least 1
     * @param n the number of steps, in [1, T] ([2, T] for LINSPACE and QUADRATIC)
     * @return the n steps, strictly decreasing, each in [0, T−1]
     */
    int[] steps(int totalSteps, int n) {
        int minimum = this == LINSPACE || this == QUADRATIC ? 2 : 1;
        if (totalSteps < minimum) {
            throw new IllegalArgumentException(
                    "totalSteps must be >= " + minimum + " for " + this + ", got " + totalSteps);
        }
        if (n < minimum || n > totalSteps) {
            throw new IllegalArgumentException("n must be in [" + minimum + ", " + totalSteps
                    + "] for " + this + ", got " + n);
        }
        int[] ascending = new int[n];
        switch (this) {
            case LINSPACE: {
                double ratio = (totalSteps - 1.0) / (n - 1);
                for (int i = 0; i < n; i++) {
                    ascending[i] = (int) Math.rint(i * ratio);
                }
                ascending[n - 1] = totalSteps - 1;
                break;
            }
            case LEADING: {
                int ratio = totalSteps / n;
                for (int i = 0; i < n; i++) {
                    ascending[i] = i * ratio;
                }
                break;
            }
            case TRAILING: {
                double ratio = (double) totalSteps / n;
                for (int i = 0; i < n; i++) {
                    ascending[n - 1 - i] = (int) Math.rint(totalSteps - i * ratio) - 1;
                }
                break;
            }
            default: {
                for (int i = 0; i < n; i++) {
                    double u = (double) i / (n - 1);
                    ascending[i] = (int) Math.round(u * u * (totalSteps - 1));
                }
                for (int i = 1; i < n; i++) {
                    ascending[i] = Math.max(ascending[i], ascending[i - 1] + 1);
                }
                for (int i = n - 1; i >= 0; i--) {
                    ascending[i] = Math.min(ascending[i], totalSteps - n + i);
                }
            }
        }
        int[] descending = new int[n];
        for (int i = 0; i < n; i++) {
            descending[i] = ascending[n - 1 - i];
        }
        return descending;
    }
}
