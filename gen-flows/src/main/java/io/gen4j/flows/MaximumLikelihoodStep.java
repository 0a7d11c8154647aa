package io.gen4j.flows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.GradientCollector;
import io.gen4j.core.train.Gradients;
import io.gen4j.core.train.ParameterOptimizer;
import io.gen4j.core.train.TrainingState;
import io.gen4j.core.train.TrainingStep;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One maximum-likelihood step of a {@link NormalizingFlow}: minimise the exact negative
 * log-likelihood of the batch,
 *
 * <pre>
 *   L(θ) = −(1/N) Σ_n [ log p_Z(f_θ(x_n)) + log|det ∂f_θ/∂x(x_n)| ]
 * </pre>
 *
 * <p>then clip the global gradient norm (when {@code maxGradNorm > 0}) and update. Metrics: {@code
 * nll} (nats per example), {@code gradNorm}, and {@code bitsPerDim} for image batches (N, C, H,
 * W). The batch's first array is the data. Checkpoint names: {@code flow}, {@code optimizer} (the
 * flow's parameters include ActNorm's data-initialisation flag).
 */
public final class MaximumLikelihoodStep implements TrainingStep {

    private final NormalizingFlow flow;
    private final ParameterOptimizer optimizer;
    private final double maxGradNorm;
    private final TrainingState state;

    /**
     * @param flow the flow, initialised (and data-initialised if it has ActNorm)
     * @param optimizer the optimizer over the flow's parameters
     * @param maxGradNorm the global gradient-norm clip, or 0 for none
     */
    public MaximumLikelihoodStep(NormalizingFlow flow, ParameterOptimizer optimizer, double maxGradNorm) {
        this.flow = Objects.requireNonNull(flow, "flow");
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        if (!(maxGradNorm >= 0)) {
            throw new IllegalArgumentException("maxGradNorm must be >= 0 (0 = no clipping), got " + maxGradNorm);
        }
        this.maxGradNorm = maxGradNorm;
        this.state = TrainingState.builder().block("flow", flow).stateful("optimizer", optimizer).build();
    }

    @Override
    public TrainingState state() {
        return state;
    }

    @Override
    public Map<String, Double> step(NDList batch, long step) {
        NDArray x = batch.head();
        double lr = optimizer.nextLearningRate();
        double nll;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray loss = flow.nll(x);
            gc.backward(loss);
            nll = loss.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble();
        }
        double norm = maxGradNorm > 0 ? Gradients.clipGlobalNorm(maxGradNorm, flow) : Gradients.globalNorm(flow);
        optimizer.update();
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("nll", nll);
        metrics.put("lr", lr);
        metrics.put("gradNorm", norm);
        if (x.getShape().dimension() == 4) {
            metrics.put("bitsPerDim", nll / (x.getShape().slice(1).size() * Math.log(2)));
        }
        return metrics;
    }
}
