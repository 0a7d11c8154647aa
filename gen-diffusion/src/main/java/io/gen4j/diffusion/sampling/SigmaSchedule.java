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
 *   <li>{@link #karras(double)}: Karras et al.'s schedule between the σ of the grid's first and
 *       last steps (diffusers' {@code use_karras_sigmas}).
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
     * @param rho ρ, &gt; 0 (Karras et al. use 7)
     * @return Karras et al.'s schedule between σ(t_0) and σ(t_{n−1})
     */
    static SigmaSchedule karras(double rho) {
        return new KarrasSigmas(rho);
    }
}
