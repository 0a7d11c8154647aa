package io.gen4j.diffusion;

/**
 * Per-timestep weight of the diffusion regression loss ‖target − output‖².
 *
 * <p>{@link #uniform()} is Ho et al.'s "simple" loss L_simple (weight 1 in the chosen
 * parameterisation). {@link #minSnr(double)} is Min-SNR-γ (Hang et al. 2023, "Efficient Diffusion
 * Training via Min-SNR Weighting Strategy"): the x_0-space loss is weighted by min(SNR(t), γ). Since
 * ‖ε − ε̂‖² = SNR·‖x_0 − x̂_0‖² and ‖v − v̂‖² = (SNR + 1)·‖x_0 − x̂_0‖², the weight in the network's
 * own parameterisation is
 *
 * <pre>
 *   ε:   min(SNR, γ) / SNR        x_0:   min(SNR, γ)        v:   min(SNR, γ) / (SNR + 1)
 * </pre>
 */
public sealed interface LossWeighting permits LossWeighting.Uniform, LossWeighting.MinSnr {

    /**
     * @param snr SNR(t) = ᾱ_t / (1 − ᾱ_t), positive
     * @param prediction the network's parameterisation
     * @return the weight of the squared error at this timestep
     */
    double weight(double snr, Prediction prediction);

    /** @return weight 1 everywhere: L_simple of Ho et al. 2020 */
    static LossWeighting uniform() {
        return new Uniform();
    }

    /**
     * @param gamma γ, the SNR cap; 5 in the paper
     * @return Min-SNR-γ weighting
     */
    static LossWeighting minSnr(double gamma) {
        return new MinSnr(gamma);
    }

    /** Uniform weighting (L_simple). */
    record Uniform() implements LossWeighting {
        @Override
        public double weight(double snr, Prediction prediction) {
            return 1.0;
        }
    }

    /**
     * Min-SNR-γ weighting.
     *
     * @param gamma the SNR cap γ, in (0, 1e6]
     */
    record MinSnr(double gamma) implements LossWeighting {
        /** Validates γ. */
        public MinSnr {
            if (!(gamma > 0 && gamma <= 1e6)) {
                throw new IllegalArgumentException("gamma must be in (0, 1e6], got " + gamma);
            }
        }

        @Override
        public double weight(double snr, Prediction prediction) {
            double clipped = Math.min(snr, gamma);
            switch (prediction) {
                case EPSILON:
                    return clipped / snr;
                case X0:
                    return clipped;
                default:
                    return clipped / (snr + 1.0);
            }
        }
    }
}
