package io.gen4j.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.math.Scalars;
import io.gen4j.core.model.Condition;
import io.gen4j.core.model.Denoiser;

/**
 * A denoiser seen as a diffusion model: the network, the noise schedule its time index refers to,
 * and what its output means. This is k-diffusion's "denoiser-as-model" wrapper: samplers and the
 * variational bound ask it for (x̂_0, ε̂) at a step and never look at the network's
 * parameterisation.
 *
 * <p>The network receives {@code t} as the integer step index stored as float (shape (N)). Given
 * the network output o in {@link Prediction} p, {@link #estimate} returns x̂_0 = p.toX0(x_t, o, ᾱ_t)
 * and ε̂ = p.toEpsilon(x_t, o, ᾱ_t). When {@code clipX0} is finite, x̂_0 is clipped to [−clipX0,
 * clipX0] (image data in [−1, 1]; Ho et al. 2020's sampler) and ε̂ is recomputed from the clipped
 * x̂_0 so that the two stay consistent: ε̂ = (x_t − √ᾱ_t·x̂_0) / √(1 − ᾱ_t).
 *
 * @param denoiser the network (or a decorator such as guidance)
 * @param schedule the noise schedule the network was trained with
 * @param prediction what the network predicts
 * @param clipX0 bound for x̂_0, positive; {@link Double#POSITIVE_INFINITY} for no clipping
 */
public record DiffusionModel(
        Denoiser denoiser, NoiseSchedule schedule, Prediction prediction, double clipX0) {

    /** Validates the components. */
    public DiffusionModel {
        if (denoiser == null || schedule == null || prediction == null) {
            throw new IllegalArgumentException("denoiser, schedule and prediction must not be null");
        }
        if (!(clipX0 > 0)) {
            throw new IllegalArgumentException("clipX0 must be > 0 (or +Infinity), got " + clipX0);
        }
    }

    /**
     * A model without clipping of x̂_0.
     *
     * @param denoiser the network
     * @param schedule its noise schedule
     * @param prediction its parameterisation
     */
    public DiffusionModel(Denoiser denoiser, NoiseSchedule schedule, Prediction prediction) {
        this(denoiser, schedule, prediction, Double.POSITIVE_INFINITY);
    }

    /**
     * @param bound the clipping bound for x̂_0 (1 for images in [−1, 1])
     * @return this model with x̂_0 clipped to [−bound, bound]
     */
    public DiffusionModel withClipX0(double bound) {
        return new DiffusionModel(denoiser, schedule, prediction, bound);
    }

    /**
     * The network's estimates of the clean sample and of the noise at one step.
     *
     * @param x0 x̂_0
     * @param epsilon ε̂
     */
    public record Estimate(NDArray x0, NDArray epsilon) {}

    /**
     * Runs the network at step {@code t} for the whole batch.
     *
     * @param xt noisy samples x_t, shape (N, ...)
     * @param t the step, in [0, T−1]
     * @param condition the condition
     * @return x̂_0 and ε̂, in the manager of {@code xt}
     */
    public Estimate estimate(NDArray xt, int t, Condition condition) {
        NDManager manager = xt.getManager();
        double alphaBar = schedule.alphaBar(t);
        NDArray time = manager.full(new Shape(xt.getShape().get(0)), (float) t, DataType.FLOAT32);
        NDArray output = denoiser.predict(xt, time, condition);
        NDArray ab = scalar(manager, alphaBar, xt.getDataType());
        NDArray x0 = prediction.toX0(xt, output, ab);
        NDArray eps;
        if (Double.isFinite(clipX0)) {
            x0 = Scalars.clip(x0, -clipX0, clipX0);
            eps = Scalars.dividedBy(xt.sub(Scalars.times(x0, Math.sqrt(alphaBar))), Math.sqrt(1.0 - alphaBar));
        } else {
            eps = prediction.toEpsilon(xt, output, ab);
        }
        return new Estimate(x0, eps);
    }

    static NDArray scalar(NDManager manager, double value, DataType type) {
        return manager.create(value).toType(type, false);
    }
}
