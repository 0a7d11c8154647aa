package io.gen4j.autoencoders;

/**
 * Hyperparameters of a {@link Vae}.
 *
 * @param latentDim size d of z, at least 1
 * @param likelihood the decoder's observation model
 * @param sigma the fixed σ of {@link DecoderLikelihood#GAUSSIAN_FIXED}, or the initial σ of
 *     {@link DecoderLikelihood#GAUSSIAN_LEARNED}; ignored for Bernoulli; > 0
 * @param kl β, warm-up and free bits
 * @param likelihoodSamples K of the importance-weighted bound used by {@link Vae#logLikelihood}
 */
public record VaeConfig(
        int latentDim, DecoderLikelihood likelihood, double sigma, KlSchedule kl, int likelihoodSamples) {

    /** Validates the values. */
    public VaeConfig {
        if (latentDim < 1) {
            throw new IllegalArgumentException("latentDim must be >= 1, got " + latentDim);
        }
        if (likelihood == null || kl == null) {
            throw new IllegalArgumentException("likelihood and kl must not be null");
        }
        if (!(sigma > 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("sigma must be finite and > 0, got " + sigma);
        }
        if (likelihoodSamples < 1) {
            throw new IllegalArgumentException("likelihoodSamples must be >= 1, got " + likelihoodSamples);
        }
    }

    /**
     * @param latentDim d
     * @return a Bernoulli VAE with the plain ELBO and K = 64 for likelihoods
     */
    public static VaeConfig defaults(int latentDim) {
        return new VaeConfig(latentDim, DecoderLikelihood.BERNOULLI, 1.0, KlSchedule.defaults(), 64);
    }

    /**
     * @param schedule the KL schedule
     * @return a copy with it
     */
    public VaeConfig withKl(KlSchedule schedule) {
        return new VaeConfig(latentDim, likelihood, sigma, schedule, likelihoodSamples);
    }

    /**
     * @param model the observation model
     * @param s its σ
     * @return a copy with them
     */
    public VaeConfig withLikelihood(DecoderLikelihood model, double s) {
        return new VaeConfig(latentDim, model, s, kl, likelihoodSamples);
    }
}
