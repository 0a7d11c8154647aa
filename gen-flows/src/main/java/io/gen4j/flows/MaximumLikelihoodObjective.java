package io.gen4j.flows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import io.gen4j.core.model.Likelihoods;
import io.gen4j.core.train.LossTerms;
import io.gen4j.core.train.Objective;
import io.gen4j.core.train.StepContext;
import java.util.Map;

/**
 * Maximum-likelihood training of a {@link NormalizingFlow}, as a gen-core {@link Objective} for
 * {@code ObjectiveStep}: minimise the exact negative log-likelihood of the batch,
 *
 * <pre>
 *   L(θ) = −(1/N) Σ_n [ log p_Z(f_θ(x_n)) + log|det ∂f_θ/∂x(x_n)| ]      (nats per example)
 * </pre>
 *
 * <p>The batch's first array is the data (labels, when present, are ignored). Terms: {@code loss}
 * is L, and for image batches (N, C, H, W) {@code bitsPerDim} = L / (D ln 2) through {@link
 * Likelihoods} (a flow that starts with {@link UniformDequantization} already includes the −D·ln 256
 * of the bins, so the bin width is 1 here). Gradient clipping, EMA and the NaN guard come from the
 * step and {@code Fit}:
 *
 * <pre>{@code
 * ObjectiveStep step = ObjectiveStep.builder().setObjective(new MaximumLikelihoodObjective(flow))
 *         .setOptimizer(Adam.factory(LearningRateSchedule.constant(1e-3), AdamConfig.defaults()))
 *         .optName("flow").optClipNorm(10).build();
 * }</pre>
 *
 * @param flow the flow, initialised (and data-initialised when it has {@link ActNorm})
 */
public record MaximumLikelihoodObjective(NormalizingFlow flow) implements Objective {

    /** Validates. */
    public MaximumLikelihoodObjective {
        if (flow == null) {
            throw new IllegalArgumentException("flow must not be null");
        }
    }

    @Override
    public Block network() {
        return flow;
    }

    @Override
    public LossTerms loss(StepContext context, NDList batch) {
        NDArray x = batch.head();
        NDArray nll = flow.logLikelihood(context.parameters(), x, context.training()).mean().neg();
        if (x.getShape().dimension() != 4) {
            return LossTerms.of(nll);
        }
        long dims = x.getShape().slice(1).size();
        return new LossTerms(nll, Map.of("bitsPerDim", Likelihoods.bitsPerDim(nll.neg().reshape(1), dims, 1.0).reshape()));
    }
}
