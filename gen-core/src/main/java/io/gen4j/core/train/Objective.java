package io.gen4j.core.train;

import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import java.util.Objects;

/**
 * A differentiable training objective: the network it trains and the {@link LossTerms} of a batch.
 * An {@link ObjectiveStep} (one objective) or a {@link MultiPlayerStep} (one objective per player)
 * runs it under autograd, differentiates {@link LossTerms#total()} with respect to {@link
 * #network()}'s parameters and logs every term.
 *
 * <p>A DDPM objective draws t and ε, noises the batch and returns {@code mean((ε − ε_θ(x_t,
 * t))²)}; a VAE returns −ELBO with its reconstruction and KL terms; a flow returns the exact NLL.
 * Families offer their objectives ready-made ({@code vae.objective()}, {@code new
 * DdpmObjective<>(...)}, {@code new MaximumLikelihoodObjective(flow)}); {@link #of} wraps a
 * function.
 *
 * <p><b>Rules.</b> Build the network view from {@link StepContext#parameters()} and {@link
 * StepContext#training()} on every call. Compute from the batch (first operand) so temporaries land
 * in the step's scope. Work that needs gradients of its own (Langevin chains of an energy model,
 * which differentiate the energy with respect to the input) cannot run inside the step's
 * autograd pass — only one {@code GradientCollector} may be open at a time (docs/known-issues.md
 * §2) — so do it in {@link #prepare}, which runs before the pass opens.
 */
public interface Objective {

    /** @return the network whose trainable parameters this objective's loss is minimised over */
    Block network();

    /**
     * The loss of one batch, called under autograd in training.
     *
     * @param context the parameter store, step and mode of this pass
     * @param batch the batch as {@link #prepare} returned it, owned by the step's scope
     * @return the scalar total and its named terms
     */
    LossTerms loss(StepContext context, NDList batch);

    /**
     * Runs before the autograd pass of {@link #loss}: draws what the loss needs that must not (or
     * cannot) be differentiated through, e.g. negative samples of an energy model by Langevin
     * dynamics (which opens its own {@code GradientCollector}) or a frozen teacher's outputs. The
     * default returns the batch unchanged.
     *
     * @param context the parameter store, step and mode of this pass
     * @param batch the batch, owned by the step's scope
     * @return the batch {@link #loss} receives, in the same scope
     */
    default NDList prepare(StepContext context, NDList batch) {
        return batch;
    }

    /** The loss of a batch as a function; see {@link Objective#of}. */
    @FunctionalInterface
    interface LossFunction {
        /**
         * @param context the pass
         * @param batch the batch
         * @return the loss and its terms
         */
        LossTerms loss(StepContext context, NDList batch);
    }

    /**
     * An objective from a network and a loss function, e.g. {@code Objective.of(vae, (ctx, b) ->
     * vae.loss(ctx.parameters(), b.head(), ctx.step(), ctx.training()))}.
     *
     * @param network the network the loss is minimised over
     * @param loss the loss of a batch
     * @return the objective
     */
    static Objective of(Block network, LossFunction loss) {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(loss, "loss");
        return new Objective() {
            @Override
            public Block network() {
                return network;
            }

            @Override
            public LossTerms loss(StepContext context, NDList batch) {
                return loss.loss(context, batch);
            }
        };
    }
}
