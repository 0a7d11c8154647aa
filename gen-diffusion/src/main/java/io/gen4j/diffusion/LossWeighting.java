package io.gen4j.diffusion;

/**
 * Per-timestep weight w(t) of the diffusion regression loss w(t)·‖target − output‖², expressed in
 * the network's own parameterisation. Implement it (a lambda will do) to add a weighting; {@link
 * Ddpm#loss} multiplies each example's squared error by it, whatever the implementation.
 *
 * <p>The three parameterisations give the same loss up to a factor that depends only on the SNR:
 * with SNR = ᾱ/(1 − ᾱ), ‖ε − ε̂‖² = SNR·‖x_0 − x̂_0‖² and ‖v − v̂‖² = (SNR + 1)·‖x_0 − x̂_0‖².
 * So a weighting defined by its x_0-space weight λ(SNR) has, in the network's parameterisation,
 *
 * <pre>
 *   ε:   λ(SNR) / SNR        x_0:   λ(SNR)        v:   λ(SNR) / (SNR + 1)
 * </pre>
 *
 * <p>Provided:
 *
 * <ul>
 *   <li>{@link #uniform()}: weight 1 in the network's own parameterisation (Ho et al. 2020's
 *       L_simple when the network predicts ε).
 *   <li>{@link #minSnr(double)}: Min-SNR-γ (Hang et al. 2023, "Efficient Diffusion Training via
 *       Min-SNR Weighting Strategy"), λ = min(SNR, γ).
 *   <li>{@link #p2(double, double)}: P2 weighting (Choi et al. 2022, "Perception Prioritized
 *       Training of Diffusion Models", eq. 8), 1/(k + SNR)^γ on the ε-loss, i.e. λ = SNR/(k +
 *       SNR)^γ.
 * </ul>
 */
@FunctionalInterface
public interface LossWeighting {

    /**
     * @param snr SNR(t) = ᾱ_t / (1 − ᾱ_t), positive
     * @param prediction the network's parameterisation
     * @return the weight of the squared error at this timestep, finite and non-negative
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

    /**
     * @param k k, in (0, 1e6]; 1 in the paper
     * @param gamma γ, in [0, 10]; 0.5 or 1 in the paper (0 gives back L_simple for ε)
     * @return P2 weighting
     */
    static LossWeighting p2(double k, double gamma) {
        return new P2(k, gamma);
    }

    /** Uniform weighting (L_simple): w = 1 in every parameterisation. */
    record Uniform() implements LossWeighting {
        @Override
        public double weight(double snr, Prediction prediction) {
            return 1.0;
        }
    }

    /**
     * Min-SNR-γ weighting: λ(SNR) = min(SNR, γ) in x_0-space, so min(SNR, γ)/SNR for ε, min(SNR,
     * γ) for x_0 and min(SNR, γ)/(SNR + 1) for v.
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
            return fromX0Space(Math.min(snr, gamma), snr, prediction);
        }
    }

    /**
     * P2 weighting (Choi et al. 2022, eq. 8): the ε-space weight is 1/(k + SNR)^γ, which
     * down-weights the high-SNR steps where the network only removes imperceptible noise. In
     * x_0-space λ(SNR) = SNR/(k + SNR)^γ, so SNR/(k + SNR)^γ for x_0 and SNR/((SNR + 1)(k +
     * SNR)^γ) for v.
     *
     * @param k the offset k, in (0, 1e6]; keeps the weight bounded as SNR → 0
     * @param gamma the exponent γ, in [0, 10]
     */
    record P2(double k, double gamma) implements LossWeighting {
        /** Validates k and γ. */
        public P2 {
            if (!(k > 0 && k <= 1e6)) {
                throw new IllegalArgumentException("k must be in (0, 1e6], got " + k);
            }
            if (!(gamma >= 0 && gamma <= 10)) {
                throw new IllegalArgumentException("gamma must be in [0, 10], got " + gamma);
            }
        }

        @Override
        public double weight(double snr, Prediction prediction) {
            double epsilonWeight = Math.pow(k + snr, -gamma);
            return fromX0Space(snr * epsilonWeight, snr, prediction);
        }
    }

    /**
     * Converts an x_0-space weight λ to the weight of the network's parameterisation.
     *
     * @param lambda λ(SNR), the weight of ‖x_0 − x̂_0‖²
     * @param snr SNR(t)
     * @param prediction the parameterisation
     * @return λ/SNR for ε, λ for x_0, λ/(SNR + 1) for v
     */
    static double fromX0Space(double lambda, double snr, Prediction prediction) {
        switch (prediction) {
            case EPSILON:
                return lambda / snr;
            case X0:
                return lambda;
            default:
                return lambda / (snr + 1.0);
        }
    }
}
