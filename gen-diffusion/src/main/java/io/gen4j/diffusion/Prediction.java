package io.gen4j.diffusion;

import ai.djl.ndarray.NDArray;

/**
 * What a diffusion network predicts from x_t, and the exact conversions between the three
 * parameterisations.
 *
 * <p>With x_t = a·x_0 + s·ε, a = √ᾱ_t and s = √(1 − ᾱ_t) (so a² + s² = 1):
 *
 * <pre>
 *   ε-prediction (Ho et al. 2020):            x_0 = (x_t − s·ε) / a
 *   x_0-prediction:                           ε   = (x_t − a·x_0) / s
 *   v-prediction (Salimans &amp; Ho 2022, §4):   v   = a·ε − s·x_0,  x_0 = a·x_t − s·v,  ε = s·x_t + a·v
 * </pre>
 *
 * <p>Every conversion is linear in the network output for a fixed x_t, which is why guidance can
 * mix outputs in any parameterisation. Arrays {@code alphaBar} broadcast against {@code xt} (shape
 * (N, 1, …) or a scalar) and should live in the manager of {@code xt}; results belong to the manager
 * of {@code xt}. Conversions to x_0 are singular at ᾱ = 0 from ε, conversions to ε at ᾱ = 1 from x_0.
 */
public enum Prediction {
    /** The network predicts the noise ε (DDPM's choice). */
    EPSILON,
    /** The network predicts the clean sample x_0. */
    X0,
    /** The network predicts the velocity v = √ᾱ·ε − √(1−ᾱ)·x_0 (progressive distillation). */
    VELOCITY;

    /**
     * The regression target of this parameterisation.
     *
     * @param x0 clean data
     * @param epsilon the noise that made x_t
     * @param alphaBar ᾱ_t, broadcastable against x0
     * @return ε, x_0 or v
     */
    public NDArray target(NDArray x0, NDArray epsilon, NDArray alphaBar) {
        switch (this) {
            case EPSILON:
                return epsilon.duplicate();
            case X0:
                return x0.duplicate();
            default:
                return epsilon.mul(alphaBar.sqrt()).sub(x0.mul(alphaBar.neg().add(1).sqrt()));
        }
    }

    /**
     * Converts a network output of this parameterisation to the clean-sample estimate x̂_0.
     *
     * @param xt the noisy input
     * @param output the network output, in this parameterisation
     * @param alphaBar ᾱ_t, broadcastable against xt
     * @return x̂_0
     */
    public NDArray toX0(NDArray xt, NDArray output, NDArray alphaBar) {
        NDArray a = alphaBar.sqrt();
        NDArray s = alphaBar.neg().add(1).sqrt();
        switch (this) {
            case EPSILON:
                return xt.sub(output.mul(s)).div(a);
            case X0:
                return differentiable(output);
            default:
                return xt.mul(a).sub(output.mul(s));
        }
    }

    /**
     * Converts a network output of this parameterisation to the noise estimate ε̂.
     *
     * @param xt the noisy input
     * @param output the network output, in this parameterisation
     * @param alphaBar ᾱ_t, broadcastable against xt
     * @return ε̂
     */
    public NDArray toEpsilon(NDArray xt, NDArray output, NDArray alphaBar) {
        NDArray a = alphaBar.sqrt();
        NDArray s = alphaBar.neg().add(1).sqrt();
        switch (this) {
            case EPSILON:
                return differentiable(output);
            case X0:
                return xt.sub(output.mul(a)).div(s);
            default:
                return xt.mul(s).add(output.mul(a));
        }
    }

    /**
     * Converts a network output of this parameterisation to the velocity v̂ = √ᾱ·ε̂ − √(1−ᾱ)·x̂_0.
     *
     * @param xt the noisy input
     * @param output the network output, in this parameterisation
     * @param alphaBar ᾱ_t, broadcastable against xt
     * @return v̂
     */
    public NDArray toVelocity(NDArray xt, NDArray output, NDArray alphaBar) {
        if (this == VELOCITY) {
            return differentiable(output);
        }
        NDArray x0 = toX0(xt, output, alphaBar);
        NDArray eps = toEpsilon(xt, output, alphaBar);
        return eps.mul(alphaBar.sqrt()).sub(x0.mul(alphaBar.neg().add(1).sqrt()));
    }

    /**
     * Converts a network output of this parameterisation to another one.
     *
     * @param xt the noisy input
     * @param output the network output, in this parameterisation
     * @param alphaBar ᾱ_t, broadcastable against xt
     * @param to the parameterisation wanted
     * @return the output expressed in {@code to}
     */
    public NDArray convert(NDArray xt, NDArray output, NDArray alphaBar, Prediction to) {
        switch (to) {
            case EPSILON:
                return toEpsilon(xt, output, alphaBar);
            case X0:
                return toX0(xt, output, alphaBar);
            default:
                return toVelocity(xt, output, alphaBar);
        }
    }

    /**
     * The output unchanged, as a new handle in its manager that the caller may close on its own. Not DJL's
     * {@code duplicate()}, whose copy drops the autograd history: a loss on x̂_0 of an x_0-predicting network
     * (or on ε̂, v̂ of the matching one) would give the network no gradient. The handle refers to the
     * output's own tensor, so it must not be written in place.
     */
    private static NDArray differentiable(NDArray output) {
        return output.toType(output.getDataType(), true);
    }
}
