package io.gen4j.score.sde;

/**
 * The sub-VP SDE dx = −½β(t)x dt + √(β(t)(1 − e^{−2B(t)})) dW (Song et al. 2021, eq. 29): the drift
 * of {@link VpSde} with a smaller diffusion, so that its marginal variance (1 − e^{−B})² stays
 * below the VP one at every t; it gave better likelihoods in the paper.
 *
 * @param betaMin β(0) &gt; 0
 * @param betaMax β(1) ≥ β_min
 */
public record SubVpSde(double betaMin, double betaMax) implements Sde {

    /** Validates. */
    public SubVpSde {
        new VpSde(betaMin, betaMax);
    }

    /** @return β_min = 0.1, β_max = 20 */
    public static SubVpSde defaults() {
        return new SubVpSde(0.1, 20);
    }

    private VpSde vp() {
        return new VpSde(betaMin, betaMax);
    }

    @Override
    public double driftScale(double t) {
        return -0.5 * vp().beta(t);
    }

    @Override
    public double diffusion(double t) {
        return Math.sqrt(vp().beta(t) * -Math.expm1(-2 * vp().integratedBeta(t)));
    }

    @Override
    public double meanScale(double t) {
        return Math.exp(-0.5 * vp().integratedBeta(t));
    }

    @Override
    public double marginalStd(double t) {
        return -Math.expm1(-vp().integratedBeta(t));
    }

    @Override
    public double priorStd() {
        return 1.0;
    }
}
