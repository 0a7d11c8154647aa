package io.gen4j.core.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.gen4j.core.kernels.Kernels;
import io.gen4j.core.kernels.MultiTensorOps;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Operations on the gradients of blocks: global norm, global-norm clipping and zeroing.
 *
 * <p>Global-norm clipping (Pascanu et al. 2013, "On the difficulty of training recurrent neural
 * networks"): with {@code n = sqrt(sum over all parameters of ||g||^2)}, every gradient is scaled by
 * {@code max / (n + 1e-6)} when {@code n > max}, as {@code torch.nn.utils.clip_grad_norm_}; the
 * clipping computes n and the factor on the device and reads nothing back.
 *
 * <p>Call these after the backward pass (the collector may be open or closed) and before the
 * optimizer update.
 */
public final class Gradients {

    private Gradients() {}

    /**
     * @param blocks the blocks
     * @return the global L2 norm of the gradients of their trainable parameters
     */
    public static double globalNorm(Block... blocks) {
        return Math.sqrt(sumOfSquares(blocks));
    }

    /**
     * The sum of the squared gradients, with one read from the device for all parameters (a
     * per-parameter read would synchronise with the device once per parameter): each parameter's
     * sum of squares in its own type, widened to float64 on the device, summed there in parameter
     * order and read once.
     */
    private static double sumOfSquares(Block... blocks) {
        List<NDArray> sums = new ArrayList<>();
        NDManager owner = null;
        for (Block block : blocks) {
            for (Pair<String, Parameter> p : block.getParameters()) {
                if (!p.getValue().requiresGradient()) {
                    continue;
                }
                NDArray w = p.getValue().getArray();
                if (owner == null) {
                    owner = w.getManager();
                }
                NDArray g = w.getGradient();
                NDArray sq = g.square();
                NDArray sum = sq.sum();
                sums.add(sum.toType(DataType.FLOAT64, false));
                g.close();
                sq.close();
                sum.close();
            }
        }
        if (sums.isEmpty()) {
            return 0.0;
        }
        try (NDManager scope = owner.newSubManager()) {
            NDArray all = NDArrays.stack(new NDList(sums));
            scope.attachAll(all);
            for (NDArray s : sums) {
                s.close();
            }
            // sequential, as the host loop summed: cumulative sum keeps the parameter order
            return all.cumSum().get(-1).getDouble();
        }
    }

    /**
     * Scales all gradients so that their global norm is at most {@code maxNorm}; reads the norm from
     * the device once, after the scaling ({@link #clipGlobalNorm(NDManager, double, Block...)}).
     *
     * @param maxNorm the largest allowed norm, &gt; 0
     * @param blocks the blocks
     * @return the global norm before clipping (log it; a non-finite value is returned as is and
     *     nothing is scaled)
     */
    public static double clipGlobalNorm(double maxNorm, Block... blocks) {
        checkMaxNorm(maxNorm);
        NDManager any = firstManager(blocks);
        if (any == null) {
            return 0.0;
        }
        try (NDManager scope = any.newSubManager()) {
            return clipGlobalNorm(scope, maxNorm, blocks).toType(DataType.FLOAT64, false).getDouble();
        }
    }

    /**
     * Global-norm clipping without a host read: the norm and the clip factor stay on the device, as
     * {@code torch.nn.utils.clip_grad_norm_} computes them. With {@code n = ‖(‖g_1‖, …, ‖g_P‖)‖} (one
     * norm per parameter, one of their stack), every gradient is multiplied in place by
     * {@code c = maxNorm / (n + 1e-6)} when {@code n > maxNorm} and n is finite, else by exactly 1
     * (an unclipped gradient keeps its bits). That is P + 12 operations and P in-place products per
     * call, and no synchronisation with the device: read the returned norm only when logging it. Where the
     * engine has multi-tensor operations for the gradients ({@link Kernels#multiTensor()}: libtorch's
     * {@code _foreach_norm} and {@code _foreach_mul_} on CPU) the P norms and the P products are one call
     * each, as in {@code clip_grad_norm_}.
     *
     * <p>A bound that no norm of the gradients' type can exceed (at least its largest finite value, for example
     * {@code Double.MAX_VALUE}: "report the norm, never clip") skips the factor and the products: the P norms and
     * their norm, nothing else.
     *
     * <p>The norm is computed in the gradients' type (float32: relative rounding about 1e-6 against
     * {@link #globalNorm}, which sums the squares in float64).
     *
     * @param manager owns the returned norm
     * @param maxNorm the largest allowed norm, &gt; 0
     * @param blocks the blocks
     * @return the global norm before clipping, a scalar array in {@code manager} in the first
     *     gradient's type (0 when no parameter is trainable)
     */
    public static NDArray clipGlobalNorm(NDManager manager, double maxNorm, Block... blocks) {
        checkMaxNorm(maxNorm);
        try (NDManager scope = manager.newSubManager()) {
            List<NDArray> gradients = gradients(scope, blocks);
            if (gradients.isEmpty()) {
                return manager.zeros(new Shape());
            }
            DataType type = gradients.get(0).getDataType();
            Optional<MultiTensorOps> multi = Kernels.forArray(gradients.get(0)).multiTensor();
            NDList norms = multi.isPresent() ? multi.get().norms(gradients) : null;
            if (norms == null) {
                norms = new NDList(gradients.size());
                for (NDArray g : gradients) {
                    NDArray n = g.norm();
                    norms.add(n.getDataType() == type ? n : n.toType(type, false));
                }
            }
            NDArray total = NDArrays.stack(norms).norm();
            if (!exceedable(maxNorm, type)) {
                // no norm of this type exceeds the bound: the factor would be exactly 1 (report-only bounds such as
                // Double.MAX_VALUE cost the norms alone, not 10 more operations and a product over every gradient)
                total.attach(manager);
                return total;
            }
            Device device = total.getDevice();
            NDArray max = scope.full(new Shape(), (float) maxNorm, type, device);
            NDArray one = scope.full(new Shape(), 1f, type, device);
            NDArray clip = total.gt(max).logicalAnd(total.isInfinite().logicalNot());
            NDArray factor = NDArrays.where(clip, max.div(total.add(scope.full(new Shape(), 1e-6f, type, device))),
                    one);
            if (multi.isEmpty() || !multi.get().scale(gradients, factor)) {
                Map<DataType, NDArray> factors = new HashMap<>();
                factors.put(type, factor);
                for (NDArray g : gradients) {
                    g.muli(factors.computeIfAbsent(g.getDataType(), t -> factor.toType(t, false)));
                }
            }
            total.attach(manager);
            return total;
        }
    }

    /**
     * @return whether a norm computed in {@code type} can exceed {@code maxNorm}: false when the bound is at least
     *     the type's largest finite value (a non-finite norm is never clipped either); true for types this does not
     *     know
     */
    static boolean exceedable(double maxNorm, DataType type) {
        return switch (type) {
            case FLOAT32 -> maxNorm < Float.MAX_VALUE;
            case FLOAT64 -> maxNorm < Double.MAX_VALUE;
            default -> true;
        };
    }

    private static void checkMaxNorm(double maxNorm) {
        if (!(maxNorm > 0) || Double.isInfinite(maxNorm)) {
            throw new IllegalArgumentException("maxNorm must be finite and > 0, got " + maxNorm);
        }
    }

    /**
     * Sets the gradients of all trainable parameters to zero (one {@code _foreach_zero_} call where the
     * engine has it, else a product with 0 per gradient). Use it on the network that a
     * backward pass reaches but the following update does not touch (a GAN's discriminator during
     * the generator step), docs/known-issues.md §2.
     *
     * @param blocks the blocks
     */
    public static void zero(Block... blocks) {
        NDManager any = firstManager(blocks);
        if (any == null) {
            return;
        }
        try (NDManager scope = any.newSubManager()) {
            List<NDArray> gradients = gradients(scope, blocks);
            Optional<MultiTensorOps> multi = Kernels.forArray(gradients.get(0)).multiTensor();
            if (multi.isPresent() && multi.get().zero(gradients)) {
                return;
            }
            try (UpdateConstants k = new UpdateConstants(scope)) {
                for (NDArray g : gradients) {
                    k.timesInPlace(g, 0f);
                }
            }
        }
    }

    /** @return the gradients of the trainable parameters, in block and parameter order, attached to scope */
    private static List<NDArray> gradients(NDManager scope, Block... blocks) {
        List<NDArray> gradients = new ArrayList<>();
        for (Block block : blocks) {
            for (Pair<String, Parameter> p : block.getParameters()) {
                if (p.getValue().requiresGradient()) {
                    NDArray g = p.getValue().getArray().getGradient();
                    g.attach(scope);
                    gradients.add(g);
                }
            }
        }
        return gradients;
    }

    private static NDManager firstManager(Block... blocks) {
        for (Block block : blocks) {
            for (Pair<String, Parameter> p : block.getParameters()) {
                if (p.getValue().requiresGradient()) {
                    return p.getValue().getArray().getManager();
                }
            }
        }
        return null;
    }
}
