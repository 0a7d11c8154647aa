package io.gen4j.autoregressive;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;

/**
 * The one masking rule behind MADE, PixelCNN and WaveNet, in its dense, convolutional and dilated
 * forms.
 *
 * <p>An autoregressive model p(x) = Π_i p(x_i | x_&lt;i) needs a network whose output for step i
 * never sees inputs of steps &gt;= i. Give every unit a <b>degree</b> (the last step it may know about)
 * and allow a connection from a unit of degree {@code m_in} to a unit of degree {@code m_out} only
 * when
 *
 * <pre>
 *   m_out &gt;= m_in   (hidden layers, PixelCNN's mask B)        m_out &gt; m_in   (outputs, mask A)
 * </pre>
 *
 * (Germain et al. 2015, MADE, eq. 12–13). A weight multiplied by its mask is exactly zero where the
 * rule forbids the connection, so the property holds bit for bit and the test kit's causality check
 * needs no tolerance.
 *
 * <ul>
 *   <li><b>Dense</b> ({@link #dense}): MADE's masks, from the degrees of the inputs (the position of
 *       each dimension in the ordering), of the hidden units (drawn by {@link #hiddenDegrees}) and
 *       of the outputs.
 *   <li><b>Convolutional</b> ({@link #raster2d}): a k×k kernel's tap (r, c) has degree r·k + c in the
 *       raster order and the output pixel has the degree of the centre tap: mask A (first layer)
 *       keeps the taps strictly before the centre, mask B also the centre (van den Oord et al. 2016,
 *       Pixel RNN). The gated PixelCNN's two stacks are the same rule on other degrees: the vertical
 *       stack ({@link #verticalStack}) gives each tap the degree of its row, the horizontal one
 *       ({@link #horizontalStack}) keeps the centre row only.
 *   <li><b>Dilated</b> ({@link #causal1d}): a causal 1-D kernel of size k, left-padded by d(k − 1),
 *       has taps at times t − d(k − 1 − j); tap j has degree j and the output the degree k − 1 of the
 *       current time: mask A drops the current sample (WaveNet's first layer), mask B keeps it.
 * </ul>
 *
 * <p>Masks are Java arrays (a configuration, not parameters); {@link #apply} multiplies a weight by
 * one in the manager of the data, so nothing lands in the model's manager.
 */
public final class AutoregressiveMasks {

    /** Which connections a mask keeps at the centre (the current step). */
    public enum MaskType {
        /** Strictly earlier steps only: first layers and outputs (m_out &gt; m_in). */
        A,
        /** Earlier steps and the current one: later hidden layers (m_out &gt;= m_in). */
        B
    }

    private AutoregressiveMasks() {}

    /**
     * The rule.
     *
     * @param outDegree degree of the receiving unit
     * @param inDegree degree of the sending unit
     * @param type A (strict) or B
     * @return whether the connection is allowed
     */
    public static boolean allowed(int outDegree, int inDegree, MaskType type) {
        return type == MaskType.A ? outDegree > inDegree : outDegree >= inDegree;
    }

    /**
     * A dense mask, row-major of shape (out, in) like a linear layer's weight.
     *
     * @param inDegrees degrees of the inputs
     * @param outDegrees degrees of the outputs
     * @param type A for the output layer, B for hidden layers
     * @return {@code mask[o·in + i] = allowed(outDegrees[o], inDegrees[i], type) ? 1 : 0}
     */
    public static float[] dense(int[] inDegrees, int[] outDegrees, MaskType type) {
        float[] m = new float[outDegrees.length * inDegrees.length];
        for (int o = 0; o < outDegrees.length; o++) {
            for (int i = 0; i < inDegrees.length; i++) {
                m[o * inDegrees.length + i] = allowed(outDegrees[o], inDegrees[i], type) ? 1f : 0f;
            }
        }
        return m;
    }

    /**
     * MADE's hidden degrees: each unit's degree uniform in [min of the previous layer, D − 2], so
     * that every unit can reach some output (Germain et al. 2015, section 4).
     *
     * @param units the layer's width
     * @param previous the degrees of the layer below
     * @param dims D, at least 2
     * @param rng the draw
     * @return the degrees
     */
    public static int[] hiddenDegrees(int units, int[] previous, int dims, Random rng) {
        if (dims < 2) {
            throw new IllegalArgumentException("dims must be >= 2, got " + dims);
        }
        int low = Integer.MAX_VALUE;
        for (int p : previous) {
            low = Math.min(low, p);
        }
        low = Math.min(low, dims - 2);
        int[] d = new int[units];
        for (int u = 0; u < units; u++) {
            d[u] = low + rng.nextInt(dims - 1 - low);
        }
        return d;
    }

    /**
     * A raster-scan kernel mask of PixelCNN.
     *
     * @param kH kernel height, odd
     * @param kW kernel width, odd
     * @param type A or B
     * @return shape (kH, kW) row-major
     */
    public static float[] raster2d(int kH, int kW, MaskType type) {
        checkOdd(kH, kW);
        int centre = (kH / 2) * kW + kW / 2;
        float[] m = new float[kH * kW];
        for (int r = 0; r < kH; r++) {
            for (int c = 0; c < kW; c++) {
                m[r * kW + c] = allowed(centre, r * kW + c, type) ? 1f : 0f;
            }
        }
        return m;
    }

    /**
     * The vertical stack of the gated PixelCNN (van den Oord et al. 2016, Conditional PixelCNN): every
     * tap in the rows above the centre and in the centre row (mask B on row degrees). Its output at
     * row i knows rows &lt;= i, which is why it reaches the horizontal stack shifted down one row.
     *
     * @param kH kernel height, odd
     * @param kW kernel width, odd
     * @return shape (kH, kW) row-major
     */
    public static float[] verticalStack(int kH, int kW) {
        checkOdd(kH, kW);
        float[] m = new float[kH * kW];
        for (int r = 0; r < kH; r++) {
            for (int c = 0; c < kW; c++) {
                m[r * kW + c] = allowed(kH / 2, r, MaskType.B) ? 1f : 0f;
            }
        }
        return m;
    }

    /**
     * The horizontal stack of the gated PixelCNN: the centre row only, the taps left of the centre
     * (A) or up to it (B).
     *
     * @param kH kernel height, odd
     * @param kW kernel width, odd
     * @param type A for the first layer, B after
     * @return shape (kH, kW) row-major
     */
    public static float[] horizontalStack(int kH, int kW, MaskType type) {
        checkOdd(kH, kW);
        float[] m = new float[kH * kW];
        int r = kH / 2;
        for (int c = 0; c < kW; c++) {
            m[r * kW + c] = allowed(kW / 2, c, type) ? 1f : 0f;
        }
        return m;
    }

    /**
     * A causal 1-D kernel mask (used with left padding d(k − 1), tap k − 1 is the current time).
     *
     * @param k kernel size
     * @param type A drops the current time, B keeps it
     * @return k values
     */
    public static float[] causal1d(int k, MaskType type) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        float[] m = new float[k];
        for (int j = 0; j < k; j++) {
            m[j] = allowed(k - 1, j, type) ? 1f : 0f;
        }
        return m;
    }

    /**
     * The natural ordering 0, 1, …, D − 1.
     *
     * @param dims D
     * @return {@code order[d]} = position of dimension d
     */
    public static int[] naturalOrder(int dims) {
        int[] o = new int[dims];
        for (int d = 0; d < dims; d++) {
            o[d] = d;
        }
        return o;
    }

    /**
     * A uniformly random ordering.
     *
     * @param dims D
     * @param rng the draw
     * @return {@code order[d]} = position of dimension d, a permutation of 0..D−1
     */
    public static int[] randomOrder(int dims, Random rng) {
        int[] o = naturalOrder(dims);
        for (int i = dims - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = o[i];
            o[i] = o[j];
            o[j] = t;
        }
        return o;
    }

    /**
     * Multiplies a weight by a mask in the manager of {@code scope} (the data's), never the model's.
     *
     * @param weight the weight, e.g. (O, I) or (O, I, kH, kW) or (O, I, k)
     * @param mask the mask, broadcastable to the weight
     * @param maskShape its shape, e.g. (O, I) or (1, 1, kH, kW)
     * @param scope where the product goes
     * @return {@code mask ⊙ weight}
     */
    public static NDArray apply(NDArray weight, float[] mask, Shape maskShape, NDManager scope) {
        NDArray m = scope.create(mask, maskShape).toType(weight.getDataType(), false);
        return m.mul(weight);
    }

    private static void checkOdd(int kH, int kW) {
        if (kH < 1 || kW < 1 || kH % 2 == 0 || kW % 2 == 0) {
            throw new IllegalArgumentException("kernel sides must be odd and >= 1, got " + kH + "x" + kW);
        }
    }
}
