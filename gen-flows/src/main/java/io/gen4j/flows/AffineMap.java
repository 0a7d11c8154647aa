package io.gen4j.flows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.core.Linear;

/**
 * An affine map of row vectors, {@code x ↦ x·M + c}, in float64 while it is being composed: the inverse
 * of a vector {@link ActNorm} (M diagonal) or of a {@link FixedOrthogonal}, and compositions of them.
 * Diagonal maps are kept as their diagonal so that they never cost a D × D product.
 */
final class AffineMap {

    /** The diagonal (1, D) when {@code diagonal}, else the matrix (D, D). */
    private final NDArray m;
    /** The bias (1, D). */
    private final NDArray c;
    private final boolean diagonal;

    private AffineMap(NDArray m, NDArray c, boolean diagonal) {
        this.m = m;
        this.c = c;
        this.diagonal = diagonal;
    }

    /**
     * @param scale the diagonal (1, D), float64
     * @param shift the bias (1, D), float64
     * @return {@code x ↦ x ⊙ scale + shift}
     */
    static AffineMap diagonal(NDArray scale, NDArray shift) {
        return new AffineMap(scale, shift, true);
    }

    /**
     * @param matrix M (D, D), float64
     * @param shift the bias (1, D), float64
     * @return {@code x ↦ x·M + shift}
     */
    static AffineMap full(NDArray matrix, NDArray shift) {
        return new AffineMap(matrix, shift, false);
    }

    /**
     * @param next the map applied after this one
     * @return {@code x ↦ next(this(x))}: (x·M₁ + c₁)·M₂ + c₂ = x·(M₁M₂) + (c₁M₂ + c₂)
     */
    AffineMap then(AffineMap next) {
        NDArray shift = next.diagonal ? c.mul(next.m).add(next.c) : c.matMul(next.m).add(next.c);
        if (diagonal && next.diagonal) {
            return diagonal(m.mul(next.m), shift);
        }
        NDArray product;
        if (diagonal) {
            product = m.reshape(-1, 1).mul(next.m); // diag(m₁)·M₂: the rows scaled
        } else if (next.diagonal) {
            product = m.mul(next.m); // M₁·diag(m₂): the columns scaled
        } else {
            product = m.matMul(next.m);
        }
        return full(product, shift);
    }

    /**
     * @param array an array anywhere
     * @param scratch the manager of the folding's temporaries
     * @return a float64 copy owned by {@code scratch} (so that the folding's operations land there, not in
     *     the model's manager, and later changes of the parameter do not reach it)
     */
    static NDArray float64(NDArray array, NDManager scratch) {
        // DJL's toType(same type, copy = true) returns a second handle to the same tensor: duplicate() copies
        NDArray copy = array.getDataType() == DataType.FLOAT64 ? array.duplicate()
                : array.toType(DataType.FLOAT64, false);
        copy.attach(scratch);
        return copy;
    }

    /**
     * @param manager where the prepared constants live
     * @param type the data's type
     * @return the map on (N, D) arrays of that type: {@code x ⊙ s + c} (two operations) for a diagonal map,
     *     one {@code addmm} (through DJL's {@code linear}) otherwise
     */
    PreparedInverse prepare(NDManager manager, DataType type) {
        NDArray shift = c.toType(type, false);
        shift.attach(manager);
        if (diagonal) {
            NDArray scale = m.toType(type, false);
            scale.attach(manager);
            return y -> y.mul(scale).add(shift);
        }
        // linear computes x·Wᵀ + b: W = Mᵀ, a transposed view of M (linear's own transpose gives M back)
        NDArray weight = m.transpose().toType(type, false);
        weight.attach(manager);
        return y -> Linear.linear(y, weight, shift).head();
    }
}
