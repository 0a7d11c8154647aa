package io.gen4j.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;
import java.util.function.LongSupplier;

/**
 * PyTorch's default initialisation of linear and convolution layers: U(-1/√fan_in, 1/√fan_in).
 *
 * <p>For weights this equals {@code kaiming_uniform_(a=√5)}; for biases PyTorch uses the same bound
 * with the fan-in of the weight, which is why the fan-in can be supplied lazily (it is known only
 * once the block has seen its input shape).
 */
public final class FanInUniform implements Initializer {

    private final LongSupplier fanIn;

    private FanInUniform(LongSupplier fanIn) {
        this.fanIn = fanIn;
    }

    /**
     * For a weight of shape (out, in, k...): fan-in = in · ∏k.
     *
     * @return the initializer
     */
    public static FanInUniform forWeight() {
        return new FanInUniform(null);
    }

    /**
     * For a bias whose weight's fan-in is supplied when the parameter is initialised.
     *
     * @param fanIn the weight's fan-in
     * @return the initializer
     */
    public static FanInUniform forBias(LongSupplier fanIn) {
        return new FanInUniform(fanIn);
    }

    @Override
    public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
        long n = fanIn != null ? fanIn.getAsLong() : shape.size() / shape.get(0);
        if (n <= 0) {
            throw new IllegalStateException("fan-in must be positive, got " + n + " for shape " + shape);
        }
        float bound = (float) (1.0 / Math.sqrt(n));
        return manager.randomUniform(-bound, bound, shape, dataType);
    }
}
