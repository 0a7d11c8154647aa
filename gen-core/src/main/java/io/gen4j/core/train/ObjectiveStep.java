package io.gen4j.core.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The common single-network {@link TrainingStep}: loss from an {@link Objective} under autograd,
 * backward, optional global-norm clipping, optimizer update, optional EMA update.
 *
 * <pre>{@code
 * ObjectiveStep step = ObjectiveStep.builder()
 *     .setNetwork("unet", unet)
 *     .setOptimizer(new AdamW(LearningRateSchedule.cosine(2e-4, 0, 500, total), config, unet))
 *     .setObjective((ps, batch, s) -> ddpm.loss(ps, batch.head()))
 *     .optClipNorm(1.0).optEma(new Ema(unet, EmaConfig.defaults()))
 *     .build();
 * }</pre>
 *
 * Metrics: {@code loss}, {@code lr} (the rate of this update) and, when clipping, {@code gradNorm}
 * (before clipping). Checkpoint names: the network's name, {@code optimizer}, {@code ema}.
 */
public final class ObjectiveStep implements TrainingStep {

    private final Block network;
    private final ParameterOptimizer optimizer;
    private final Objective objective;
    private final Ema ema;
    private final double clipNorm;
    private final TrainingState state;

    private ObjectiveStep(Builder b) {
        this.network = b.network;
        this.optimizer = b.optimizer;
        this.objective = b.objective;
        this.ema = b.ema;
        this.clipNorm = b.clipNorm;
        TrainingState.Builder s = TrainingState.builder().block(b.name, network)
                .stateful("optimizer", optimizer);
        if (ema != null) {
            s.stateful("ema", ema);
        }
        this.state = s.build();
    }

    @Override
    public Map<String, Double> step(NDList batch, long step) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("lr", optimizer.nextLearningRate());
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            ParameterStore ps = new ParameterStore(batch.head().getManager(), false);
            NDArray loss = objective.loss(ps, batch, step);
            gc.backward(loss);
            // Read after backward: float32 and float64 losses alike.
            metrics.put("loss", loss.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble());
        }
        if (clipNorm > 0) {
            metrics.put("gradNorm", Gradients.clipGlobalNorm(clipNorm, network));
        }
        optimizer.update();
        if (ema != null) {
            ema.update();
        }
        return metrics;
    }

    @Override
    public TrainingState state() {
        return state;
    }

    /** @return the EMA, or null when none was set */
    public Ema ema() {
        return ema;
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds an {@link ObjectiveStep}: {@code setX} required, {@code optX} optional. */
    public static final class Builder {
        private String name;
        private Block network;
        private ParameterOptimizer optimizer;
        private Objective objective;
        private Ema ema;
        private double clipNorm;

        private Builder() {}

        /**
         * @param name the network's checkpoint name
         * @param network the initialized network the optimizer updates
         * @return this builder
         */
        public Builder setNetwork(String name, Block network) {
            this.name = Objects.requireNonNull(name, "name");
            this.network = Objects.requireNonNull(network, "network");
            return this;
        }

        /**
         * @param optimizer the optimizer of the network's parameters
         * @return this builder
         */
        public Builder setOptimizer(ParameterOptimizer optimizer) {
            this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
            return this;
        }

        /**
         * @param objective the loss
         * @return this builder
         */
        public Builder setObjective(Objective objective) {
            this.objective = Objects.requireNonNull(objective, "objective");
            return this;
        }

        /**
         * @param ema an EMA of the network, updated after each optimizer update
         * @return this builder
         */
        public Builder optEma(Ema ema) {
            this.ema = Objects.requireNonNull(ema, "ema");
            return this;
        }

        /**
         * @param maxNorm clip the global gradient norm to this value, &gt; 0
         * @return this builder
         */
        public Builder optClipNorm(double maxNorm) {
            if (!(maxNorm > 0) || Double.isInfinite(maxNorm)) {
                throw new IllegalArgumentException("maxNorm must be finite and > 0, got " + maxNorm);
            }
            this.clipNorm = maxNorm;
            return this;
        }

        /** @return the step */
        public ObjectiveStep build() {
            if (network == null || optimizer == null || objective == null) {
                throw new IllegalStateException("network, optimizer and objective are required");
            }
            return new ObjectiveStep(this);
        }
    }
}
