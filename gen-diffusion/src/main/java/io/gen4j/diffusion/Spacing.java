package io.gen4j.diffusion;

/**
 * How a sampler with fewer steps than the schedule picks its steps among 0 … T−1.
 *
 * <p>{@link #UNIFORM}: t_i = round(i·(T−1)/(n−1)), which always contains the last step T−1 (the
 * "trailing" choice that Lin et al. 2024 recommend over DDIM's original leading spacing).
 * {@link #QUADRATIC}: t_i = round((i/(n−1))²·(T−1)) — denser near the data end; Song et al. 2021
 * (DDIM, appendix D.2) use it for CIFAR-10.
 */
public enum Spacing {
    /** Evenly spaced steps. */
    UNIFORM,
    /** Steps spaced like i², denser at small t. */
    QUADRATIC
}
