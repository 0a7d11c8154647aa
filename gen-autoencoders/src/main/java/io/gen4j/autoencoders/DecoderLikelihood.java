package io.gen4j.autoencoders;

import ai.djl.ndarray.NDArray;
import io.gen4j.core.math.Gaussians;
import io.gen4j.core.math.Scalars;

/**
 * The observation model p(x|z) of a VAE decoder.
 *
 * <ul>
 *   <li>{@link #BERNOULLI}: the decoder outputs logits l; {@code log p(x|z) = Σ_i x_i log σ(l_i) +
 *       (1 − x_i) log(1 − σ(l_i))}, computed from logits (stable). For data in [0, 1]; with
 *       non-binary grey levels it is the usual "continuous Bernoulli-free" approximation and not a
 *       normalised density.
 *   <li>{@link #GAUSSIAN_FIXED}: the decoder outputs the mean μ, σ is a fixed hyperparameter;
 *       {@code log p(x|z) = −½ Σ_i ((x_i − μ_i)²/σ² + log 2πσ²)}.
 *   <li>{@link #GAUSSIAN_LEARNED}: the same with one learned log σ shared by all pixels (the
 *       "σ-VAE" calibrated decoder of Rybkin et al. 2021).
 * </ul>
 */
public enum DecoderLikelihood {
    /** Bernoulli pixels from logits. */
    BERNOULLI,
    /** Gaussian with fixed standard deviation. */
    GAUSSIAN_FIXED,
    /** Gaussian with a learned, shared standard deviation. */
    GAUSSIAN_LEARNED;

    /**
     * Per-example log p(x|z) in nats.
     *
     * @param output decoder output (logits or means), shape (N, ...)
     * @param x data, same shape
     * @param logSigma log σ as a scalar array (ignored for Bernoulli; may be null then)
     * @return shape (N), in the manager of {@code output}
     */
    public NDArray logLikelihood(NDArray output, NDArray x, NDArray logSigma) {
        if (!output.getShape().equals(x.getShape())) {
            throw new IllegalArgumentException(
                    "decoder output and data shapes differ: " + output.getShape() + " vs " + x.getShape());
        }
        if (this == BERNOULLI) {
            return ReconstructionLoss.sumPerExample(ReconstructionLoss.bceWithLogits(output, x)).neg();
        }
        // log N(x; μ, σ²) = log N(μ; x, σ²) with log σ² = 2 log σ; μ first keeps the result in its manager
        return ReconstructionLoss.sumPerExample(Gaussians.logDensity(output, x, Scalars.times(logSigma, 2)));
    }

    /**
     * The mean of p(x|z): σ(l) for Bernoulli, μ for Gaussians.
     *
     * @param output decoder output
     * @return the mean, in the manager of {@code output}
     */
    public NDArray mean(NDArray output) {
        return this == BERNOULLI ? output.getNDArrayInternal().sigmoid() : output;
    }
}
