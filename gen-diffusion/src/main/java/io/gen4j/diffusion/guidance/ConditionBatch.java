package io.gen4j.diffusion.guidance;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.model.Condition;
import io.gen4j.core.nn.Local;

/**
 * Batch operations on conditions: stacking two along the batch axis (the one forward pass of
 * classifier-free guidance) and choosing per example between two (condition dropout).
 *
 * <p>Context sequences of different lengths are padded with zero tokens at the end and the padding
 * is masked (mask 0), so that a network whose cross-attention respects the mask computes the same
 * result as on the unpadded sequence. Every returned array belongs to the manager given.
 */
public final class ConditionBatch {

    private ConditionBatch() {}

    /**
     * Stacks two conditions of the same kind along the batch axis: [first; second].
     *
     * @param first condition of N1 examples
     * @param second condition of N2 examples, same kind as {@code first}
     * @param manager the manager of the result
     * @return the condition of N1 + N2 examples
     */
    public static Condition concat(Condition first, Condition second, NDManager manager) {
        if (first instanceof Condition.Labels a && second instanceof Condition.Labels b) {
            NDArray left = Local.in(manager, a.labels());
            NDArray right = Local.in(manager, b.labels()).toType(left.getDataType(), false);
            return Condition.labels(left.concat(right, 0));
        }
        if (first instanceof Condition.Embedding a && second instanceof Condition.Embedding b) {
            long length = Math.max(a.context().getShape().get(1), b.context().getShape().get(1));
            Condition.Embedding pa = padded(a, length, manager, maskType(a, b));
            Condition.Embedding pb = padded(b, length, manager, maskType(a, b));
            NDArray mask = pa.mask() == null ? null : pa.mask().concat(pb.mask(), 0);
            return Condition.embedding(pa.context().concat(pb.context(), 0), mask);
        }
        if (first.isNone() && second.isNone()) {
            return Condition.none();
        }
        throw new IllegalArgumentException("cannot stack conditions of different kinds: "
                + first.getClass().getSimpleName() + " and " + second.getClass().getSimpleName());
    }

    /**
     * Per example, {@code onTrue} where {@code keep} is 1 and {@code onFalse} where it is 0.
     *
     * @param keep shape (N), values 0 or 1 (any numeric type)
     * @param onTrue condition of N examples
     * @param onFalse condition of N examples, same kind
     * @param manager the manager of the result
     * @return the mixed condition
     */
    public static Condition where(
            NDArray keep, Condition onTrue, Condition onFalse, NDManager manager) {
        if (onTrue instanceof Condition.Labels a && onFalse instanceof Condition.Labels b) {
            NDArray k = Local.in(manager, keep).toType(DataType.INT64, false);
            NDArray ya = Local.in(manager, a.labels()).toType(DataType.INT64, false);
            NDArray yb = Local.in(manager, b.labels()).toType(DataType.INT64, false);
            // k·a + (1 − k)·b, exact in integers for k ∈ {0, 1}
            NDArray mixed = ya.mul(k).add(yb.mul(k.neg().add(1)));
            return Condition.labels(mixed.toType(a.labels().getDataType(), false));
        }
        if (onTrue instanceof Condition.Embedding a && onFalse instanceof Condition.Embedding b) {
            long length = Math.max(a.context().getShape().get(1), b.context().getShape().get(1));
            Condition.Embedding pa = padded(a, length, manager, maskType(a, b));
            Condition.Embedding pb = padded(b, length, manager, maskType(a, b));
            long n = keep.getShape().get(0);
            NDArray k = Local.in(manager, keep).toType(pa.context().getDataType(), false);
            // x·1 + y·0 and x·0 + y·1 are exact for finite x, y
            NDArray k3 = k.reshape(n, 1, 1);
            NDArray context = pa.context().mul(k3).add(pb.context().mul(k3.neg().add(1)));
            NDArray mask = null;
            if (pa.mask() != null) {
                NDArray km = k.reshape(n, 1).toType(pa.mask().getDataType(), false);
                mask = pa.mask().mul(km).add(pb.mask().mul(km.neg().add(1)));
            }
            return Condition.embedding(context, mask);
        }
        throw new IllegalArgumentException("cannot mix conditions of kinds "
                + onTrue.getClass().getSimpleName() + " and " + onFalse.getClass().getSimpleName());
    }

    /** The mask type when one of the two has a mask, or null when neither has. */
    private static DataType maskType(Condition.Embedding a, Condition.Embedding b) {
        if (a.mask() != null) {
            return a.mask().getDataType();
        }
        if (b.mask() != null) {
            return b.mask().getDataType();
        }
        if (a.context().getShape().get(1) != b.context().getShape().get(1)) {
            return a.context().getDataType();
        }
        return null;
    }

    /** The embedding in {@code manager}, padded to {@code length} tokens, with a mask when maskType is set. */
    private static Condition.Embedding padded(
            Condition.Embedding e, long length, NDManager manager, DataType maskType) {
        NDArray context = Local.in(manager, e.context());
        Shape s = context.getShape();
        long n = s.get(0);
        long pad = length - s.get(1);
        NDArray mask = null;
        if (maskType != null) {
            mask = e.mask() == null ? manager.ones(new Shape(n, s.get(1)), maskType)
                    : Local.in(manager, e.mask()).toType(maskType, false);
        }
        if (pad > 0) {
            context = context.concat(manager.zeros(new Shape(n, pad, s.get(2)), context.getDataType()), 1);
            mask = mask.concat(manager.zeros(new Shape(n, pad), maskType), 1);
        }
        return new Condition.Embedding(context, mask);
    }
}
