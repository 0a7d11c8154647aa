package io.gen4j.autoencoders;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.math.Scalars;

/**
 * Paths through a latent space, for interpolation and traversal grids. Decode the rows with the
 * model ({@link io.gen4j.core.model.LatentCodec#decode}) and lay them out as a grid.
 *
 * <ul>
 *   <li>linear: {@code z(t) = (1 − t) z0 + t z1};
 *   <li>spherical (slerp, Shoemake 1985; White 2016 for generative models): {@code z(t) = sin((1 −
 *       t)Ω)/sin Ω · z0 + sin(tΩ)/sin Ω · z1} with {@code cos Ω = z0·z1 / (‖z0‖‖z1‖)}. Under a
 *       Gaussian prior most mass lies near a sphere of radius √d, and the linear midpoint falls
 *       inside it (atypically short); slerp stays near the shell;
 *   <li>traversal: change one latent dimension at a time over a range of values, keeping the
 *       others at a base code (Higgins et al. 2017).
 * </ul>
 */
public final class LatentPaths {

    private LatentPaths() {}

    /** The interpolation kind. */
    public enum Interpolation {
        /** Straight line. */
        LINEAR,
        /** Great-circle arc (slerp); falls back to linear for (anti)parallel endpoints. */
        SPHERICAL
    }

    /**
     * Interpolates between rows of z0 and z1.
     *
     * @param z0 start codes (M, d)
     * @param z1 end codes (M, d)
     * @param steps points per path including both ends, >= 2
     * @param kind linear or spherical
     * @return (M · steps, d): path 0's points first, in the manager of {@code z0}
     */
    public static NDArray interpolate(NDArray z0, NDArray z1, int steps, Interpolation kind) {
        if (steps < 2) {
            throw new IllegalArgumentException("steps must be >= 2, got " + steps);
        }
        if (!z0.getShape().equals(z1.getShape()) || z0.getShape().dimension() != 2) {
            throw new IllegalArgumentException("z0 and z1 must both be (M, d), got " + z0.getShape() + " and " + z1.getShape());
        }
        NDList points = new NDList(steps);
        NDArray omega = null;
        NDArray sinOmega = null;
        boolean linear = kind == Interpolation.LINEAR;
        if (!linear) {
            NDArray cos = Scalars.clip(z0.mul(z1).sum(new int[] {1})
                    .div(Scalars.max(z0.norm(new int[] {1}).mul(z1.norm(new int[] {1})), 1e-12)), -1, 1);
            omega = cos.acos();
            sinOmega = omega.sin();
            linear = sinOmega.abs().min().toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble() < 1e-6;
        }
        for (int i = 0; i < steps; i++) {
            double t = (double) i / (steps - 1);
            if (linear) {
                points.add(Scalars.times(z0, 1 - t).add(Scalars.times(z1, t)));
            } else {
                NDArray a = Scalars.times(omega, 1 - t).sin().div(sinOmega).expandDims(1);
                NDArray b = Scalars.times(omega, t).sin().div(sinOmega).expandDims(1);
                points.add(z0.mul(a).add(z1.mul(b)));
            }
        }
        long m = z0.getShape().get(0);
        long d = z0.getShape().get(1);
        return NDArrays.stack(points, 1).reshape(m * steps, d);
    }

    /**
     * One dimension at a time: row (i · values + j) is {@code base} with dimension {@code dims[i]}
     * set to {@code min + j (max − min)/(values − 1)}.
     *
     * @param base the base code (d) or (1, d)
     * @param dims the dimensions to traverse
     * @param min lowest value
     * @param max highest value, > min
     * @param values values per dimension, >= 2
     * @return (dims.length · values, d), in the manager of {@code base}
     */
    public static NDArray traversal(NDArray base, int[] dims, double min, double max, int values) {
        if (values < 2 || !(max > min)) {
            throw new IllegalArgumentException(
                    "need values >= 2 and max > min, got values=" + values + " min=" + min + " max=" + max);
        }
        long d = base.getShape().size();
        float[] b = base.toFloatArray();
        float[] out = new float[(int) (dims.length * values * d)];
        int row = 0;
        for (int dim : dims) {
            if (dim < 0 || dim >= d) {
                throw new IllegalArgumentException("dimension must be in [0, " + d + "), got " + dim);
            }
            for (int j = 0; j < values; j++) {
                System.arraycopy(b, 0, out, (int) (row * d), (int) d);
                out[(int) (row * d + dim)] = (float) (min + j * (max - min) / (values - 1));
                row++;
            }
        }
        return base.getManager().create(out, new Shape((long) dims.length * values, d)).toType(base.getDataType(), false);
    }
}
