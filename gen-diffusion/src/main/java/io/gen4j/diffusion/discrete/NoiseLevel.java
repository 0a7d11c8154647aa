package io.gen4j.diffusion.discrete;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * The noise schedule of a discrete diffusion: the rate σ(t) that scales the rate matrix Q of the
 * forward continuous-time Markov chain, and its integral, the total noise
 *
 * <pre>
 *   σ̄(t) = ∫_0^t σ(s) ds,   p_t(x_t | x_0) = exp(σ̄(t)·Q)(x_0, x_t)        (Lou et al. 2024, §2)
 * </pre>
 *
 * <p>for t in [0, 1], with σ̄(0) = 0. Implementations are records that a saved {@link SeddSpec}
 * carries as JSON ({@code "type": "log-linear"} or {@code "geometric"}); a new schedule is a new
 * record with its own type name.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = LogLinearNoise.class, name = "log-linear"),
    @JsonSubTypes.Type(value = GeometricNoise.class, name = "geometric")
})
public interface NoiseLevel {

    /**
     * @param t time in [0, 1]
     * @return the total noise σ̄(t) &gt;= 0, possibly +∞ at t = 1
     */
    double total(double t);

    /**
     * @param t time in [0, 1]
     * @return the rate σ(t) = dσ̄/dt &gt; 0, possibly +∞ at t = 1
     */
    double rate(double t);

    /**
     * The weight σ(t) / (e^{σ̄(t)} − 1) of the absorbing process's score entropy and reverse rate,
     * which stays finite where σ̄(t) → ∞. The default divides; schedules with a closed form override.
     *
     * @param t time in (0, 1]
     * @return σ(t) / expm1(σ̄(t))
     */
    default double rateOverExpm1(double t) {
        double total = total(t);
        return Double.isInfinite(total) ? 0 : rate(t) / Math.expm1(total);
    }

    /**
     * @param t time in [0, 1]
     * @return e^{−σ̄(t)}, the probability that a token has not jumped by time t (0 when σ̄ = ∞)
     */
    default double survival(double t) {
        return Math.exp(-total(t));
    }
}
