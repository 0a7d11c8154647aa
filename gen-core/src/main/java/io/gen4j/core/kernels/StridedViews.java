package io.gen4j.core.kernels;

import ai.djl.ndarray.NDArray;

/**
 * Views of an array's memory with strides the caller chooses (libtorch's {@code as_strided}): no copy, recorded by
 * autograd (the gradient of the array is the view's gradient added back at the positions the view reads, summed
 * where the view reads one position more than once). DJL 0.36 has reshape, transpose and slicing, whose strides
 * are always products or subsets of the array's own; a stride that combines two axes (one step along the view's
 * axis moves one row <em>and</em> one channel block of the array) needs this.
 *
 * <p>{@code io.gen4j.core.nn.ConvTranspose2d} uses it to read the output of its phase convolution in the
 * interleaved, cropped order of the transposed convolution, so that the one copy that makes the result dense is
 * the only one, forward and backward.
 */
public interface StridedViews {

    /**
     * @param x an array
     * @return whether this implementation makes views of arrays like x (its engine, device and data type); the
     *     other methods may be called only for such arrays
     */
    boolean takes(NDArray x);

    /**
     * @param x an array of this engine
     * @return x's strides in elements, one per axis, when its elements lie densely in memory in row-major order
     *     of its axes or, for a 4-D array, in channels-last order ((N, H, W, C) in memory); null otherwise (a
     *     slice, a transposed view), and null for arrays this implementation does not take
     */
    long[] denseStrides(NDArray x);

    /**
     * @param x an array for which {@link #denseStrides} is not null
     * @param size the view's shape, every size at least 1
     * @param stride per axis of the view, in elements, at least 0
     * @return the view, in x's manager: its element (i_0, …, i_{d−1}) is the element of x at memory offset
     *     Σ i_k·stride_k from x's first element
     * @throws IllegalArgumentException when x is not dense, the sizes or strides are out of range, or the view
     *     reaches past x's last element
     */
    NDArray view(NDArray x, long[] size, long[] stride);
}
