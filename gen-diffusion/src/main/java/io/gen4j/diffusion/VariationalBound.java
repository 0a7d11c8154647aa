package io.gen4j.diffusion;

/**
 * The terms of the DDPM variational bound (Ho et al. 2020, eq. 5), averaged over a batch, in bits
 * per dimension:
 *
 * <pre>
 *   −log p(x_0) ≤ L_T + Σ_{t=1}^{T−1} L_{t} + L_0
 *   L_T = KL(q(x_T | x_0) ‖ N(0, I))                         (prior; no parameters)
 *   L_t = KL(q(x_{t−1} | x_t, x_0) ‖ p_θ(x_{t−1} | x_t))      (Gaussians with closed-form KL)
 *   L_0 = −log p_θ(x_0 | x_1)                                (discretised Gaussian decoder, §3.3)
 * </pre>
 *
 * (indices 0-based here: L_0 is the decoder at step 0, L_t for t = 1 … T−1 the denoising terms).
 * Nats per example are turned into bits per dimension by dividing by D·ln 2.
 *
 * @param bitsPerDim the whole bound, prior + Σ terms + decoder
 * @param priorBitsPerDim L_T
 * @param decoderBitsPerDim L_0
 * @param termBitsPerDim L_t for t = 0 … T−1 (entry 0 is the decoder term again, so that the array
 *     sums to bitsPerDim − priorBitsPerDim when every step was evaluated); steps that were not
 *     evaluated (stride &gt; 1) hold NaN
 * @param perExampleBitsPerDim the bound of each example of the batch
 * @param stride 1 when every step was evaluated; k when the sum was estimated without bias from
 *     one step drawn uniformly in each block of k steps (fewer in a last, partial block), scaled
 *     by the block's width (see {@code Ddpm.variationalBound})
 */
public record VariationalBound(
        double bitsPerDim,
        double priorBitsPerDim,
        double decoderBitsPerDim,
        double[] termBitsPerDim,
        double[] perExampleBitsPerDim,
        int stride) {

    /** Copies the arrays. */
    public VariationalBound {
        termBitsPerDim = termBitsPerDim.clone();
        perExampleBitsPerDim = perExampleBitsPerDim.clone();
        if (stride < 1) {
            throw new IllegalArgumentException("stride must be >= 1, got " + stride);
        }
    }

    /** @return a copy of the per-step terms */
    @Override
    public double[] termBitsPerDim() {
        return termBitsPerDim.clone();
    }

    /** @return a copy of the per-example bounds */
    @Override
    public double[] perExampleBitsPerDim() {
        return perExampleBitsPerDim.clone();
    }
}
