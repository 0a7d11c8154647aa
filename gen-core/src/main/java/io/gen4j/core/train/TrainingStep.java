package io.gen4j.core.train;

import ai.djl.ndarray.NDList;
import java.util.Map;

/**
 * One optimisation step of a model over a batch: forward, loss, backward, optimizer update(s).
 *
 * <p>Models train through the two implementations gen4j provides: {@link ObjectiveStep} (one
 * {@link Objective}) and {@link MultiPlayerStep} (several networks with their own objectives and
 * optimizers: GANs, energy models, distillation). Implement this interface directly only for a
 * step neither covers. A step owns its networks and optimizers. {@link Fit} calls {@link #step} once per batch, inside a per-step {@code NDManager}
 * scope that owns the batch and is closed after the call: compute from the batch (first operand)
 * so that temporaries land in that scope, and return plain doubles.
 *
 * <p>What such a step does (what {@link ObjectiveStep} does for you):
 *
 * <pre>{@code
 * public Map<String, Double> step(NDList batch, long step) {
 *     NDArray x = batch.head();
 *     double loss;
 *     try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
 *         NDArray l = objective(x);             // forward under autograd
 *         gc.backward(l);
 *         loss = l.getFloat();
 *     }
 *     double norm = Gradients.clipGlobalNorm(1.0, net);  // optional
 *     adam.update();                            // after the collector is closed
 *     ema.update();
 *     return Map.of("loss", loss, "gradNorm", norm);
 * }
 * }</pre>
 *
 * Rules of DJL 0.36 (docs/known-issues.md §2): only one {@code GradientCollector} may be open at a time;
 * gradients are not zeroed when a collector opens, so zero the gradients of a network you do not
 * update in this backward ({@link Gradients#zero}) before its own backward.
 */
public interface TrainingStep {

    /**
     * Runs one optimisation step.
     *
     * @param batch the batch (data first, then labels where the source has them), owned by the
     *     per-step scope
     * @param step the global step index, 0-based
     * @return named scalar metrics, e.g. {@code loss}, {@code gradNorm}; every value is checked
     *     for NaN/Inf by {@link Fit}
     */
    Map<String, Double> step(NDList batch, long step);

    /** @return what a checkpoint must save: the named networks, optimizers and EMAs */
    TrainingState state();
}
