package io.gen4j.diffusion.guidance;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.gen4j.core.math.Scalars;
import io.gen4j.core.model.Condition;
import io.gen4j.core.model.Denoiser;
import io.gen4j.core.nn.Local;
import io.gen4j.diffusion.DiffusionModel;

/**
 * Classifier-free guidance (Ho &amp; Salimans 2022) as a {@link Denoiser} decorator (k-diffusion's
 * {@code CFGDenoiser}): every sampler that takes a {@link DiffusionModel} samples the guided model
 * without knowing about guidance.
 *
 * <pre>
 *   f̂ = f_∅ + w · (f_c − f_∅)            computed as (1 − w)·f_∅ + w·f_c
 * </pre>
 *
 * where f_c is the network output for the condition c and f_∅ the output for its null form
 * ({@link NullCondition}). w = 0 is the unconditional model, w = 1 the conditional one, w &gt; 1
 * extrapolates away from the unconditional prediction (diffusers' {@code guidance_scale}; Ho
 * &amp; Salimans write the same rule as (1 + w')·f_c − w'·f_∅ with w' = w − 1). The convex form gives
 * f_∅ and f_c bit for bit at w = 0 and w = 1. Because every {@code Prediction} is an affine
 * function of the network output for fixed x_t with coefficients that the two branches share, the
 * rule gives the same x̂_0 and ε̂ whether the network predicts ε, x_0 or v.
 *
 * <p>Both branches run in <b>one</b> forward pass over the batch [x_t; x_t] with condition [c; ∅]
 * (2N examples), then the output is split in halves.
 *
 * <p><b>Guidance rescale</b> (Lin et al. 2024, "Common Diffusion Noise Schedules and Sample Steps
 * are Flawed", §3.4, diffusers' {@code guidance_rescale}): large w inflates the scale of f̂; with
 * φ &gt; 0 the output is pulled back towards the per-example standard deviation of f_c:
 *
 * <pre>
 *   f_rescaled = f̂ · std(f_c) / std(f̂)          (std over all but the batch axis)
 *   output     = φ · f_rescaled + (1 − φ) · f̂
 * </pre>
 *
 * Lin et al. use φ = 0.7 with v-prediction. Unlike the guidance rule, rescaling depends on the
 * parameterisation the network outputs.
 *
 * <p>With {@link Condition#none()} there is nothing to guide and the network runs once unchanged.
 *
 * @param denoiser the conditional network, trained with condition dropout
 * @param scale w, finite
 * @param rescale φ in [0, 1]; 0 for plain guidance
 * @param nullCondition the null form of the network's conditions
 */
public record ClassifierFreeGuidance(
        Denoiser denoiser, double scale, double rescale, NullCondition nullCondition)
        implements Denoiser {

    /** Validates. */
    public ClassifierFreeGuidance {
        if (denoiser == null || nullCondition == null) {
            throw new IllegalArgumentException("denoiser and nullCondition must not be null");
        }
        if (!Double.isFinite(scale)) {
            throw new IllegalArgumentException("scale must be finite, got " + scale);
        }
        if (!(rescale >= 0 && rescale <= 1)) {
            throw new IllegalArgumentException("rescale must be in [0, 1], got " + rescale);
        }
    }

    /**
     * Plain guidance without rescale.
     *
     * @param denoiser the conditional network
     * @param scale w
     * @param nullCondition the null form of its conditions
     */
    public ClassifierFreeGuidance(Denoiser denoiser, double scale, NullCondition nullCondition) {
        this(denoiser, scale, 0, nullCondition);
    }

    /**
     * The guided version of a diffusion model: same schedule, prediction and clipping.
     *
     * @param model the conditional model
     * @param scale w
     * @param rescale φ in [0, 1]
     * @param nullCondition the null form of its conditions
     * @return the model whose denoiser is guided
     */
    public static DiffusionModel guide(
            DiffusionModel model, double scale, double rescale, NullCondition nullCondition) {
        return new DiffusionModel(new ClassifierFreeGuidance(model.denoiser(), scale, rescale,
                nullCondition), model.schedule(), model.prediction(), model.clipX0());
    }

    @Override
    public NDArray predict(NDArray xt, NDArray t, Condition condition) {
        if (condition == null || condition.isNone()) {
            return denoiser.predict(xt, t, Condition.none());
        }
        NDManager manager = xt.getManager();
        long n = xt.getShape().get(0);
        Condition both = ConditionBatch.concat(condition, nullCondition.nullOf(condition, manager),
                manager);
        NDArray times = Local.in(manager, t);
        NDArray output = denoiser.predict(xt.concat(xt, 0), times.concat(times, 0), both);
        NDArray conditional = output.get("0:" + n);
        NDArray unconditional = output.get(n + ":");
        NDArray guided = Scalars.times(unconditional, 1.0 - scale).add(Scalars.times(conditional, scale));
        if (rescale == 0) {
            return guided;
        }
        NDArray ratio = std(conditional).div(std(guided));
        NDArray rescaled = guided.mul(ratio);
        return Scalars.times(rescaled, rescale).add(Scalars.times(guided, 1.0 - rescale));
    }

    /** Per-example standard deviation over all but the batch axis, shaped to broadcast against x. */
    private static NDArray std(NDArray x) {
        long n = x.getShape().get(0);
        NDArray flat = x.reshape(n, -1);
        NDArray centered = flat.sub(flat.mean(new int[] {1}, true));
        NDArray sd = centered.square().mean(new int[] {1}, true).sqrt();
        long[] dims = new long[x.getShape().dimension()];
        java.util.Arrays.fill(dims, 1);
        dims[0] = n;
        return sd.reshape(dims);
    }
}
