package io.gen4j.diffusion.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.gen4j.core.math.Scalars;
import io.gen4j.core.model.Condition;
import io.gen4j.diffusion.DiffusionModel;
import io.gen4j.diffusion.NoiseSchedule;

/**
 * A discrete-time diffusion model seen as Karras et al.'s denoiser D(x; σ) (k-diffusion's {@code
 * DiscreteEpsDDPMDenoiser}): the variance-preserving x_t = √ᾱ·x_0 + √(1 − ᾱ)·ε is rescaled to x =
 * x_t/√ᾱ = x_0 + σ·ε with σ = √((1 − ᾱ)/ᾱ), in which the probability-flow ODE reads
 *
 * <pre>
 *   dx/dσ = (x − D(x; σ)) / σ,        D(x; σ) = E[x_0 | x] = x̂_0   (Karras et al. 2022, eq. 3)
 * </pre>
 *
 * To evaluate D at any σ the network gets x·√ᾱ with ᾱ = 1/(1 + σ²) and the fractional step
 * t = {@link NoiseSchedule#timeOfSigma} (log σ interpolated between trained steps); its output is
 * turned into x̂_0 by the model's {@code Prediction} with that ᾱ, clipped like {@link
 * DiffusionModel#estimate}.
 */
public final class SigmaSpace {

    private SigmaSpace() {}

    /**
     * @param model the diffusion model
     * @param x the state in σ-space variables, shape (N, ...)
     * @param sigma σ &gt; 0
     * @param condition the condition
     * @return D(x; σ) = x̂_0, in the manager of x
     */
    public static NDArray denoise(DiffusionModel model, NDArray x, double sigma, Condition condition) {
        NDManager manager = x.getManager();
        double alphaBar = 1.0 / (1.0 + sigma * sigma);
        double t = model.schedule().timeOfSigma(sigma);
        DataType timeType = x.getDataType() == DataType.FLOAT64 ? DataType.FLOAT64 : DataType.FLOAT32;
        double[] times = new double[Math.toIntExact(x.getShape().get(0))];
        java.util.Arrays.fill(times, t);
        NDArray time = manager.create(times).toType(timeType, false);
        NDArray xt = Scalars.times(x, Math.sqrt(alphaBar));
        NDArray output = model.denoiser().predict(xt, time, condition);
        NDArray ab = manager.create(alphaBar).toType(x.getDataType(), false);
        NDArray x0 = model.prediction().toX0(xt, output, ab);
        if (Double.isFinite(model.clipX0())) {
            x0 = Scalars.clip(x0, -model.clipX0(), model.clipX0());
        }
        return x0;
    }

    /**
     * @param sigma σ ≥ 0
     * @return the factor 1/√ᾱ = √(1 + σ²) from variance-preserving to σ-space variables
     */
    public static double scale(double sigma) {
        return Math.sqrt(1.0 + sigma * sigma);
    }
}
