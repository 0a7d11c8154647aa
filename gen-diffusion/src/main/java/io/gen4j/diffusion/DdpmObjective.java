package io.gen4j.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import io.gen4j.core.model.Condition;
import io.gen4j.core.model.DenoisingNetwork;
import io.gen4j.core.train.LossTerms;
import io.gen4j.core.train.Objective;
import io.gen4j.core.train.StepContext;
import io.gen4j.diffusion.guidance.ConditionDropout;

/**
 * The DDPM training objective as a gen-core {@link Objective}, for {@code ObjectiveStep} (autograd,
 * optimizer update, gradient clipping and the EMA of the weights live there):
 *
 * <pre>
 *   loss = E_{t ~ U{0..T−1}, ε ~ N(0, I)} [ w(t) · ‖target_p(x_0, ε, t) − f_θ(x_t, t, y)‖² ]
 * </pre>
 *
 * (Ho et al. 2020, Algorithm 1; see {@link Ddpm#loss}). The batch is {@code (x0)} or {@code (x0,
 * labels)}; labels are used when {@code conditional} is true. At every step the network is seen as
 * a {@link io.gen4j.core.model.Denoiser} through that step's parameter store and mode, so dropout
 * follows the pass and nothing is frozen at construction.
 *
 * <pre>{@code
 * ObjectiveStep step = ObjectiveStep.builder()
 *     .setObjective(DdpmObjective.simple(unet, NoiseSchedule.cosine(1000), Prediction.EPSILON))
 *     .setOptimizer(AdamW.factory(LearningRateSchedule.constant(2e-4), AdamConfig.defaults()))
 *     .optName("unet").optClipNorm(1).optEma(EmaConfig.defaults()).build();
 * }</pre>
 *
 * @param network the denoising network (a U-Net), initialised
 * @param schedule the noise schedule
 * @param prediction what the network predicts
 * @param weighting the per-timestep loss weight
 * @param conditional whether to condition on the batch's labels
 * @param labelDropout condition dropout for classifier-free guidance ({@link #withLabelDropout}),
 *     or {@code null} for none
 * @param <N> a block that is a denoising network
 */
public record DdpmObjective<N extends Block & DenoisingNetwork>(
        N network, NoiseSchedule schedule, Prediction prediction, LossWeighting weighting,
        boolean conditional, ConditionDropout labelDropout) implements Objective {

    /** Validates. */
    public DdpmObjective {
        if (network == null || schedule == null || prediction == null || weighting == null) {
            throw new IllegalArgumentException("network, schedule, prediction and weighting must not be null");
        }
        if (labelDropout != null && !conditional) {
            throw new IllegalArgumentException("labelDropout needs a conditional objective");
        }
    }

    /**
     * An objective without condition dropout.
     *
     * @param network the denoising network
     * @param schedule the noise schedule
     * @param prediction what the network predicts
     * @param weighting the per-timestep loss weight
     * @param conditional whether to condition on the batch's labels
     */
    public DdpmObjective(N network, NoiseSchedule schedule, Prediction prediction,
            LossWeighting weighting, boolean conditional) {
        this(network, schedule, prediction, weighting, conditional, null);
    }

    /**
     * @param dropout the condition dropout of classifier-free guidance, e.g. {@code new
     *     ConditionDropout(0.1, NullCondition.label(numClasses))}
     * @return this conditional objective with the batch's labels dropped as {@code dropout} says
     */
    public DdpmObjective<N> withLabelDropout(ConditionDropout dropout) {
        return new DdpmObjective<>(network, schedule, prediction, weighting, conditional, dropout);
    }

    /**
     * @param network the denoising network
     * @param schedule the noise schedule
     * @param prediction what the network predicts
     * @param <N> a block that is a denoising network
     * @return the unconditional objective with L_simple (uniform weighting)
     */
    public static <N extends Block & DenoisingNetwork> DdpmObjective<N> simple(
            N network, NoiseSchedule schedule, Prediction prediction) {
        return new DdpmObjective<>(network, schedule, prediction, LossWeighting.uniform(), false);
    }

    @Override
    public LossTerms loss(StepContext context, NDList batch) {
        NDArray x0 = batch.head();
        Condition condition = Condition.none();
        if (conditional) {
            if (batch.size() < 2) {
                throw new IllegalArgumentException(
                        "a conditional objective needs (x0, labels) batches, got " + batch.size()
                                + " arrays");
            }
            condition = Condition.labels(batch.get(1));
            if (labelDropout != null) {
                condition = labelDropout.apply(condition, x0.getManager());
            }
        }
        DiffusionModel model = new DiffusionModel(
                network.denoiser(context.parameters(), context.training()), schedule, prediction);
        return LossTerms.of(new Ddpm(model, weighting).loss(x0, condition));
    }
}
