package io.gen4j.pytorch;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import io.gen4j.core.math.Scalars;

/**
 * Group normalisation of a float32 CPU array stored channels-last, where libtorch 2.7.1's own kernel is slow:
 * below 1024 positions (H·W) its channels-last kernel reduces each (example, group) over its C/G adjacent
 * channels in vectors and loads a shorter tail through a copy, so with C/G not a multiple of 8 it runs 5 to 15
 * times slower per element than with a multiple (docs/performance.md, session 27: 3.9 ms for 96 channels in 8
 * groups at 16 × 16, batch 64, against 0.4 ms for 64 channels; 13 ms for 128 channels in 32 groups). Composed instead from
 * reductions over the positions, which run along the contiguous channels: per-channel sums of x and x² over
 * H·W, summed per group (the biased variance as E[x²] − E[x]², as libtorch's kernel computes it), then one
 * scale and shift per (example, channel), y = x·a + b, written channels-last. About four passes over x; 0.9 ms
 * in the case above. Autograd records it.
 */
final class ChannelsLastGroupNorm {

    /** libtorch's limit: at this many positions and more its channels-last kernel reduces along the channels. */
    static final long POSITIONS = 1024;

    /**
     * The group sizes it is fast at are multiples of this: its vectors' width in float32 (8 on an AVX-512 Zen 5 as
     * well: 8, 16, 24 and 48 channels per group fast, 2 to 6, 12 and 20 slow).
     */
    static final long VECTOR = 8;

    private ChannelsLastGroupNorm() {}

    /**
     * @param x input (N, C, H, W)
     * @param groups G, dividing C
     * @return whether x is a float32 CPU array stored channels-last (and not also row-major) of fewer than {@link
     *     #POSITIONS} positions whose group size C/G is not a multiple of {@link #VECTOR}
     */
    static boolean takes(NDArray x, int groups) {
        Shape s = x.getShape();
        if (!(x instanceof PtNDArray) || x.getDataType() != DataType.FLOAT32
                || !x.getDevice().getDeviceType().equals(Device.Type.CPU) || s.dimension() != 4 || groups < 1
                || s.get(1) % groups != 0) {
            return false;
        }
        long c = s.get(1);
        long positions = s.get(2) * s.get(3);
        if (positions >= POSITIONS || (c / groups) % VECTOR == 0 || c == 1 || positions == 1) {
            return false;
        }
        long[] strides = AtenOps.denseStrides(x);
        return strides != null && strides[1] == 1;
    }

    /**
     * @param x (N, C, H, W) that {@link #takes}
     * @param groups G
     * @param gamma (C) or null
     * @param beta (C) or null
     * @param epsilon ε
     * @return the normalised array, stored channels-last, in the manager of x
     */
    static NDArray apply(NDArray x, int groups, NDArray gamma, NDArray beta, double epsilon) {
        long[] nchw = x.getShape().getShape();
        long n = nchw[0];
        long c = nchw[1];
        long positions = nchw[2] * nchw[3];
        long d = c / groups;
        NDManager manager = x.getManager();
        // (N, H·W, C): a view of the channels-last memory; its reductions over axis 1 run along the channels
        NDArray rows = x.transpose(0, 2, 3, 1).reshape(n, positions, c);
        float count = (float) (positions * d);
        NDArray mean = Scalars.dividedBy(rows.sum(new int[] {1}).reshape(n, groups, d).sum(new int[] {2}), count);
        NDArray meanSquare = Scalars.dividedBy(
                rows.mul(rows).sum(new int[] {1}).reshape(n, groups, d).sum(new int[] {2}), count);
        NDArray rstd = Scalars.power(Scalars.max(meanSquare.sub(mean.square()), 0).add((float) epsilon), -0.5f)
                .reshape(n, groups, 1);
        NDArray scale = gamma == null ? rstd.repeat(2, d) : rstd.mul(local(gamma, manager, groups, d));
        NDArray shift = scale.mul(mean.reshape(n, groups, 1)).neg();
        if (beta != null) {
            shift = shift.add(local(beta, manager, groups, d));
        }
        NDArray y = rows.mul(scale.reshape(n, 1, c)).addi(shift.reshape(n, 1, c));
        return y.reshape(n, nchw[2], nchw[3], c).transpose(0, 3, 1, 2);
    }

    /** An affine parameter (C) as (1, G, C/G), moved from the parameter's manager to the data's. */
    private static NDArray local(NDArray parameter, NDManager manager, int groups, long d) {
        NDArray view = parameter.reshape(1, groups, d);
        view.attach(manager);
        return view;
    }
}
