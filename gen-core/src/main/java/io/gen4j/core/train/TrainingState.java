package io.gen4j.core.train;

import ai.djl.nn.Block;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a checkpoint of a {@link TrainingStep} must save: its named networks (their parameters) and
 * its named {@link Stateful} parts (optimizers, EMAs).
 *
 * <p>A GAN's state, for instance:
 *
 * <pre>{@code
 * TrainingState.builder()
 *     .block("generator", generator).block("discriminator", discriminator)
 *     .stateful("optG", optG).stateful("optD", optD).stateful("emaG", emaG)
 *     .build();
 * }</pre>
 *
 * Names are the keys of the checkpoint file: a checkpoint loads into a state with the same names.
 */
public final class TrainingState {

    private final Map<String, Block> blocks;
    private final Map<String, Stateful> stateful;

    private TrainingState(Builder builder) {
        this.blocks = Collections.unmodifiableMap(new LinkedHashMap<>(builder.blocks));
        this.stateful = Collections.unmodifiableMap(new LinkedHashMap<>(builder.stateful));
    }

    /** @return the named networks, in insertion order */
    public Map<String, Block> blocks() {
        return blocks;
    }

    /** @return the named optimizers, EMAs and other stateful parts, in insertion order */
    public Map<String, Stateful> stateful() {
        return stateful;
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link TrainingState}; names must be unique and non-blank. */
    public static final class Builder {
        private final Map<String, Block> blocks = new LinkedHashMap<>();
        private final Map<String, Stateful> stateful = new LinkedHashMap<>();

        private Builder() {}

        /**
         * Adds a network whose parameters the checkpoint saves.
         *
         * @param name unique name
         * @param block an initialized block
         * @return this builder
         */
        public Builder block(String name, Block block) {
            checkName(name);
            blocks.put(name, Objects.requireNonNull(block, "block"));
            return this;
        }

        /**
         * Adds an optimizer, an EMA or another stateful part.
         *
         * @param name unique name
         * @param part the stateful part
         * @return this builder
         */
        public Builder stateful(String name, Stateful part) {
            checkName(name);
            stateful.put(name, Objects.requireNonNull(part, "part"));
            return this;
        }

        private void checkName(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("name must be non-blank, got '" + name + "'");
            }
            if (blocks.containsKey(name) || stateful.containsKey(name)) {
                throw new IllegalArgumentException("name '" + name + "' is already used");
            }
        }

        /** @return the state */
        public TrainingState build() {
            if (blocks.isEmpty()) {
                throw new IllegalStateException("a training state needs at least one block");
            }
            return new TrainingState(this);
        }
    }
}
