package io.gen4j.autoregressive;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.gen4j.core.math.Logistic;

/** Numerically stable helpers shared by the autoregressive families (package-private). */
final class ArOps {

    private ArOps() {}

    /** softplus(a) = log(1 + e^a), {@link Logistic#softplus}. */
    static NDArray softplus(NDArray a) {
        return Logistic.softplus(a);
    }

    /** log Σ exp along one axis (removed). */
    static NDArray logSumExp(NDArray a, int axis) {
        NDArray max = a.max(new int[] {axis}, true).stopGradient();
        return a.sub(max).exp().sum(new int[] {axis}).log().add(max.squeeze(axis));
    }

    /**
     * Gumbel-max sampling of a categorical: argmax(logits + g), g = −log(−log u).
     *
     * @param logits (..., K) along {@code axis}
     * @param axis the class axis
     * @return the classes, int64, the axis removed
     */
    static NDArray sampleCategorical(NDArray logits, int axis) {
        NDArray u = logits.getManager().randomUniform(1e-10f, 1f, logits.getShape(), DataType.FLOAT32)
                .toType(logits.getDataType(), false);
        NDArray g = u.log().neg().log().neg();
        return logits.add(g).argMax(axis);
    }
}
