package io.gen4j.autoregressive;

/** The orderings of a {@link Made}'s mask sets. */
public enum MadeOrdering {
    /** Every mask set generates x_0, x_1, …, x_{D−1}. */
    NATURAL,
    /** One random ordering (drawn from the config's seed) shared by every mask set. */
    RANDOM,
    /**
     * Every mask set has its own random ordering (order-agnostic training, Uria et al. 2014; Germain
     * et al. 2015, section 4.2): at test time the sets form an ensemble.
     */
    ORDER_AGNOSTIC
}
