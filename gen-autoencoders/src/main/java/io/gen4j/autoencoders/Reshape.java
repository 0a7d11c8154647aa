package io.gen4j.autoencoders;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Reshapes (N, ...) to (N, target...), keeping the batch axis: the glue between a decoder's
 * flat layers and its image-shaped output or transposed convolutions.
 */
public class Reshape extends AbstractBlock {

    private final Shape target;

    /**
     * @param target the shape of one example, without the batch axis
     */
    public Reshape(Shape target) {
        if (target.size() < 1) {
            throw new IllegalArgumentException("target shape must be non-empty, got " + target);
        }
        this.target = target;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(inputs.head().reshape(withBatch(inputs.head().getShape().get(0))));
    }

    private Shape withBatch(long n) {
        return new Shape(n).addAll(target);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        if (in.size() / in.get(0) != target.size()) {
            throw new IllegalArgumentException("cannot reshape " + in + " to (N, " + target + ")");
        }
        return new Shape[] {withBatch(in.get(0))};
    }
}
