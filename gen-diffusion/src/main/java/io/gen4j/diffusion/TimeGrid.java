package io.gen4j.diffusion;

import java.util.Arrays;

/**
 * The steps a sampler visits, strictly decreasing from the noisiest step: t_{n−1} &gt; … &gt; t_0,
 * each in [0, T−1]. After the last visited step the sampler jumps to clean data (ᾱ = 1).
 *
 * <p>A grid is a value; the sampler that walks it keeps no counter. Build one with {@link #full}
 * (ancestral DDPM over every step) or {@link #spaced} (sub-sequences spread by a {@link Spacing}), or
 * pass any strictly decreasing steps to the constructor.
 *
 * @param steps the visited steps, strictly decreasing, non-negative
 */
public record TimeGrid(int[] steps) {

    /** Validates the steps and takes a defensive copy. */
    public TimeGrid {
        if (steps == null || steps.length == 0) {
            throw new IllegalArgumentException("a time grid needs at least one step");
        }
        steps = steps.clone();
        for (int i = 0; i < steps.length; i++) {
            if (steps[i] < 0) {
                throw new IllegalArgumentException("steps must be >= 0, got " + steps[i]);
            }
            if (i > 0 && steps[i] >= steps[i - 1]) {
                throw new IllegalArgumentException(
                        "steps must be strictly decreasing, got " + Arrays.toString(steps));
            }
        }
    }

    /**
     * @param totalSteps T
     * @return every step T−1, …, 0
     */
    public static TimeGrid full(int totalSteps) {
        if (totalSteps < 1) {
            throw new IllegalArgumentException("totalSteps must be >= 1, got " + totalSteps);
        }
        int[] s = new int[totalSteps];
        for (int i = 0; i < totalSteps; i++) {
            s[i] = totalSteps - 1 - i;
        }
        return new TimeGrid(s);
    }

    /**
     * A sub-sequence of n of the T steps, spread by {@code spacing} (see {@link Spacing} for each
     * formula). LINSPACE and QUADRATIC grids contain both 0 and T−1; TRAILING grids contain T−1 and
     * end at rint(T/n) − 1; LEADING grids contain 0 and start at (n−1)·⌊T/n⌋, as in diffusers and
     * in Lin et al. 2024, table 2. Every sampler ends with a jump from the smallest visited step to clean data.
     *
     * @param totalSteps T
     * @param n number of steps, in [1, T] ([2, T] for LINSPACE and QUADRATIC)
     * @param spacing how to spread them
     * @return the grid
     */
    public static TimeGrid spaced(int totalSteps, int n, Spacing spacing) {
        if (spacing == null) {
            throw new IllegalArgumentException("spacing must not be null");
        }
        return new TimeGrid(spacing.steps(totalSteps, n));
    }

    /** @return a copy of the steps, strictly decreasing */
    @Override
    public int[] steps() {
        return steps.clone();
    }

    /** @return the number of visited steps (network evaluations of a first-order sampler) */
    public int size() {
        return steps.length;
    }

    /**
     * @param i index in [0, size())
     * @return the i-th visited step
     */
    public int step(int i) {
        return steps[i];
    }

    /**
     * @param i index in [0, size())
     * @return the step after the i-th, or −1 (clean data) after the last
     */
    public int next(int i) {
        return i + 1 < steps.length ? steps[i + 1] : -1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TimeGrid g && Arrays.equals(steps, g.steps);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(steps);
    }

    @Override
    public String toString() {
        return "TimeGrid" + Arrays.toString(steps);
    }
}
