package io.gen4j.core.train;

import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A training step with several players, each a network with its own {@link Objective}, optimizer,
 * learning-rate schedule, clipping, EMA and {@link UpdatePlan}: a GAN's discriminator and
 * generator (n_critic, TTUR), an energy model beside a sampler's state, a student beside a frozen
 * teacher.
 *
 * <p>At step {@code s} the players whose plan {@link UpdatePlan#updatesAt updates at s} update in
 * the order they were added, each with one autograd pass over the same batch. A player's loss may run
 * the other players' networks (the generator's loss runs the discriminator): in its pass they see
 * their parameters detached from autograd (the same values and memory, no gradient), so the backward
 * computes no gradient the update would discard (a GAN's discriminator weight gradients in the
 * generator's pass, the generator's graph in the discriminator's). Whatever gradient still reaches
 * them (a network that reads its parameter arrays directly; the passes of a data-parallel player)
 * is zeroed right after the update (DJL does not zero gradients when a pass opens,
 * docs/known-issues.md §2), so every player starts its pass with zero gradients. Parameters that
 * two players' networks share are the player's own in its pass.
 *
 * <pre>{@code
 * MultiPlayerStep step = MultiPlayerStep.builder()
 *     .addPlayer(Player.builder("critic", criticLoss).setOptimizer(Adam.factory(lrD, betas)).build())
 *     .addPlayer(Player.builder("generator", generatorLoss).setOptimizer(Adam.factory(lrG, betas))
 *             .optEma(EmaConfig.defaults()).optPlan(UpdatePlan.every(5, 4)).build())
 *     .build();
 * Fit.builder().setStep(step)...   // checkpoints and exact resume as for one network
 * }</pre>
 *
 * <p>Metrics: each player's {@code lr}, {@code loss}, terms and {@code gradNorm}, prefixed with its
 * name and a dot ({@code critic.loss}); a player that does not update at a step reports nothing
 * for it. Checkpoint names: each player's name (its network), {@code <name>.optimizer}, {@code
 * <name>.ema}, and the names of {@link Builder#addBlock extra blocks} and {@link Builder#addState
 * extra state}; a checkpoint therefore restores every optimizer, schedule position and EMA, and
 * {@link Fit} resumes the run bit-exactly.
 */
public final class MultiPlayerStep implements TrainingStep {

    private final List<PlayerUpdate> players;
    private final List<Block> others;
    private final TrainingState state;

    private MultiPlayerStep(Builder b) {
        List<PlayerUpdate> made = new ArrayList<>();
        for (Player p : b.players) {
            made.add(new PlayerUpdate(p));
        }
        this.players = Collections.unmodifiableList(made);
        for (PlayerUpdate p : players) {
            Set<Parameter> own = parametersOf(p.network);
            Set<Parameter> others = Collections.newSetFromMap(new IdentityHashMap<>());
            for (PlayerUpdate q : players) {
                if (q != p) {
                    for (Parameter parameter : parametersOf(q.network)) {
                        if (!own.contains(parameter)) {
                            others.add(parameter);
                        }
                    }
                }
            }
            p.detach(Collections.unmodifiableSet(others));
        }
        TrainingState.Builder s = TrainingState.builder();
        Set<Block> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (PlayerUpdate p : players) {
            if (!seen.add(p.network)) {
                throw new IllegalArgumentException("player '" + p.player.name()
                        + "' trains a network that another player already trains");
            }
            s.block(p.player.name(), p.network);
        }
        List<Block> extra = new ArrayList<>();
        for (Map.Entry<String, Block> e : b.blocks.entrySet()) {
            if (!seen.add(e.getValue())) {
                throw new IllegalArgumentException("block '" + e.getKey() + "' is a player's network already");
            }
            s.block(e.getKey(), e.getValue());
            extra.add(e.getValue());
        }
        this.others = List.copyOf(extra);
        for (PlayerUpdate p : players) {
            s.stateful(p.player.name() + ".optimizer", p.optimizer);
            if (p.ema != null) {
                s.stateful(p.player.name() + ".ema", p.ema);
            }
        }
        b.states.forEach(s::stateful);
        this.state = s.build();
    }

    private static Set<Parameter> parametersOf(Block network) {
        Set<Parameter> set = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Pair<String, Parameter> p : network.getParameters()) {
            set.add(p.getValue());
        }
        return set;
    }

    @Override
    public Map<String, Double> step(NDList batch, long step) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (PlayerUpdate p : players) {
            if (!p.player.plan().updatesAt(step)) {
                continue;
            }
            for (Map.Entry<String, Double> e : p.update(batch, step).entrySet()) {
                metrics.put(p.player.name() + "." + e.getKey(), e.getValue());
            }
            for (PlayerUpdate q : players) {
                if (q != p) {
                    Gradients.zero(q.network);
                }
            }
            for (Block block : others) {
                Gradients.zero(block);
            }
        }
        return metrics;
    }

    @Override
    public TrainingState state() {
        return state;
    }

    /**
     * @param name a player's name
     * @return its optimizer
     * @throws IllegalArgumentException when there is no such player
     */
    public ParameterOptimizer optimizer(String name) {
        return find(name).optimizer;
    }

    /**
     * @param name a player's name
     * @return its EMA, or null when it has none
     * @throws IllegalArgumentException when there is no such player
     */
    public Ema ema(String name) {
        return find(name).ema;
    }

    private PlayerUpdate find(String name) {
        for (PlayerUpdate p : players) {
            if (p.player.name().equals(name)) {
                return p;
            }
        }
        List<String> names = new ArrayList<>();
        players.forEach(p -> names.add(p.player.name()));
        throw new IllegalArgumentException("no player '" + name + "'; the players are " + names);
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link MultiPlayerStep}: at least one player; names unique. */
    public static final class Builder {
        private final List<Player> players = new ArrayList<>();
        private final Map<String, Block> blocks = new LinkedHashMap<>();
        private final Map<String, Stateful> states = new LinkedHashMap<>();

        private Builder() {}

        /**
         * @param player a player; players update in the order added
         * @return this builder
         */
        public Builder addPlayer(Player player) {
            players.add(Objects.requireNonNull(player, "player"));
            return this;
        }

        /**
         * Adds a network that no player trains but whose parameters a checkpoint must hold (a
         * network updated outside an optimizer). Its gradients are zeroed after every update; freeze
         * a network that never trains (a distillation teacher) with {@code
         * block.freezeParameters(true)}.
         *
         * @param name its checkpoint name
         * @param block the initialized block
         * @return this builder
         */
        public Builder addBlock(String name, Block block) {
            blocks.put(name, Objects.requireNonNull(block, "block"));
            return this;
        }

        /**
         * Adds state that a checkpoint must save and restore beside the players (a replay buffer of
         * negative samples, a sampler's persistent chains).
         *
         * @param name its checkpoint name
         * @param part the state
         * @return this builder
         */
        public Builder addState(String name, Stateful part) {
            states.put(name, Objects.requireNonNull(part, "part"));
            return this;
        }

        /** @return the step */
        public MultiPlayerStep build() {
            if (players.isEmpty()) {
                throw new IllegalStateException("a multi-player step needs at least one player");
            }
            return new MultiPlayerStep(this);
        }
    }
}
