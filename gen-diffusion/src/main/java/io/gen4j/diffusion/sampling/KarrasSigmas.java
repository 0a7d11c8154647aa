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
 * with σ_max = σ of the grid's first (noisiest) step and σ_min = σ of its last step. ρ = 7 (the
 * paper's choice) puts more steps at low noise; ρ = 1 is linear in σ, ρ → ∞ geometric. Use a
 * LINSPACE grid to span the whole trained range [σ(0), σ(T−1)], as diffusers'
 * {@code use_karras_sigmas} does. With n = 1 the schedule is σ_max alone.
 *
 * @param rho ρ, positive and finite
 */
public record KarrasSigmas(double rho) implements SigmaSchedule {

    /** Validates ρ. */
    public KarrasSigmas {
        if (!(rho > 0) || Double.isInfinite(rho)) {
            throw new IllegalArgumentException("rho must be finite and > 0, got " + rho);
        }
    }

    @Override
    public double[] sigmas(TimeGrid grid, NoiseSchedule schedule) {
        int n = grid.size();
        double max = schedule.sigma(grid.step(0));
        double min = schedule.sigma(grid.step(n - 1));
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
