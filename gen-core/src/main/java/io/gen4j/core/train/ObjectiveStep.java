package io.gen4j.core.train;

import ai.djl.ndarray.NDList;
import java.util.Map;
import java.util.Objects;

/**
 * The training step of every single-objective model (diffusion, VAEs, autoencoders, flows, score
 * models): the {@link Objective}'s loss under autograd, backward, optional global-norm clipping,
 * optimizer update, optional EMA update. {@link Fit} adds the per-step scope, seeding, the NaN/Inf
 * guard, checkpoints and logs.
 *
 * <pre>{@code
 * ObjectiveStep step = ObjectiveStep.builder()
 *     .setObjective(new DdpmObjective<>(unet, schedule, Prediction.EPSILON, LossWeighting.uniform(), false))
 *     .setOptimizer(AdamW.factory(LearningRateSchedule.cosine(2e-4, 0, 500, total), AdamConfig.defaults()))
 *     .optName("unet").optClipNorm(1.0).optEma(EmaConfig.defaults())
 *     .build();
 * }</pre>
 *
 * Metrics: {@code lr} (the rate of this update), {@code loss} (the total), every named term of the
 * objective's {@link LossTerms}, and {@code gradNorm} (before clipping) when clipping. Checkpoint
 * names: the network's name (default {@code model}), {@code optimizer}, {@code ema}. Several
 * networks with their own objectives and optimizers: {@link MultiPlayerStep}.
 */
public final class ObjectiveStep implements TrainingStep {

    private final PlayerUpdate player;
    private final TrainingState state;

    /**
     * @param player the one player: objective, optimizer, clipping, EMA (its plan must be every
     *     step and its name keys the network in checkpoints)
     */
    public ObjectiveStep(Player player) {
        this(player, null);
    }

    private ObjectiveStep(Player player, DataParallel parallel) {
        this(new PlayerUpdate(Objects.requireNonNull(player, "player"), parallel));
    }

    private ObjectiveStep(PlayerUpdate update) {
        this.player = update;
        TrainingState.Builder s = TrainingState.builder().block(update.player.name(), update.network)
                .stateful("optimizer", update.optimizer);
        if (update.ema != null) {
            s.stateful("ema", update.ema);
        }
        this.state = s.build();
    }

    /**
     * This step trained data-parallel over other devices: for code that receives a built step (the
     * CLI's {@code --devices} applies to every training of a run this way).
     *
     * @param devices the devices ({@link DataParallel}); e.g. {@code DataParallel.parse("gpu:0,gpu:1")}
     * @return a step over the same network with the same optimizer and EMA (shared, not copied: an
     *     update through either step moves both), its batches split over {@code devices}
     */
    public ObjectiveStep withDevices(java.util.List<ai.djl.Device> devices) {
        return new ObjectiveStep(new PlayerUpdate(player, new DataParallel(devices)));
    }

    /** @return the devices this step splits its batches over; empty when it makes one pass on the batch's device */
    public java.util.List<ai.djl.Device> devices() {
        return player.parallel == null ? java.util.List.of() : player.parallel.devices();
    }

    @Override
    public Map<String, Double> step(NDList batch, long step) {
        return player.update(batch, step);
    }

    @Override
    public TrainingState state() {
        return state;
    }

    /** @return the network this step trains (the objective's) */
    public ai.djl.nn.Block network() {
        return player.network;
    }

    /** @return the optimizer the step made */
    public ParameterOptimizer optimizer() {
        return player.optimizer;
    }

    /** @return the EMA of the network's weights, or null when none was asked for */
    public Ema ema() {
        return player.ema;
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds an {@link ObjectiveStep}: {@code setX} required, {@code optX} optional. */
    public static final class Builder {
        private Objective objective;
        private OptimizerFactory optimizer;
        private String name = "model";
        private double clipNorm;
        private EmaConfig ema;
        private DataParallel parallel;

        private Builder() {}

        /**
         * @param objective the loss and the network it trains
         * @return this builder
         */
        public Builder setObjective(Objective objective) {
            this.objective = Objects.requireNonNull(objective, "objective");
            return this;
        }

        /**
         * @param factory makes the optimizer of the objective's network, e.g. {@link
         *     Adam#factory}
         * @return this builder
         */
        public Builder setOptimizer(OptimizerFactory factory) {
            this.optimizer = Objects.requireNonNull(factory, "factory");
            return this;
        }

        /**
         * @param name the network's name in checkpoints (default {@code model})
         * @return this builder
         */
        public Builder optName(String name) {
            this.name = name;
            return this;
        }

        /**
         * @param maxNorm clip the global gradient norm to this value, &gt; 0; 0 for no clipping
         *     (the default); checked by {@link Player} when the step is built
         * @return this builder
         */
        public Builder optClipNorm(double maxNorm) {
            this.clipNorm = maxNorm;
            return this;
        }

        /**
         * @param config keep an EMA of the weights, updated after each optimizer update
         * @return this builder
         */
        public Builder optEma(EmaConfig config) {
            this.ema = Objects.requireNonNull(config, "config");
            return this;
        }

        /**
         * @param devices train data-parallel over these devices of one machine ({@link DataParallel}):
         *     each batch is split per device and the gradients are summed, weighted by slice size, into
         *     the network's parameters, which live on their own device; e.g. {@code
         *     DataParallel.parse("gpu:0,gpu:1")}. Unset: one pass on the batch's device.
         * @return this builder
         */
        public Builder optDevices(java.util.List<ai.djl.Device> devices) {
            this.parallel = new DataParallel(devices);
            return this;
        }

        /** @return the step */
        public ObjectiveStep build() {
            if (objective == null || optimizer == null) {
                throw new IllegalStateException("objective and optimizer are required");
            }
            return new ObjectiveStep(new Player(name, objective, optimizer, clipNorm, ema,
                    UpdatePlan.everyStep()), parallel);
        }
    }
}
