package io.gen4j.autoencoders;

import ai.djl.ndarray.NDArray;
import io.gen4j.core.math.Gaussians;
import io.gen4j.core.math.Scalars;

/**
 * A diagonal Gaussian q(z|x) = N(μ, diag(e^logVar)), the output of a VAE's encoder.
 *
 * <p>{@link #sample()} is the reparameterisation trick (Kingma &amp; Welling 2014): {@code z = μ + σ ⊙
 * ε} with ε ~ N(0, I) drawn independently of the parameters, so ∂z/∂μ = 1 and ∂z/∂σ = ε and the
 * gradient of E_q[f(z)] passes through the sample.
 *
 * @param mu μ, shape (N, d)
 * @param logVar log σ², shape (N, d)
 */
public record Posterior(NDArray mu, NDArray logVar) {

    /** Validates the shapes. */
    public Posterior {
        if (!mu.getShape().equals(logVar.getShape())) {
            throw new IllegalArgumentException("mu and logVar shapes differ: " + mu.getShape() + " vs " + logVar.getShape());
        }
    }

    /** @return z = μ + e^{½ logVar} ⊙ ε, in the manager of μ */
    public NDArray sample() {
        NDArray eps = mu.getManager().randomNormal(0, 1, mu.getShape(), mu.getDataType());
        return mu.add(Scalars.times(logVar, 0.5).exp().mul(eps));
    }

    /**
     * A draw at a temperature: z = μ + T e^{½ logVar} ⊙ ε, i.e. from N(μ, T²σ²).
     *
     * @param temperature T, the scale of the standard deviation, &gt; 0 (1 is {@link #sample()})
     * @return z, in the manager of μ
     */
    public NDArray sample(double temperature) {
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be finite and > 0, got " + temperature);
        }
        if (temperature == 1) {
            return sample();
        }
        NDArray eps = mu.getManager().randomNormal(0, 1, mu.getShape(), mu.getDataType());
        return mu.add(Scalars.times(Scalars.times(logVar, 0.5).exp(), temperature).mul(eps));
    }

    /** @return KL(q ‖ N(0, I)) per element, shape (N, d) */
    public NDArray klToStandardNormal() {
        return Gaussians.klToStandardNormal(mu, logVar);
    }

    /**
     * @param z points, shape (N, d)
     * @return log q(z|x) summed over the latent axis, shape (N)
     */
    public NDArray logDensity(NDArray z) {
        return Gaussians.logDensity(z, mu, logVar).sum(new int[] {1});
    }
}
