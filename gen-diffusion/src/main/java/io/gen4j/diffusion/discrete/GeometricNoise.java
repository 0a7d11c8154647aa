package io.gen4j.diffusion.discrete;

/**
 * The geometric schedule of SEDD (Lou et al. 2024, §5.1), used with the uniform process: the total
 * noise moves geometrically from σ_min to σ_max,
 *
 * <pre>
 *   σ̄(t) = σ_min^{1−t} · σ_max^t,   σ(t) = σ̄(t) · log(σ_max / σ_min)
 * </pre>
 *
 * <p>(SEDD's reference code uses σ_min = 1e−4, σ_max = 20). σ̄(0) = σ_min is not exactly 0: the
 * data are slightly noised at t = 0, a negligible term of the likelihood bound for small σ_min.
 *
 * @param sigmaMin σ̄(0), &gt; 0
 * @param sigmaMax σ̄(1), &gt; σ_min and finite
 */
public record GeometricNoise(double sigmaMin, double sigmaMax) implements NoiseLevel {

    /** Validates. */
    public GeometricNoise {
        if (!(sigmaMin > 0) || !(sigmaMax > sigmaMin) || Double.isInfinite(sigmaMax)) {
            throw new IllegalArgumentException("need 0 < sigmaMin < sigmaMax < inf, got " + sigmaMin + ", " + sigmaMax);
        }
    }

    /** @return σ_min = 1e−4, σ_max = 20 */
    public static GeometricNoise defaults() {
        return new GeometricNoise(1e-4, 20);
    }

    @Override
    public double total(double t) {
        return Math.pow(sigmaMin, 1 - t) * Math.pow(sigmaMax, t);
    }

    @Override
    public double rate(double t) {
        return total(t) * Math.log(sigmaMax / sigmaMin);
    }
}
