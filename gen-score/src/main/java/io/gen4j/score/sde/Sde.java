package io.gen4j.score.sde;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.math.Gaussians;
import io.gen4j.core.math.Scalars;
import io.gen4j.score.ScoreFunction;
import io.gen4j.score.VectorField;

/**
 * A forward diffusion SDE with a linear drift, dx = f(t)·x dt + g(t) dW on t ∈ [0, T] (Song et al.
 * 2021, "Score-based generative modeling through stochastic differential equations"). Its
 * transition kernel is Gaussian, x_t | x_0 ~ N(m(t)·x_0, s(t)² I), which is what makes denoising
 * score matching and the closed-form marginals possible.
 *
 * <p>The reverse-time SDE (Anderson 1982) is dx = [f(t)x − g(t)² ∇ log p_t(x)] dt + g(t) dW̄, and
 * the probability-flow ODE with the same marginals is dx/dt = f(t)x − ½ g(t)² ∇ log p_t(x)
 * ({@link #probabilityFlow}). Implementations: {@link VpSde} (DDPM in the continuum limit), {@link
 * SubVpSde}, {@link VeSde} (NCSN in the continuum limit) and {@link DiscreteVpSde} (exactly the
 * marginals of a discrete DDPM schedule).
 */
public interface Sde {

    /** @return f(t), the drift is f(t)·x */
    double driftScale(double t);

    /** @return g(t), the diffusion coefficient */
    double diffusion(double t);

    /** @return m(t): E[x_t | x_0] = m(t)·x_0 */
    double meanScale(double t);

    /** @return s(t): the standard deviation of x_t given x_0 */
    double marginalStd(double t);

    /** @return the standard deviation of the prior N(0, σ_T² I) the reverse process starts from */
    double priorStd();

    /** @return T, the end time (1 for every SDE here) */
    default double endTime() {
        return 1.0;
    }

    /** @return the smallest time samplers integrate down to (score_sde's ε), where s(t) is still &gt; 0 */
    default double minTime() {
        return 1e-3;
    }

    /**
     * @param x points, shape (N, ...)
     * @param t time
     * @return the drift f(t)·x
     */
    default NDArray drift(NDArray x, double t) {
        return Scalars.times(x, driftScale(t));
    }

    /**
     * Samples the transition kernel: x_t = m(t)·x_0 + s(t)·z.
     *
     * @param x0 clean data, shape (N, ...)
     * @param noise z ~ N(0, I), same shape
     * @param t time
     * @return x_t, in the manager of {@code x0}
     */
    default NDArray perturb(NDArray x0, NDArray noise, double t) {
        return Scalars.times(x0, meanScale(t)).add(Scalars.times(noise, marginalStd(t)));
    }

    /**
     * @param manager owner of the result
     * @param shape (N, ...)
     * @return a draw of the prior N(0, priorStd² I)
     */
    default NDArray samplePrior(NDManager manager, Shape shape) {
        return manager.randomNormal(0f, (float) priorStd(), shape, DataType.FLOAT32);
    }

    /**
     * @param z points, shape (N, ...)
     * @return log N(z; 0, priorStd² I) per example, shape (N), in nats
     */
    default NDArray priorLogDensity(NDArray z) {
        long dims = z.getShape().size() / z.getShape().get(0);
        double sd = priorStd();
        return Scalars.times(Scalars.dividedBy(z.reshape(z.getShape().get(0), -1), sd).square().sum(new int[] {1}), -0.5)
                .sub(dims * (0.5 * Gaussians.LOG_2PI + Math.log(sd)));
    }

    /**
     * The probability-flow ODE's vector field, v(x, t) = f(t)x − ½ g(t)² s(x, t).
     *
     * @param score the score of the marginals p_t
     * @return the field (integrate it from T down to {@link #minTime()} to sample, up to evaluate
     *     likelihoods)
     */
    default VectorField probabilityFlow(ScoreFunction score) {
        return (x, t) -> {
            double g = diffusion(t);
            return drift(x, t).sub(Scalars.times(score.score(x, t), 0.5 * g * g));
        };
    }
}
