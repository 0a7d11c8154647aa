package io.gen4j.score.sde;

/**
 * The variance-preserving SDE dx = −½β(t)x dt + √β(t) dW with a linear β(t) = β_min + t(β_max −
 * β_min) (Song et al. 2021, eq. 11): the continuum limit of DDPM's Markov chain x_i = √(1−β_i)
 * x_{i−1} + √β_i z with β_i = β(i/N)/N.
 *
 * <p>With B(t) = ∫₀ᵗ β = β_min t + ½(β_max − β_min)t², the marginal is N(e^{−B/2} x_0, (1 − e^{−B}) I)
 * and the prior N(0, I).
 *
 * @param betaMin β(0) &gt; 0 (0.1 in score_sde)
 * @param betaMax β(1) ≥ β_min (20 in score_sde)
 */
public record VpSde(double betaMin, double betaMax) implements Sde {

    /** Validates. */
    public VpSde {
        if (!(betaMin > 0) || !(betaMax >= betaMin) || Double.isInfinite(betaMax)) {
            throw new IllegalArgumentException(
                    "need 0 < betaMin <= betaMax < inf, got betaMin=" + betaMin + ", betaMax=" + betaMax);
        }
    }

    /** @return β_min = 0.1, β_max = 20, as in score_sde and DDPM's linear schedule with N = 1000 */
    public static VpSde defaults() {
        return new VpSde(0.1, 20);
    }

    /**
     * @param t time
     * @return β(t)
     */
    public double beta(double t) {
        return betaMin + t * (betaMax - betaMin);
    }

    /**
     * @param t time
     * @return B(t) = ∫₀ᵗ β(u) du
     */
    public double integratedBeta(double t) {
        return betaMin * t + 0.5 * (betaMax - betaMin) * t * t;
    }

    @Override
    public double driftScale(double t) {
        return -0.5 * beta(t);
    }

    @Override
    public double diffusion(double t) {
        return Math.sqrt(beta(t));
    }

    @Override
    public double meanScale(double t) {
        return Math.exp(-0.5 * integratedBeta(t));
    }

    @Override
    public double marginalStd(double t) {
        return Math.sqrt(-Math.expm1(-integratedBeta(t)));
    }

    @Override
    public double priorStd() {
        return 1.0;
    }
}
