package io.gen4j.gans;

import ai.djl.ndarray.NDList;
import io.gen4j.core.train.Adam;
import io.gen4j.core.train.AdamConfig;
import io.gen4j.core.train.Ema;
import io.gen4j.core.train.EmaConfig;
import io.gen4j.core.train.LearningRateSchedule;
import io.gen4j.core.train.MultiPlayerStep;
import io.gen4j.core.train.Player;
import io.gen4j.core.train.TrainingState;
import io.gen4j.core.train.TrainingStep;
import io.gen4j.core.train.UpdatePlan;
import java.util.Map;
import java.util.Objects;

/**
 * The training step of a {@link GanModel}: alternating discriminator and generator updates on gen-core's
 * {@link MultiPlayerStep}, so checkpoints, exact resume, the NaN guard and the progress bar of {@code
 * Fit} apply unchanged.
 *
 * <ul>
 *   <li>players {@code discriminator} (every step) and {@code generator} (every n_critic-th step,
 *       after the critic: {@code UpdatePlan.every(n, n − 1)});
 *   <li>separate Adam optimizers with their own learning rates (TTUR, Heusel et al. 2017) and
 *       betas (β1 = 0.5 for DCGAN, 0 with β2 = 0.9 for WGAN-GP);
 *   <li>an optional EMA of the generator (Yazıcı et al. 2019), an optional {@link CriticPenalty}
 *       and weight clipping;
 *   <li>metrics per update: {@code discriminator.loss}, {@code .realScore} (mean D(x)), {@code
 *       .fakeScore} (mean D(G(z))), the penalty, {@code generator.loss}, and {@code gradNorm} of both
 *       players (the global gradient norm before any clipping).
 * </ul>
 *
 * <pre>{@code
 * GanTraining.Step step = GanTraining.builder(model).optLoss(GanLoss.wasserstein())
 *         .optPenalty(GradientPenalty.defaults()).optCriticSteps(5)
 *         .optLearningRates(1e-4, 1e-4).optBetas(0, 0.9).build();
 * Fit.builder().setStep(step).setSource(batches).setManager(manager).optTotalSteps(10_000).build().run();
 * }</pre>
 */
public final class GanTraining {

    /**
     * The gradient-norm bound that {@link Player#clipNorm()} gets when no clipping is wanted: the
     * player then reports its gradient norm and never scales (no finite norm exceeds it).
     */
    static final double REPORT_ONLY = Double.MAX_VALUE;

    private GanTraining() {}

    /**
     * @param model the GAN to train
     * @return a builder with DCGAN's defaults: non-saturating loss, no penalty, n_critic 1, both
     *     learning rates 2e-4, betas (0.5, 0.999), no EMA
     */
    public static Builder builder(GanModel model) {
        return new Builder(model);
    }

    /** A GAN's training step, with access to the generator's EMA. */
    public static final class Step implements TrainingStep {
        private final MultiPlayerStep players;
        private final GanModel model;

        private Step(MultiPlayerStep players, GanModel model) {
            this.players = players;
            this.model = model;
        }

        @Override
        public Map<String, Double> step(NDList batch, long step) {
            return players.step(batch, step);
        }

        @Override
        public TrainingState state() {
            return players.state();
        }

        /** @return the trained model */
        public GanModel model() {
            return model;
        }

        /** @return the generator's EMA (sample with {@code try (Ema.Swap s = ema.swapIn())}), or null */
        public Ema generatorEma() {
            return players.ema("generator");
        }

        /** @return the players' step */
        public MultiPlayerStep players() {
            return players;
        }
    }

    /** Builds a {@link Step}; every option has a default. */
    public static final class Builder {
        private final GanModel model;
        private GanLoss loss = GanLoss.nonSaturating();
        private CriticPenalty penalty;
        private double weightClip;
        private int criticSteps = 1;
        private LearningRateSchedule lrD = LearningRateSchedule.constant(2e-4);
        private LearningRateSchedule lrG = LearningRateSchedule.constant(2e-4);
        private double beta1 = 0.5;
        private double beta2 = 0.999;
        private EmaConfig ema;

        private Builder(GanModel model) {
            this.model = Objects.requireNonNull(model, "model");
        }

        /**
         * @param ganLoss the loss of both players
         * @return this builder
         */
        public Builder optLoss(GanLoss ganLoss) {
            this.loss = Objects.requireNonNull(ganLoss, "ganLoss");
            return this;
        }

        /**
         * @param criticPenalty added to the discriminator's loss, or null for none
         * @return this builder
         */
        public Builder optPenalty(CriticPenalty criticPenalty) {
            this.penalty = criticPenalty;
            return this;
        }

        /**
         * @param c clip D's weights to [−c, c] (WGAN: 0.01), or 0 for none
         * @return this builder
         */
        public Builder optWeightClip(double c) {
            if (!(c >= 0) || Double.isInfinite(c)) {
                throw new IllegalArgumentException("weight clip must be finite and >= 0, got " + c);
            }
            this.weightClip = c;
            return this;
        }

        /**
         * @param n discriminator updates per generator update (n_critic), at least 1
         * @return this builder
         */
        public Builder optCriticSteps(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("criticSteps must be >= 1, got " + n);
            }
            this.criticSteps = n;
            return this;
        }

        /**
         * @param discriminator D's learning rate, &gt; 0
         * @param generator G's learning rate, &gt; 0
         * @return this builder
         */
        public Builder optLearningRates(double discriminator, double generator) {
            return optSchedules(LearningRateSchedule.constant(discriminator), LearningRateSchedule.constant(generator));
        }

        /**
         * @param discriminator D's schedule
         * @param generator G's schedule
         * @return this builder
         */
        public Builder optSchedules(LearningRateSchedule discriminator, LearningRateSchedule generator) {
            this.lrD = Objects.requireNonNull(discriminator, "discriminator");
            this.lrG = Objects.requireNonNull(generator, "generator");
            return this;
        }

        /**
         * @param b1 Adam's β1 of both players, in [0, 1)
         * @param b2 Adam's β2 of both players, in [0, 1)
         * @return this builder
         */
        public Builder optBetas(double b1, double b2) {
            this.beta1 = b1;
            this.beta2 = b2;
            return this;
        }

        /**
         * @param config keep an EMA of the generator's weights
         * @return this builder
         */
        public Builder optEma(EmaConfig config) {
            this.ema = Objects.requireNonNull(config, "config");
            return this;
        }

        /** @return the step */
        public Step build() {
            AdamConfig betas = AdamConfig.defaults().withBetas(beta1, beta2);
            Generator g = model.generator();
            Discriminator d = model.discriminator();
            Player critic = Player.builder("discriminator", new DiscriminatorObjective(g, d, loss, penalty, weightClip))
                    .setOptimizer(Adam.factory(lrD, betas)).optClipNorm(REPORT_ONLY).build();
            Player.Builder generator = Player.builder("generator", new GeneratorObjective(g, d, loss, weightClip))
                    .setOptimizer(Adam.factory(lrG, betas)).optClipNorm(REPORT_ONLY)
                    .optPlan(UpdatePlan.every(criticSteps, criticSteps - 1));
            if (ema != null) {
                generator.optEma(ema);
            }
            MultiPlayerStep step = MultiPlayerStep.builder().addPlayer(critic).addPlayer(generator.build()).build();
            return new Step(step, model);
        }
    }
}
