package io.gen4j.core.train;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One network's part in a training step: its {@link Objective}, how its optimizer is made, optional
 * global-norm clipping and EMA, and the {@link UpdatePlan} saying at which steps it updates.
 *
 * <p>An {@link ObjectiveStep} has one player; a {@link MultiPlayerStep} several: a GAN's critic and
 * generator (each with its own optimizer and learning rate, TTUR), an energy model, a distilled
 * student. The player's name keys its checkpoint entries and prefixes its metrics.
 *
 * <pre>{@code
 * Player critic = Player.builder("critic", criticObjective)
 *         .setOptimizer(Adam.factory(LearningRateSchedule.constant(4e-4), AdamConfig.defaults().withBetas(0, 0.9)))
 *         .build();
 * Player generator = Player.builder("generator", generatorObjective)
 *         .setOptimizer(Adam.factory(LearningRateSchedule.constant(1e-4), AdamConfig.defaults().withBetas(0, 0.9)))
 *         .optEma(EmaConfig.defaults()).optPlan(UpdatePlan.every(5, 4))
 *         .build();
 * }</pre>
 *
 * @param name the player's name: letters, digits, '_' and '-'
 * @param objective what it minimises, and over which network
 * @param optimizer makes its optimizer
 * @param clipNorm the global gradient-norm bound, or 0 for no clipping
 * @param ema the EMA of its weights, or null for none
 * @param plan the steps at which it updates
 */
public record Player(String name, Objective objective, OptimizerFactory optimizer, double clipNorm,
        EmaConfig ema, UpdatePlan plan) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+");

    /** Validates. */
    public Player {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("player name must match " + NAME + ", got '" + name + "'");
        }
        Objects.requireNonNull(objective, "objective");
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(plan, "plan");
        if (!(clipNorm >= 0) || Double.isInfinite(clipNorm)) {
            throw new IllegalArgumentException("clipNorm must be finite and >= 0 (0 = no clipping), got " + clipNorm);
        }
    }

    /**
     * @param name the player's name
     * @param objective its objective
     * @return a builder
     */
    public static Builder builder(String name, Objective objective) {
        return new Builder(name, objective);
    }

    /** Builds a {@link Player}: {@code setOptimizer} is required, {@code optX} optional. */
    public static final class Builder {
        private final String name;
        private final Objective objective;
        private OptimizerFactory optimizer;
        private double clipNorm;
        private EmaConfig ema;
        private UpdatePlan plan = UpdatePlan.everyStep();

        private Builder(String name, Objective objective) {
            this.name = name;
            this.objective = objective;
        }

        /**
         * @param factory makes the optimizer of the objective's network
         * @return this builder
         */
        public Builder setOptimizer(OptimizerFactory factory) {
            this.optimizer = Objects.requireNonNull(factory, "factory");
            return this;
        }

        /**
         * @param maxNorm clip the global gradient norm to this value, &gt; 0; 0 for no clipping
         *     (the default)
         * @return this builder
         */
        public Builder optClipNorm(double maxNorm) {
            if (!(maxNorm >= 0) || Double.isInfinite(maxNorm)) {
                throw new IllegalArgumentException(
                        "maxNorm must be finite and >= 0 (0 = no clipping), got " + maxNorm);
            }
            this.clipNorm = maxNorm;
            return this;
        }

        /**
         * @param config keep an EMA of the network's weights, updated after each of its updates
         * @return this builder
         */
        public Builder optEma(EmaConfig config) {
            this.ema = Objects.requireNonNull(config, "config");
            return this;
        }

        /**
         * @param plan the steps at which this player updates (default: every step)
         * @return this builder
         */
        public Builder optPlan(UpdatePlan plan) {
            this.plan = Objects.requireNonNull(plan, "plan");
            return this;
        }

        /** @return the player */
        public Player build() {
            if (optimizer == null) {
                throw new IllegalStateException("player '" + name + "' needs an optimizer (setOptimizer)");
            }
            return new Player(name, objective, optimizer, clipNorm, ema, plan);
        }
    }
}
