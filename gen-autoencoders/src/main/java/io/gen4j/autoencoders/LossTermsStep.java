package io.gen4j.autoencoders;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.gen4j.core.train.ParameterOptimizer;
import io.gen4j.core.train.TrainingState;
import io.gen4j.core.train.TrainingStep;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link TrainingStep} for the models of this module: forward under autograd through a {@link
 * LossTermsObjective}, backward of {@link LossTerms#total()}, one optimizer update; the metrics are
 * {@code lr}, {@code loss} and every named term (reconstruction, KL, −ELBO, perplexity, …), so that
 * {@code Fit}'s metrics log records each part of the objective.
 *
 * <pre>{@code
 * Vae vae = ...; vae.initialize(manager, DataType.FLOAT32, shape);
 * TrainingStep step = new LossTermsStep("vae", vae,
 *         new Adam(LearningRateSchedule.constant(1e-3), AdamConfig.defaults(), vae),
 *         (ps, batch, s) -> vae.loss(ps, batch.head(), s, true));
 * Fit.builder().setStep(step).setSource(batches).setManager(manager).optTotalSteps(5000).build().run();
 * }</pre>
 *
 * <p>Parameters that do not require gradients (the EMA codebook of a {@link VectorQuantizer}) are
 * left to the model, which updates them during the forward.
 */
public final class LossTermsStep implements TrainingStep {

    private final Block network;
    private final ParameterOptimizer optimizer;
    private final LossTermsObjective objective;
    private final TrainingState state;

    /**
     * @param name the network's name in checkpoints
     * @param network the initialised model
     * @param optimizer an optimizer over the model's parameters
     * @param objective the loss of a batch
     */
    public LossTermsStep(String name, Block network, ParameterOptimizer optimizer, LossTermsObjective objective) {
        this.network = Objects.requireNonNull(network, "network");
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        this.objective = Objects.requireNonNull(objective, "objective");
        this.state = TrainingState.builder().block(name, network).stateful("optimizer", optimizer).build();
    }

    @Override
    public Map<String, Double> step(NDList batch, long step) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("lr", optimizer.nextLearningRate());
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            ParameterStore ps = new ParameterStore(batch.head().getManager(), false);
            LossTerms terms = objective.loss(ps, batch, step);
            gc.backward(terms.total());
            metrics.putAll(terms.metrics());
        }
        optimizer.update();
        return metrics;
    }

    @Override
    public TrainingState state() {
        return state;
    }

    /** @return the network this step trains */
    public Block network() {
        return network;
    }
}
