package io.gen4j.core.kernels;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Operations that write their result into an array the caller holds (typically a view of a buffer kept across
 * many small steps) instead of returning a new one: no new array object, no manager bookkeeping, no allocation.
 * For loops that issue many operations on small arrays, such as an autoregressive sampler that runs one pixel at
 * a time, where the engine's fixed cost per new array is a large part of an operation's time.
 *
 * <p>Every method works for any arrays of one engine: an implementation that cannot run an operation natively on
 * the arrays it is given (another device, type or engine, or autograd recording the operation) runs the composed
 * form ({@link #composed()}), which makes a new array and copies it into place. The results are those of the
 * composed form up to float rounding. Nothing is recorded for a gradient: these are for sampling, not training.
 *
 * <p>No argument may share memory with the array written ({@code out}, or {@code x} for the unary operations
 * besides {@code x} itself): the result is then unspecified.
 */
public interface InPlaceOps {

    /**
     * @param arrays arrays about to be given to this implementation's methods
     * @return whether they run natively here (not through the composed form): the engine, device and type this
     *     implementation covers, and no gradient recorded; informational, the methods take any arrays
     */
    boolean takes(NDArray... arrays);

    /**
     * out ← addend + a·b.
     *
     * @param out (n, m), written; may be a strided view
     * @param addend (n, m) or (m) (one row added to every row)
     * @param a (n, k)
     * @param b (k, m)
     * @throws IllegalArgumentException when the shapes do not fit
     */
    void addmm(NDArray out, NDArray addend, NDArray a, NDArray b);

    /**
     * x ← σ(x) = 1 / (1 + e^−x), element-wise.
     *
     * @param x written in place
     */
    void sigmoid(NDArray x);

    /**
     * x ← max(x, 0), element-wise.
     *
     * @param x written in place
     */
    void relu(NDArray x);

    /**
     * x ← x·y, element-wise.
     *
     * @param x written in place
     * @param y of x's shape
     * @throws IllegalArgumentException when the shapes differ
     */
    void mul(NDArray x, NDArray y);

    /**
     * out ← src.
     *
     * @param out written
     * @param src of out's shape
     * @throws IllegalArgumentException when the shapes differ
     */
    void copy(NDArray out, NDArray src);

    /**
     * @return the operations composed from DJL's public API: each computes a new array and copies it into place
     *     with {@code set} (one more operation than the fused form, and a new array)
     */
    static InPlaceOps composed() {
        return ComposedInPlaceOps.INSTANCE;
    }

    /**
     * @throws IllegalArgumentException unless a (n, k), b (k, m), out (n, m) and addend (n, m) or (m)
     */
    static void checkAddmm(NDArray out, NDArray addend, NDArray a, NDArray b) {
        Shape o = out.getShape();
        Shape s = a.getShape();
        Shape t = b.getShape();
        Shape c = addend.getShape();
        boolean fits = o.dimension() == 2 && s.dimension() == 2 && t.dimension() == 2 && s.get(1) == t.get(0)
                && o.get(0) == s.get(0) && o.get(1) == t.get(1)
                && (c.equals(o) || c.dimension() == 1 && c.get(0) == o.get(1));
        if (!fits) {
            throw new IllegalArgumentException("addmm needs out (n, m) = addend (n, m) or (m) + a (n, k)·b (k, m), got out "
                    + o + ", addend " + c + ", a " + s + ", b " + t);
        }
    }

    /** @throws IllegalArgumentException unless the shapes are equal */
    static void checkSameShape(String operation, NDArray x, NDArray y) {
        if (!x.getShape().equals(y.getShape())) {
            throw new IllegalArgumentException(operation + " needs arrays of one shape, got " + x.getShape() + " and "
                    + y.getShape());
        }
    }
}
