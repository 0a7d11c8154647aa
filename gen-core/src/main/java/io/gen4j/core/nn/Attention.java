package io.gen4j.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.kernels.FusedAttention;
import io.gen4j.core.kernels.Kernels;
import io.gen4j.core.math.Scalars;
import java.util.Optional;

/**
 * Multi-head scaled dot-product attention as a function (Vaswani et al. 2017, "Attention Is All You
 * Need", eq. 1 and §3.2.2), the functional twin of {@link SelfAttention} and {@link CrossAttention}:
 *
 * <pre>
 *   Attention(Q, K, V) = softmax(Q·Kᵀ / √d) · V,   computed separately for each of h heads of size
 *   d = D/h and concatenated
 * </pre>
 *
 * <p>Where the engine has a fused kernel ({@link Kernels#attention()}: libtorch's
 * {@code scaled_dot_product_attention} through {@code gen-pytorch}) the heads go through it in one call,
 * masks as an additive bias; otherwise two batched matrix products around a softmax.
 *
 * <p>Results belong to the manager of {@code q}; the mask is read without creating arrays in its
 * own manager.
 */
public final class Attention {

    private Attention() {}

    /**
     * @param q queries, shape (N, Lq, D)
     * @param k keys, shape (N, Lk, D)
     * @param v values, shape (N, Lk, D)
     * @param mask shape (N, Lk), 1 for keys to attend to and 0 for padding; {@code null} for none.
     *     Every row must keep at least one key.
     * @param heads number of heads h, dividing D
     * @return shape (N, Lq, D)
     */
    public static NDArray scaledDotProduct(
            NDArray q, NDArray k, NDArray v, NDArray mask, int heads) {
        return scaledDotProduct(q, k, v, mask, heads, false);
    }

    /**
     * Attention with an optional causal mask: with {@code causal}, query i attends only to keys j
     * &lt;= i (a decoder's self-attention, Vaswani et al. 2017 §3.2.3), by adding −1e9 to the scores
     * of later keys before the softmax.
     *
     * @param q queries, shape (N, Lq, D)
     * @param k keys, shape (N, Lk, D)
     * @param v values, shape (N, Lk, D)
     * @param mask shape (N, Lk), 1 for keys to attend to and 0 for padding; {@code null} for none
     * @param heads number of heads h, dividing D
     * @param causal whether query i sees only keys 0 … i (needs Lq = Lk)
     * @return shape (N, Lq, D)
     */
    public static NDArray scaledDotProduct(
            NDArray q, NDArray k, NDArray v, NDArray mask, int heads, boolean causal) {
        Shape qs = q.getShape();
        Shape ks = k.getShape();
        if (qs.dimension() != 3 || ks.dimension() != 3 || !ks.equals(v.getShape())
                || qs.get(0) != ks.get(0) || qs.get(2) != ks.get(2)) {
            throw new IllegalArgumentException("q must be (N, Lq, D) and k, v (N, Lk, D), got q "
                    + qs + ", k " + ks + ", v " + v.getShape());
        }
        long n = qs.get(0);
        long lq = qs.get(1);
        long lk = ks.get(1);
        long dim = qs.get(2);
        if (heads < 1 || dim % heads != 0) {
            throw new IllegalArgumentException(
                    "heads must be >= 1 and divide the width " + dim + ", got " + heads);
        }
        long d = dim / heads;
        NDManager manager = q.getManager();
        if (mask != null && !mask.getShape().equals(new Shape(n, lk))) {
            throw new IllegalArgumentException(
                    "mask must have shape " + new Shape(n, lk) + ", got " + mask.getShape());
        }
        if (causal && lq != lk) {
            throw new IllegalArgumentException("causal attention needs as many queries as keys, got "
                    + lq + " and " + lk);
        }
        // the additive bias, broadcast to (N, h, Lq, Lk): (1 − mask)·(−1e9) per key, built in q's manager, and
        // −1e9 above the diagonal when causal (key j > query i is not seen)
        NDArray bias = null;
        if (mask != null) {
            bias = Scalars.times(manager.ones(mask.getShape(), mask.getDataType()).sub(mask)
                    .toType(q.getDataType(), false), -1e9).reshape(n, 1, 1, lk);
        }
        if (causal) {
            NDArray rows = manager.arange(0, (int) lq, 1, DataType.INT32).reshape(lq, 1);
            NDArray cols = manager.arange(0, (int) lk, 1, DataType.INT32).reshape(1, lk);
            NDArray future = Scalars.times(cols.gt(rows).toType(q.getDataType(), false), -1e9);
            bias = bias == null ? future : bias.add(future);
        }
        Optional<FusedAttention> fused = Kernels.forArray(q).attention();
        if (fused.isPresent()) {
            NDArray out = fused.get().apply(heads4(q, heads, d), heads4(Local.in(manager, k), heads, d),
                    heads4(Local.in(manager, v), heads, d), bias);
            if (out != null) {
                return out.transpose(0, 2, 1, 3).reshape(n, lq, dim);
            }
        }
        NDArray qh = splitHeads(q, heads, d);
        NDArray kh = splitHeads(manager, k, heads, d);
        NDArray vh = splitHeads(manager, v, heads, d);
        NDArray scores = Scalars.times(qh, 1.0 / Math.sqrt(d)).batchMatMul(kh.transpose(0, 2, 1));
        if (bias != null) {
            scores = scores.reshape(n, heads, lq, lk).add(bias).reshape(n * heads, lq, lk);
        }
        NDArray out = scores.softmax(-1).batchMatMul(vh);
        return out.reshape(n, heads, lq, d).transpose(0, 2, 1, 3).reshape(n, lq, dim);
    }

    /** @return (N, L, D) as (N, h, L, d), a view */
    private static NDArray heads4(NDArray x, int heads, long d) {
        long n = x.getShape().get(0);
        long l = x.getShape().get(1);
        return x.reshape(n, l, heads, d).transpose(0, 2, 1, 3);
    }

    private static NDArray splitHeads(NDArray x, int heads, long d) {
        long n = x.getShape().get(0);
        long l = x.getShape().get(1);
        return x.reshape(n, l, heads, d).transpose(0, 2, 1, 3).reshape(n * heads, l, d);
    }

    private static NDArray splitHeads(NDManager manager, NDArray x, int heads, long d) {
        return splitHeads(Local.in(manager, x), heads, d);
    }
}
