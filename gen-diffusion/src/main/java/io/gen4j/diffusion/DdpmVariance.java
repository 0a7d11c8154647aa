package io.gen4j.diffusion;

/**
 * The two fixed reverse-process variances of Ho et al. 2020 (§3.2): σ_t² = β_t ("large", optimal
 * for x_0 ~ N(0, I)) or σ_t² = β̃_t = (1 − ᾱ_{t−1})/(1 − ᾱ_t)·β_t ("small", optimal for a
 * deterministic x_0). They are the upper and lower bounds on the true reverse variance.
 *
 * <p>On a sub-sequence of steps s &lt; t, β is replaced by the respaced β' = 1 − ᾱ_t/ᾱ_s (Nichol
 * &amp; Dhariwal 2021, §4) and β̃ by (1 − ᾱ_s)/(1 − ᾱ_t)·β'.
 */
public enum DdpmVariance {
    /** σ_t² = β̃_t, the posterior variance. */
    FIXED_SMALL,
    /** σ_t² = β_t. */
    FIXED_LARGE;

    /**
     * @param alphaBarT ᾱ at the current step t
     * @param alphaBarS ᾱ at the next step s &lt; t (1 for clean data)
     * @return σ² of the step t -> s
     */
    public double variance(double alphaBarT, double alphaBarS) {
        double betaPrime = 1.0 - alphaBarT / alphaBarS;
        return this == FIXED_LARGE ? betaPrime : (1.0 - alphaBarS) / (1.0 - alphaBarT) * betaPrime;
    }
}
