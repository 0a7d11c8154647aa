package io.gen4j.core.nn;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * A multi-layer perceptron: Linear → activation → … → Linear (→ optional output activation).
 *
 * <p>Linear layers are DJL's (correct on every CPU) with PyTorch's default initialisation. Input
 * (N, d_in) or (N, ..., d_in); the last axis is transformed.
 *
 * <pre>{@code
 * Mlp mlp = Mlp.builder().setHidden(128, 128).setOutput(2).optActivation(Activation.SILU).build();
 * }</pre>
 */
public class Mlp extends AbstractBlock {

    private static final byte VERSION = 1;

    private final List<Block> layers = new ArrayList<>();
    private final Activation activation;
    private final Activation outputActivation;

    /**
     * @param builder the configuration
     */
    protected Mlp(Builder builder) {
        super(VERSION);
        this.activation = builder.activation;
        this.outputActivation = builder.outputActivation;
        int i = 0;
        for (int width : builder.hidden) {
            layers.add(addChildBlock("linear" + i++, linear(width)));
        }
        layers.add(addChildBlock("linear" + i, linear(builder.output)));
    }

    private static Linear linear(int units) {
        Linear l = Linear.builder().setUnits(units).build();
        l.setInitializer(FanInUniform.forWeight(), ai.djl.nn.Parameter.Type.WEIGHT);
        return l;
    }

    /**
     * @return the linear layers in order (DJL {@code Linear} blocks, weights (out, in)), read-only: for code
     *     that evaluates the same map another way (a flow's prepared inverse folds constants into them)
     */
    public List<Linear> linears() {
        List<Linear> out = new ArrayList<>(layers.size());
        for (Block layer : layers) {
            out.add((Linear) layer);
        }
        return java.util.Collections.unmodifiableList(out);
    }

    /** @return the activation after every linear layer but the last */
    public Activation activation() {
        return activation;
    }

    /** @return the activation after the last linear layer ({@link Activation#NONE} when there is none) */
    public Activation outputActivation() {
        return outputActivation;
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList x = inputs;
        for (int i = 0; i < layers.size(); i++) {
            x = layers.get(i).forward(ps, x, training);
            Activation a = i == layers.size() - 1 ? outputActivation : activation;
            x = new NDList(a.apply(x.head()));
        }
        return x;
    }

    @Override
    protected void initializeChildBlocks(
            ai.djl.ndarray.NDManager manager, ai.djl.ndarray.types.DataType dataType, Shape... inputShapes) {
        Shape[] shapes = inputShapes;
        for (Block layer : layers) {
            layer.initialize(manager, dataType, shapes);
            shapes = layer.getOutputShapes(shapes);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] shapes = inputShapes;
        for (Block layer : layers) {
            shapes = layer.getOutputShapes(shapes);
        }
        return shapes;
    }

    /** Builder for {@link Mlp}: {@code setOutput} is required. */
    public static final class Builder {
        private int[] hidden = new int[0];
        private int output = -1;
        private Activation activation = Activation.RELU;
        private Activation outputActivation = Activation.NONE;

        Builder() {}

        /**
         * @param widths widths of the hidden layers (none for a single linear layer)
         * @return this
         */
        public Builder setHidden(int... widths) {
            for (int w : widths) {
                if (w < 1) {
                    throw new IllegalArgumentException("hidden widths must be >= 1, got " + w);
                }
            }
            this.hidden = widths.clone();
            return this;
        }

        /**
         * @param units output width
         * @return this
         */
        public Builder setOutput(int units) {
            this.output = units;
            return this;
        }

        /**
         * @param activation hidden activation (default ReLU)
         * @return this
         */
        public Builder optActivation(Activation activation) {
            this.activation = activation;
            return this;
        }

        /**
         * @param activation output activation (default none)
         * @return this
         */
        public Builder optOutputActivation(Activation activation) {
            this.outputActivation = activation;
            return this;
        }

        /**
         * @return the block
         * @throws IllegalArgumentException when the output width is missing
         */
        public Mlp build() {
            if (output < 1) {
                throw new IllegalArgumentException("output width must be set and >= 1, got " + output);
            }
            return new Mlp(this);
        }
    }
}
