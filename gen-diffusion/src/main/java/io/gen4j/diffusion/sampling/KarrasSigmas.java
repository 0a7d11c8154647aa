package io.gen4j.diffusion.sampling;

import io.gen4j.diffusion.NoiseSchedule;
import io.gen4j.diffusion.TimeGrid;

/**
 * The noise levels of Karras et al. 2022 ("Elucidating the Design Space of Diffusion-Based
 * Generative Models", eq. 5): evenly spaced in σ^(1/ρ) from σ_max down to σ_min,
 *
 * <pre>
 *   σ_i = (σ_max^(1/ρ) + i/(n−1) · (σ_min^(1/ρ) − σ_max^(1/ρ)))^ρ,   i = 0 … n−1
 * </pre>
 *
 * with the requested σ_max and σ_min clamped to the range the grid spans, as k-diffusion's {@code
 * get_sigmas_karras} is called with the model's {@code sigma_min}/{@code sigma_max}:
 *
 * <pre>
 *   σ_max = min(sigmaMax, σ(t_0)),   σ_min = max(sigmaMin, σ(t_{n−1}))
 * </pre>
 *
 * Karras et al. use σ_max = 80, σ_min = 0.002 and ρ = 7 ({@link #DEFAULT_SIGMA_MAX}, {@link
 * #DEFAULT_SIGMA_MIN}). The cap matters for schedules whose last step is almost pure noise: the
 * cosine schedule's β clip (0.999) gives σ(T−1) ≈ 2·10⁴ at T = 1000, and a schedule from there
 * spends its few levels where nothing is decided (at 4 levels: 20291, 1800, 45, σ_min); capped at
 * 80 the levels are 80, 11, 0.7, σ_min. The sampler starts from x_T·√(1 + σ_max²), which has the
 * law of the noisy data at σ_max up to a relative error of order Var(x_0)/σ_max². A {@link
 * io.gen4j.diffusion.Spacing#LINSPACE LINSPACE} grid spans the whole trained range [σ(0), σ(T−1)], as diffusers'
 * {@code use_karras_sigmas} does; sigmaMax = ∞ and sigmaMin = 0 keep the grid's ends. With n = 1
 * the schedule is σ_max alone.
 *
 * @param rho ρ, positive and finite
 * @param sigmaMax the largest level asked for, &gt; 0 (∞: the grid's first step)
 * @param sigmaMin the smallest level asked for, ≥ 0 and below sigmaMax (0: the grid's last step)
 */
public record KarrasSigmas(double rho, double sigmaMax, double sigmaMin) implements SigmaSchedule {

    /** Karras et al.'s σ_max (EDM, k-diffusion's defaults for VP models). */
    public static final double DEFAULT_SIGMA_MAX = 80;

    /** Karras et al.'s σ_min. */
    public static final double DEFAULT_SIGMA_MIN = 0.002;

    /** Validates. */
    public KarrasSigmas {
        if (!(rho > 0) || Double.isInfinite(rho)) {
            throw new IllegalArgumentException("rho must be finite and > 0, got " + rho);
        }
        if (!(sigmaMax > 0)) {
            throw new IllegalArgumentException("sigmaMax must be > 0 (infinity: the grid's first step), got "
                    + sigmaMax);
        }
        if (!(sigmaMin >= 0) || !(sigmaMin < sigmaMax)) {
            throw new IllegalArgumentException("sigmaMin must be in [0, sigmaMax = " + sigmaMax + "), got "
                    + sigmaMin);
        }
    }

    /**
     * Between the grid's ends, without clamping.
     *
     * @param rho ρ
     */
    public KarrasSigmas(double rho) {
        this(rho, Double.POSITIVE_INFINITY, 0);
    }

    @Override
    public double[] sigmas(TimeGrid grid, NoiseSchedule schedule) {
        int n = grid.size();
        double first = schedule.sigma(grid.step(0));
        double last = schedule.sigma(grid.step(n - 1));
        double max = Math.min(sigmaMax, first);
        double min = Math.max(sigmaMin, last);
        if (n > 1 && !(min < max)) {
            throw new IllegalArgumentException("the clamped range is empty: sigmaMax " + sigmaMax + " and sigmaMin "
                    + sigmaMin + " clamped to the grid's [" + last + ", " + first + "] give [" + min + ", " + max + "]");
        }
        double[] s = new double[n];
        s[0] = max;
        if (n == 1) {
            return s;
        }
        double a = Math.pow(max, 1 / rho);
        double b = Math.pow(min, 1 / rho);
        for (int i = 1; i < n - 1; i++) {
            s[i] = Math.pow(a + (double) i / (n - 1) * (b - a), rho);
        }
        s[n - 1] = min;
        return s;
    }
}
