package io.gen4j.diffusion.latent;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.model.Condition;
import io.gen4j.core.train.LossTerms;
import io.gen4j.core.train.Objective;
import io.gen4j.core.train.StepContext;
import io.gen4j.diffusion.Ddpm;
import io.gen4j.diffusion.DiffusionModel;
import io.gen4j.diffusion.LossWeighting;
import io.gen4j.diffusion.NoiseSchedule;
import io.gen4j.diffusion.Prediction;
import io.gen4j.diffusion.text.WordTokenizer;

/**
 * The latent diffusion objective (Rombach et al. 2022, eq. 2 and 3): DDPM's loss ({@link Ddpm#loss})
 * on latents z_0 = E(x) of a frozen codec, with the text condition τ_θ(y) from the network's text
 * encoder, trained jointly:
 *
 * <pre>
 *   L = E_{z_0, y, t, ε} [ w(t) · ‖target_p(z_0, ε, t) − f_θ(z_t, t, τ_θ(y'))‖² ],
 *   y' = the null caption with probability p_uncond, else y          (conditioning dropout, Ho &amp; Salimans 2022)
 * </pre>
 *
 * <p>Batches: {@code (z0)} for an unconditional network, {@code (z0, ids, mask)} for a text one (e.g.
 * from {@link io.gen4j.diffusion.text.CaptionedBatches} over pre-encoded latents). The dropout draws
 * from the engine generator, which {@code Fit} seeds per step. The same objective, schedule,
 * parameterisations and weightings as pixel space: only the data are latents.
 *
 * @param network the latent U-Net (and text encoder)
 * @param schedule the noise schedule
 * @param prediction what the U-Net predicts
 * @param weighting the per-step loss weight
 * @param conditionDropout p_uncond in [0, 1): the probability of replacing a caption by the null
 *     caption (0.1 in Ho &amp; Salimans and Stable Diffusion)
 */
public record LatentDiffusionObjective(LatentDiffusionNetwork network, NoiseSchedule schedule, Prediction prediction,
        LossWeighting weighting, double conditionDropout) implements Objective {

    /** Validates. */
    public LatentDiffusionObjective {
        if (network == null || schedule == null || prediction == null || weighting == null) {
            throw new IllegalArgumentException("network, schedule, prediction and weighting must not be null");
        }
        if (!(conditionDropout >= 0 && conditionDropout < 1)) {
            throw new IllegalArgumentException("conditionDropout must be in [0, 1), got " + conditionDropout);
        }
    }

    @Override
    public LossTerms loss(StepContext context, NDList batch) {
        NDArray z0 = batch.head();
        Condition condition = Condition.none();
        if (network.text().isPresent()) {
            if (batch.size() < 3) {
                throw new IllegalArgumentException("a text-conditioned objective needs (z0, ids, mask) batches, got "
                        + batch.size() + " arrays");
            }
            NDList dropped = dropCaptions(batch.get(1), conditionDropout);
            condition = network.text().get().condition(context.parameters(), dropped.get(0), dropped.get(1),
                    context.training());
        }
        DiffusionModel model = new DiffusionModel(network.denoiser(context.parameters(), context.training()),
                schedule, prediction);
        return LossTerms.of(new Ddpm(model, weighting).loss(z0, condition));
    }

    /**
     * Replaces each row by the null caption ({@code <start>} then padding) with probability p.
     *
     * @param ids (N, L) token ids
     * @param p the probability
     * @return the ids (int32) and their mask (float32, {@link WordTokenizer#mask}), in the manager of ids
     */
    public static NDList dropCaptions(NDArray ids, double p) {
        NDManager manager = ids.getManager();
        Shape s = ids.getShape();
        NDArray keep = manager.randomUniform(0f, 1f, new Shape(s.get(0), 1)).gte(p).toType(DataType.FLOAT32, false);
        NDArray nullIds = manager.zeros(s, DataType.FLOAT32);
        nullIds.set(new ai.djl.ndarray.index.NDIndex(":, 0"), WordTokenizer.START);
        NDArray drop = keep.neg().add(1);
        NDArray newIds = ids.toType(DataType.FLOAT32, false).mul(keep).add(nullIds.mul(drop)).toType(DataType.INT32, false);
        return new NDList(newIds, WordTokenizer.mask(newIds));
    }
}
