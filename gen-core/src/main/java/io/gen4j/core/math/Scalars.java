package io.gen4j.core.math;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Arithmetic with a Java number that stays correct under autograd. Use these instead of DJL's
 * {@code x.mul(c)}, {@code x.div(c)}, {@code x.pow(c)}, {@code x.maximum(c)}, {@code x.minimum(c)},
 * {@code x.muli(c)}, {@code x.divi(c)} and {@code x.powi(c)} with a {@link Number} {@code c}; an
 * architecture test rejects those calls in gen4j's main code.
 *
 * <p><b>The DJL 0.36 bug</b> (PyTorch engine; docs/known-issues.md §5). {@code PtNDArray.mul(Number)}
 * is {@code try (NDArray c = manager.create(n)) { return mul(c); }}, and so are the other seven.
 * {@code manager.create(n)} builds a libtorch tensor over a Java direct {@code ByteBuffer}
 * ({@code from_blob}): libtorch does not own that memory, the Java buffer does. The result of the op is
 * right, but when gradients are recorded autograd keeps the number's tensor for the backward pass (the
 * derivative of {@code x·c} is {@code c}; {@code maximum} and {@code minimum} compare x with it again).
 * Closing the NDArray drops the last Java reference to the buffer; when the JVM collects garbage before
 * the backward pass, the buffer is freed and reused, and the backward reads whatever is there now.
 * Measured with a collection between forward and backward ({@code ScalarsTest}'s procedure), in five of
 * five runs each: {@code x.mul(0.2)} gave gradients 0 and +∞, {@code x.mul(0.2f)} 2.9e29, 62 and
 * −6.2e16, {@code x.div(5.0)} +∞ and 6.1e-13, {@code x.muli(0.2)} −131072 instead of 0.2, {@code powi}
 * NaN; in GAN training an isolated gradient norm of ~1e18 or +∞ in one run in three. {@code add},
 * {@code sub} (also reversed), {@code mod}, {@code clip} and the comparisons with a number are not
 * affected (their backward does not read the number), nor are {@code NDArrays.div(Number, NDArray)} and
 * {@code NDArrays.pow(Number, NDArray)} (they convert the number into an engine-owned copy or leave its
 * array open in the manager).
 *
 * <p>Here the number is a scalar tensor (shape ()) that libtorch allocates and owns
 * ({@code manager.full}; for float64 a clone of DJL's exact float64 number tensor), of x's data type,
 * on x's manager. Autograd's reference keeps that memory alive after the NDArray is closed, so each
 * method closes it right after the op, as DJL does: nothing stays attached to x's manager. The results
 * are bit-identical to DJL's: for a floating-point x the engine casts DJL's number tensor to x's type
 * before computing (a 0-dim tensor does not promote a dimensioned one), which is what the constant here
 * already is. For an integer or boolean x (masks, indices; they carry no gradient, so the bug cannot
 * arise) the methods call DJL's op with the number unchanged, keeping its type promotion (an int64 array
 * times 2 stays int64, times 0.5 becomes float). Each result belongs to x's manager.
 */
public final class Scalars {

    private Scalars() {}

    /**
     * @param x an array
     * @param c a constant
     * @return {@code x · c}
     */
    public static NDArray times(NDArray x, Number c) {
        if (!x.getDataType().isFloating()) {
            return x.mul(c);
        }
        try (NDArray k = constant(x, c)) {
            return x.mul(k);
        }
    }

    /**
     * @param x an array
     * @param c a constant
     * @return {@code x / c}
     */
    public static NDArray dividedBy(NDArray x, Number c) {
        if (!x.getDataType().isFloating()) {
            return x.div(c);
        }
        try (NDArray k = constant(x, c)) {
            return x.div(k);
        }
    }

    /**
     * @param x an array
     * @param p a constant exponent
     * @return {@code x^p} element-wise
     */
    public static NDArray power(NDArray x, Number p) {
        if (!x.getDataType().isFloating()) {
            return x.pow(p);
        }
        try (NDArray k = constant(x, p)) {
            return x.pow(k);
        }
    }

    /**
     * @param x an array
     * @param c a constant
     * @return {@code max(x, c)} element-wise
     */
    public static NDArray max(NDArray x, Number c) {
        if (!x.getDataType().isFloating()) {
            return x.maximum(c);
        }
        try (NDArray k = constant(x, c)) {
            return x.maximum(k);
        }
    }

    /**
     * @param x an array
     * @param c a constant
     * @return {@code min(x, c)} element-wise
     */
    public static NDArray min(NDArray x, Number c) {
        if (!x.getDataType().isFloating()) {
            return x.minimum(c);
        }
        try (NDArray k = constant(x, c)) {
            return x.minimum(k);
        }
    }

    /**
     * {@code x} limited to [lo, hi] element-wise, as {@code x.clip(lo, hi)} computes it, without reading the bounds
     * back to the host: DJL 0.36's {@code clip(Number, Number)} makes each bound an array on x's device and the
     * engine reads it back with {@code item()} before clamping, which on a GPU waits for every queued operation
     * (docs/known-issues.md). Here the bounds are constants the engine fills on the device ({@link #constant}) and
     * the result is {@code min(max(x, lo), hi)}: the same values (NaN stays NaN), and the same gradient except
     * where an element equals a bound exactly (there {@code max}/{@code min} pass half of it, {@code clip} all).
     * For an integer or boolean x, DJL's {@code clip}.
     *
     * @param x an array
     * @param lo the lower bound
     * @param hi the upper bound, at least {@code lo}
     * @return the limited array, in x's manager
     */
    public static NDArray clip(NDArray x, Number lo, Number hi) {
        if (!(lo.doubleValue() <= hi.doubleValue())) {
            throw new IllegalArgumentException("clip bounds must satisfy lo <= hi, got " + lo + " and " + hi);
        }
        if (!x.getDataType().isFloating()) {
            return x.clip(lo, hi);
        }
        // autograd keeps what it needs of the closed arrays (class comment)
        try (NDArray low = constant(x, lo); NDArray high = constant(x, hi); NDArray above = x.maximum(low)) {
            return above.minimum(high);
        }
    }

    /**
     * In place, like {@code x.muli(c)}: for optimizer state and gradients updated without autograd.
     *
     * @param x an array, overwritten
     * @param c a constant
     * @return x, now {@code x · c}
     */
    public static NDArray timesInPlace(NDArray x, Number c) {
        if (!x.getDataType().isFloating()) {
            return x.muli(c);
        }
        try (NDArray k = constant(x, c)) {
            return x.muli(k);
        }
    }

    /**
     * In place, like {@code x.divi(c)}.
     *
     * @param x an array, overwritten
     * @param c a constant
     * @return x, now {@code x / c}
     */
    public static NDArray dividedByInPlace(NDArray x, Number c) {
        if (!x.getDataType().isFloating()) {
            return x.divi(c);
        }
        try (NDArray k = constant(x, c)) {
            return x.divi(k);
        }
    }

    /**
     * A constant as a tensor libtorch owns; the caller closes it (autograd keeps what it needs).
     *
     * @param like an array giving the manager, device and data type
     * @param c a constant
     * @return c as a scalar tensor (shape ()) of like's data type, in like's manager and on its device
     */
    public static NDArray constant(NDArray like, Number c) {
        if (like.getDataType() == DataType.FLOAT64) {
            // full takes a float; a clone of DJL's float64 number tensor is exact and engine-owned
            try (NDArray javaOwned = like.getManager().create(c.doubleValue())) {
                return javaOwned.duplicate();
            }
        }
        return like.getManager().full(new Shape(), c.floatValue(), like.getDataType(), like.getDevice());
    }
}
