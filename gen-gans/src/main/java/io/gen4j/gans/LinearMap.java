package io.gen4j.gans;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

/**
 * A block that is affine in its input, {@code y = A_W x + b}, and knows its transpose: a dense layer
 * ({@link DenseMap}), a convolution ({@link ConvMap}), or either under {@link SpectralNorm}.
 *
 * <p>{@link Discriminator} builds its critics from these so that it can compute its input gradient
 * {@code ∇_x D(x)} with ordinary, first-order operations ({@link #applyTranspose} is the
 * vector-Jacobian product {@code A_W^T g}). The gradient penalty of WGAN-GP and R1 then needs a
 * single ordinary backward, not the double backward that leaks native memory in DJL
 * (docs/known-issues.md §2).
 *
 * <p>{@link #weight} is called once per pass and its result given to {@link #apply} and {@link
 * #applyTranspose}: a spectrally normalised map runs its power iteration there.
 */
public interface LinearMap extends Block {

    /**
     * The effective weight of this pass (for {@link SpectralNorm}, {@code W / σ(W)}), differentiable
     * with respect to the parameters.
     *
     * @param ps the parameter store
     * @param like an input whose manager owns the result
     * @param training whether this is a training pass (spectral norm updates its u then)
     * @return the weight, in its natural layout ((out, in) or (C_out, C_in, k, k))
     */
    NDArray weight(ParameterStore ps, NDArray like, boolean training);

    /**
     * @param ps the parameter store
     * @param like an input whose manager owns the result
     * @param training whether this is a training pass
     * @return the bias (out), or null
     */
    NDArray bias(ParameterStore ps, NDArray like, boolean training);

    /**
     * @param x the input
     * @param weight from {@link #weight}
     * @param bias from {@link #bias}, or null
     * @return {@code A_W x + b}
     */
    NDArray apply(NDArray x, NDArray weight, NDArray bias);

    /**
     * The vector-Jacobian product with respect to the input.
     *
     * @param g a cotangent of the output's shape
     * @param weight from {@link #weight}
     * @param inputShape the shape of the input the output came from
     * @return {@code A_W^T g}, of the input's shape, differentiable in the weight and in g
     */
    NDArray applyTranspose(NDArray g, NDArray weight, Shape inputShape);

    /** @return the rank of the input the map takes: 2 for (N, in), 4 for (N, C, H, W) */
    int inputRank();
}
