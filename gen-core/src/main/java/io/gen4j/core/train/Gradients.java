package io.gen4j.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.gen4j.core.math.Scalars;
import java.util.function.Consumer;

/**
 * Operations on the gradients of blocks: global norm, global-norm clipping and zeroing.
 *
 * <p>Global-norm clipping (Pascanu et al. 2013, "On the difficulty of training recurrent neural
 * networks"): with {@code n = sqrt(sum over all parameters of ||g||^2)}, every gradient is scaled by
 * {@code max / (n + 1e-6)} when {@code n > max}, as {@code torch.nn.utils.clip_grad_norm_}.
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
        double[] sum = {0.0};
        forEachGradient(g -> sum[0] += g.square().sum().toType(DataType.FLOAT64, false).getDouble(), blocks);
        return Math.sqrt(sum[0]);
    }

    /**
     * Scales all gradients so that their global norm is at most {@code maxNorm}.
     *
     * @param maxNorm the largest allowed norm, &gt; 0
     * @param blocks the blocks
     * @return the global norm before clipping (log it; a non-finite value is returned as is and
     *     nothing is scaled)
     */
    public static double clipGlobalNorm(double maxNorm, Block... blocks) {
        if (!(maxNorm > 0) || Double.isInfinite(maxNorm)) {
            throw new IllegalArgumentException("maxNorm must be finite and > 0, got " + maxNorm);
        }
        double norm = globalNorm(blocks);
        if (Double.isFinite(norm) && norm > maxNorm) {
            float scale = (float) (maxNorm / (norm + 1e-6));
            forEachGradient(g -> Scalars.timesInPlace(g, scale), blocks);
        }
        return norm;
    }

    /**
     * Sets the gradients of all trainable parameters to zero. Use it on the network that a
     * backward pass reaches but the following update does not touch (a GAN's discriminator during
     * the generator step), docs/known-issues.md §2.
     *
     * @param blocks the blocks
     */
    public static void zero(Block... blocks) {
        forEachGradient(g -> Scalars.timesInPlace(g, 0f), blocks);
    }

    private static void forEachGradient(Consumer<NDArray> action, Block... blocks) {
        for (Block block : blocks) {
            for (Pair<String, Parameter> p : block.getParameters()) {
                if (!p.getValue().requiresGradient()) {
                    continue;
                }
                NDArray w = p.getValue().getArray();
                try (NDManager scope = w.getManager().newSubManager()) {
                    scope.tempAttachAll(w);
                    action.accept(w.getGradient());
                }
            }
        }
    }
}
