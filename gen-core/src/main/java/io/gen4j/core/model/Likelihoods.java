package io.gen4j.core.model;

import ai.djl.ndarray.NDArray;
import io.gen4j.core.math.Scalars;

/**
 * Unit conversions for likelihood models: negative log-likelihood in nats ↔ bits per dimension,
 * with the offset of uniform dequantization.
 *
 * <p>A continuous density p(x) fitted to discrete data (e.g. 8-bit pixels) that were dequantized with
 * uniform noise into bins of width Δ (in the units the model sees) gives the discrete probability
 * P(bin) ≥ p(x)·Δ^D (Theis et al. 2016, "A note on the evaluation of generative models"). Hence
 * <pre>
 *   NLL_discrete = NLL_continuous − D·ln Δ          (nats)
 *   bits/dim     = NLL_discrete / (D · ln 2)
 * </pre>
 * For 8-bit data scaled to [0, 1], Δ = 1/256 and the offset is +D·ln 256; for data scaled to
 * [−1, 1], Δ = 2/256. Pass Δ = 1 when the NLL is already that of the discrete data.
 * The {@link LikelihoodModel} contract reports log p(x) in nats, so
 * NLL = −logLikelihood.
 */
public final class Likelihoods {

    /** Bin width of 8-bit data scaled to [0, 1]. */
    public static final double BIN_WIDTH_8BIT_UNIT = 1.0 / 256.0;

    /** Bin width of 8-bit data scaled to [−1, 1]. */
    public static final double BIN_WIDTH_8BIT_SYMMETRIC = 2.0 / 256.0;

    private static final double LN2 = Math.log(2.0);

    private Likelihoods() {}

    /**
     * @param nllNats negative log-likelihood of one example under the continuous density, nats
     * @param dims number of dimensions D of one example (e.g. 3·32·32)
     * @param binWidth dequantization bin width Δ in model units, in (0, ∞); 1 for no offset
     * @return bits per dimension of the discrete data
     */
    public static double bitsPerDim(double nllNats, long dims, double binWidth) {
        checkDims(dims);
        checkBinWidth(binWidth);
        return (nllNats - dims * Math.log(binWidth)) / (dims * LN2);
    }

    /**
     * Inverse of {@link #bitsPerDim(double, long, double)}.
     *
     * @param bitsPerDim bits per dimension of the discrete data
     * @param dims number of dimensions D
     * @param binWidth dequantization bin width Δ; 1 for no offset
     * @return negative log-likelihood under the continuous density, nats
     */
    public static double nllNats(double bitsPerDim, long dims, double binWidth) {
        checkDims(dims);
        checkBinWidth(binWidth);
        return bitsPerDim * dims * LN2 + dims * Math.log(binWidth);
    }

    /**
     * Per-example bits/dim from per-example log-likelihoods (as returned by a
     * {@link LikelihoodModel}).
     *
     * @param logLikelihoodNats log p(x) in nats, shape (N)
     * @param dims number of dimensions D of one example
     * @param binWidth dequantization bin width Δ; 1 for no offset
     * @return bits/dim, shape (N), in the manager of the input
     */
    public static NDArray bitsPerDim(NDArray logLikelihoodNats, long dims, double binWidth) {
        checkDims(dims);
        checkBinWidth(binWidth);
        return Scalars.dividedByInPlace(logLikelihoodNats.neg().subi(dims * Math.log(binWidth)), dims * LN2);
    }

    /**
     * Mean bits/dim of a batch of log-likelihoods given as doubles.
     *
     * @param logLikelihoodNats log p(x) per example, nats
     * @param dims number of dimensions D of one example
     * @param binWidth dequantization bin width Δ; 1 for no offset
     * @return the mean bits/dim
     */
    public static double meanBitsPerDim(double[] logLikelihoodNats, long dims, double binWidth) {
        if (logLikelihoodNats.length == 0) {
            throw new IllegalArgumentException("logLikelihoodNats must not be empty");
        }
        double sum = 0;
        for (double ll : logLikelihoodNats) {
            sum += -ll;
        }
        return bitsPerDim(sum / logLikelihoodNats.length, dims, binWidth);
    }

    private static void checkDims(long dims) {
        if (dims < 1) {
            throw new IllegalArgumentException("dims must be >= 1, got " + dims);
        }
    }

    private static void checkBinWidth(double binWidth) {
        if (!(binWidth > 0) || Double.isInfinite(binWidth)) {
            throw new IllegalArgumentException("binWidth must be in (0, inf), got " + binWidth);
        }
    }
}
