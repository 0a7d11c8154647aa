package io.gen4j.diffusion.discrete;

/**
 * The log-linear schedule of SEDD (Lou et al. 2024, §5.1): the survival probability e^{−σ̄(t)}
 * falls linearly in t, from 1 to ε,
 *
 * <pre>
 *   σ̄(t) = −log(1 − (1 − ε)·t),   σ(t) = (1 − ε) / (1 − (1 − ε)·t)
 * </pre>
 *
 * <p>so that the absorbing process masks a fraction (1 − ε)·t of the tokens at time t. With ε = 0
 * every token is masked at t = 1 exactly (σ̄(1) = ∞), which makes the all-mask sequence the exact
 * start of the reverse process and the prior term of the likelihood bound zero; the weight
 * σ/(e^{σ̄} − 1) is then 1/t for every ε.
 *
 * @param eps the survival probability at t = 1, in [0, 1)
 */
public record LogLinearNoise(double eps) implements NoiseLevel {

    /** Validates. */
    public LogLinearNoise {
        if (!(eps >= 0 && eps < 1)) {
            throw new IllegalArgumentException("eps must be in [0, 1), got " + eps);
        }
    }

    /** @return the schedule with ε = 0: fully masked at t = 1 */
    public static LogLinearNoise complete() {
        return new LogLinearNoise(0);
    }

    @Override
    public double total(double t) {
        return -Math.log1p(-(1 - eps) * t);
    }

    @Override
    public double rate(double t) {
        return (1 - eps) / (1 - (1 - eps) * t);
    }

    /** σ/(e^{σ̄} − 1) = (1 − ε)/(1 − (1 − ε)t) · (1 − (1 − ε)t)/((1 − ε)t) = 1/t. */
    @Override
    public double rateOverExpm1(double t) {
        return 1 / t;
    }

    @Override
    public double survival(double t) {
        return 1 - (1 - eps) * t;
    }
}
