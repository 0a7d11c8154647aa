package io.gen4j.flows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.model.PreparedSampler;
import java.util.Objects;

/**
 * A flow's sampler with its inverse prepared once ({@link FlowTransform#prepareInverse}): draws z from the
 * base and maps it back with the folded layers, so a loop of chunks pays the folding once. It is a
 * <b>snapshot</b> of the parameters at {@link NormalizingFlow#sampler}: after a training step, a load or
 * an EMA copied into the flow, close it and make a new one. Samples equal {@link NormalizingFlow#sample}'s
 * for the same base draws to within rounding (the folded affine layers sum in another order).
 *
 * <pre>{@code
 * try (FlowSampler sampler = flow.sampler(manager)) {
 *     new ChunkedSampleable(sampler, 1000).sampleTo(manager, 1_000_000, out::append);
 * }
 * }</pre>
 */
public final class FlowSampler implements PreparedSampler {

    private final NormalizingFlow flow;
    private final NDManager constants;
    private final PreparedInverse inverse;

    FlowSampler(NormalizingFlow flow, NDManager manager, Shape example, DataType dataType) {
        this.flow = flow;
        this.constants = Objects.requireNonNull(manager, "manager").newSubManager();
        PreparedInverse prepared;
        try {
            prepared = flow.transform().prepareInverse(constants, example, dataType);
        } catch (RuntimeException e) {
            constants.close();
            throw e;
        }
        this.inverse = prepared;
    }

    @Override
    public NDArray sample(NDManager manager, int n) {
        return sample(manager, n, 1.0);
    }

    /**
     * @param manager owner of the result
     * @param n number of samples, at least 1
     * @param temperature T &gt; 0: the base's standard deviation is scaled by T
     * @return samples (n, ...) in data space
     */
    public NDArray sample(NDManager manager, int n, double temperature) {
        requireOpen();
        return flow.draw(manager, n, temperature, inverse);
    }

    /**
     * @param z latents (N, latent...)
     * @return f⁻¹(z) with the prepared inverse, in z's manager
     */
    public NDArray decode(NDArray z) {
        requireOpen();
        return inverse.apply(z);
    }

    private void requireOpen() {
        if (!constants.isOpen()) {
            throw new IllegalStateException("the sampler is closed");
        }
    }

    /** Frees the prepared constants. */
    @Override
    public void close() {
        constants.close();
    }
}
