package io.gen4j.autoencoders;

/** The prior of a {@link ConditionalVae}. */
public enum ConditionalPrior {
    /** p(z|y) = N(0, I) for every class: the label enters only through encoder and decoder. */
    STANDARD_NORMAL,
    /**
     * p(z|y) = N(μ_y, diag(e^{logVar_y})) with a learned mean and log-variance per class (Sohn et
     * al. 2015's "prior network", here a lookup table), initialised at N(0, I).
     */
    LEARNED
}
