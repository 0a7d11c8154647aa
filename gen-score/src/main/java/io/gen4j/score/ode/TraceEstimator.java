package io.gen4j.score.ode;

/**
 * How {@link OdeLikelihood} computes the divergence ∇·v = tr(∂v/∂x) of the instantaneous change of
 * variables (Chen et al. 2018).
 */
public enum TraceEstimator {
    /** tr(∂v/∂x) exactly, one backward pass per dimension: for low-dimensional data (2-D). */
    EXACT,
    /**
     * Hutchinson's estimator εᵀ(∂v/∂x)ε with ε ~ N(0, I), one backward pass, unbiased (FFJORD,
     * Grathwohl et al. 2019); ε is drawn once per solve, as in FFJORD and score_sde.
     */
    HUTCHINSON_GAUSSIAN,
    /** Hutchinson's estimator with Rademacher ε ∈ {−1, 1}^D (lower variance than Gaussian ε). */
    HUTCHINSON_RADEMACHER
}
