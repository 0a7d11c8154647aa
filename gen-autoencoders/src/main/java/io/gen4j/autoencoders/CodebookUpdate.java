package io.gen4j.autoencoders;

/** How a {@link VectorQuantizer} learns its codebook. */
public enum CodebookUpdate {
    /**
     * By gradient descent on the codebook loss {@code ‖sg[z_e] − e‖²} (van den Oord et al. 2017).
     */
    GRADIENT,
    /**
     * By exponential moving averages of the assigned encoder outputs (k-means-like, Appendix A.1 of
     * van den Oord et al. 2017); the codebook gets no gradient. The averages start at one
     * pseudo-vector per code at its initial value (N_k = 1, m_k = e_k; see {@link VectorQuantizer}),
     * so a code that receives nothing keeps its value. Supports dead-code restarts.
     */
    EMA
}
