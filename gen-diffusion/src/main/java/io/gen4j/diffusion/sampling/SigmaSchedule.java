package io.gen4j.diffusion.sampling;

import io.gen4j.diffusion.NoiseSchedule;
import io.gen4j.diffusion.TimeGrid;

/**
 * The noise levels σ_0 &gt; σ_1 &gt; … &gt; σ_{n−1} &gt; 0 that a σ-space sampler ({@link
 * KarrasEulerSampler}, {@link KarrasHeunSampler}, {@link DpmSolverPlusPlusSampler}) visits for a
 * {@link TimeGrid} of n steps, in the variables of Karras et al. 2022 (x/√ᾱ = x_0 + σ·ε, σ_t =
 * {@link NoiseSchedule#sigma}); after σ_{n−1} every sampler steps to σ = 0 (clean data), as the
 * integer-step samplers jump to clean data after the grid's last step.
 *
 * <ul>
 *   <li>{@link #grid()}: σ at the grid's own steps (diffusers' default for its Euler, Heun and
 *       DPM-Solver schedulers), so the grid's {@code Spacing} (LINSPACE, LEADING, TRAILING) decides;
 *   <li>{@link #grid(double)}: the same with the first level capped (a trailing grid of a cosine
 *       schedule starts at σ(T−1) ≈ 2·10⁴);
 *   <li>{@link #karras(double)}: Karras et al.'s schedule from σ_max = 80 to σ_min = 0.002,
 *       clamped to the σ of the grid's first and last steps (k-diffusion's "Karras" samplers,
 *       diffusers' {@code use_karras_sigmas}); {@link #karras(double, double, double)} with other
 *       ends, ∞ and 0 for the grid's own.
 * </ul>
 */
@FunctionalInterface
public interface SigmaSchedule {

    /**
     * @param grid the visited steps (their number and their noisiest and least noisy step)
     * @param schedule the schedule the grid indexes
     * @return n strictly decreasing positive noise levels
     */
    double[] sigmas(TimeGrid grid, NoiseSchedule schedule);

    /** @return σ_i = σ(t_i) at every step of the grid */
    static SigmaSchedule grid() {
        return (grid, schedule) -> {
            double[] s = new double[grid.size()];
            for (int i = 0; i < s.length; i++) {
                s[i] = schedule.sigma(grid.step(i));
            }
            return s;
        };
    }

    /**
     * The grid's levels with the first one capped: σ_0 = min(sigmaMax, σ(t_0)), σ_i = σ(t_i) for
     * i ≥ 1. The sampler starts from x_T·√(1 + σ_0²), the noisy data's law at σ_0 up to a relative
     * error of order Var(x_0)/σ_0².
     *
     * @param sigmaMax the cap, &gt; 0; it must lie above the grid's second level
     * @return the capped grid levels
     */
    static SigmaSchedule grid(double sigmaMax) {
        if (!(sigmaMax > 0)) {
            throw new IllegalArgumentException("sigmaMax must be > 0, got " + sigmaMax);
        }
        return (grid, schedule) -> {
            double[] s = grid().sigmas(grid, schedule);
            if (s.length > 1 && !(s[1] < sigmaMax)) {
                throw new IllegalArgumentException("sigmaMax " + sigmaMax + " must lie above the grid's second level "
                        + s[1] + " (step " + grid.step(1) + ")");
            }
            s[0] = Math.min(s[0], sigmaMax);
            return s;
        };
    }

    /**
     * @param rho ρ, &gt; 0 (Karras et al. use 7)
     * @return Karras et al.'s schedule from σ_max = 80 to σ_min = 0.002, clamped to [σ(t_{n−1}),
     *     σ(t_0)]
     */
    static SigmaSchedule karras(double rho) {
        return new KarrasSigmas(rho, KarrasSigmas.DEFAULT_SIGMA_MAX, KarrasSigmas.DEFAULT_SIGMA_MIN);
    }

    /**
     * @param rho ρ, &gt; 0
     * @param sigmaMax the largest level, &gt; 0 (∞: σ(t_0))
     * @param sigmaMin the smallest level, in [0, sigmaMax) (0: σ(t_{n−1}))
     * @return Karras et al.'s schedule between those ends, clamped to [σ(t_{n−1}), σ(t_0)]
     */
    static SigmaSchedule karras(double rho, double sigmaMax, double sigmaMin) {
        return new KarrasSigmas(rho, sigmaMax, sigmaMin);
    }
}
