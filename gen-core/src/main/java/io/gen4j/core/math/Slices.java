package io.gen4j.core.math;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Ranges of an array along chosen axes, as views that autograd records once per sliced axis and never for the
 * axes left whole.
 *
 * <p>Why not {@code x.get(":, :, 1:15, 1:15")}: DJL's PyTorch engine turns each {@code :} into libtorch's
 * {@code Slice(None, None)}, and libtorch skips a slice only when its bounds are explicit and cover the axis
 * ({@code 0:size}), so the open {@code :} is recorded like any other slice. In the backward pass every
 * recorded slice allocates a zero array of its input's size and copies the gradient into it: the crop above
 * costs four such passes over the whole array, where two are needed. Here the axes before the sliced ones get
 * explicit full bounds (which libtorch skips) and the axes after them no index at all.
 */
public final class Slices {

    private Slices() {}

    /**
     * {@code x} restricted to {@code start ≤ i < end} along one axis (a view, like PyTorch's {@code narrow}).
     *
     * @param x the array
     * @param axis the axis, {@code 0 ≤ axis < rank}
     * @param start first index kept
     * @param end one past the last index kept, {@code start ≤ end ≤ size}
     * @return the view, in the manager of {@code x}
     */
    public static NDArray narrow(NDArray x, int axis, long start, long end) {
        return range(x, axis, new long[] {start}, new long[] {end});
    }

    /**
     * {@code x} restricted to {@code starts[j] ≤ i < ends[j]} along the consecutive axes {@code axis + j} (a
     * view): a crop of the last two axes of (N, C, H, W) is {@code range(x, 2, {top, left}, {bottom, right})}.
     *
     * @param x the array
     * @param axis the first sliced axis
     * @param starts first index kept, per sliced axis
     * @param ends one past the last index kept, per sliced axis
     * @return the view, in the manager of {@code x}
     */
    public static NDArray range(NDArray x, int axis, long[] starts, long[] ends) {
        Shape shape = x.getShape();
        if (starts.length != ends.length || starts.length == 0) {
            throw new IllegalArgumentException("expected as many starts as ends, at least one");
        }
        if (axis < 0 || axis + starts.length > shape.dimension()) {
            throw new IllegalArgumentException("axes " + axis + ".." + (axis + starts.length - 1)
                    + " out of range for shape " + shape);
        }
        NDIndex index = new NDIndex();
        for (int a = 0; a < axis; a++) {
            index.addSliceDim(0, shape.get(a)); // explicit and whole: libtorch records nothing
        }
        for (int j = 0; j < starts.length; j++) {
            long size = shape.get(axis + j);
            if (starts[j] < 0 || starts[j] > ends[j] || ends[j] > size) {
                throw new IllegalArgumentException("range " + starts[j] + ":" + ends[j] + " out of bounds for axis "
                        + (axis + j) + " of size " + size);
            }
            index.addSliceDim(starts[j], ends[j]);
        }
        return x.get(index);
    }
}
