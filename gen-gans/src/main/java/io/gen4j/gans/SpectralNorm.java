package io.gen4j.gans;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;

/**
 * Spectral normalisation (Miyato et al. 2018, "Spectral Normalization for Generative Adversarial
 * Networks") of any {@link LinearMap}: the layer computes with {@code W / σ(W)}, where σ(W) is the
 * largest singular value of W reshaped to a matrix (C_out, rest), estimated by power iteration.
 *
 * <p>A persistent vector u (a parameter of this block, not trained: it is saved with the model and
 * in checkpoints, so a resumed run continues the same iteration) is refined by one step per
 * training forward, and σ is read off with u and v held constant:
 *
 * <pre>
 *   v = W^T u / ||W^T u||,   u = W v / ||W v||,   σ(W) = u^T W v
 * </pre>
 *
 * In inference u stays put: v = W^T u / ||W^T u|| and σ = u^T W v. Since σ(W) bounds the
 * Lipschitz constant of a dense layer (and, for a convolution, the reshaped kernel's norm is the
 * usual proxy for it), a critic whose layers are all normalised and whose activations are
 * 1-Lipschitz (LeakyReLU) is (approximately) 1-Lipschitz. The gradient flows through σ (its
 * derivative {@code u v^T} is part of the layer's backward), as in the paper.
 */
public final class SpectralNorm extends LinearMapBlock {

    private static final byte VERSION = 1;
    private static final float EPS = 1e-12f;

    private final LinearMap map;
    private final Parameter u;

    /**
     * @param map the layer to normalise (uninitialised; this block initialises it)
     */
    public SpectralNorm(LinearMap map) {
        super(VERSION);
        this.map = addChildBlock("map", map);
        this.u = addParameter(Parameter.builder().setName("u").setType(Parameter.Type.OTHER)
                .optRequiresGrad(false).optInitializer(new NormalInitializer(1f)).build());
    }

    /** @return the wrapped layer */
    public LinearMap map() {
        return map;
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        u.setShape(new Shape(map.getOutputShapes(inputShapes)[0].get(1)));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        map.initialize(manager, dataType, inputShapes);
    }

    /**
     * The power-iteration estimate of σ(W) for this pass; a training pass first refines u by one
     * step and stores it.
     *
     * @param ps the parameter store
     * @param like an input whose manager owns the result
     * @param training whether to refine u
     * @return σ(W), shape (), differentiable with respect to W
     */
    public NDArray sigma(ParameterStore ps, NDArray like, boolean training) {
        return sigma(ps, local(like, map.weight(ps, like, training)), like, training);
    }

    private NDArray sigma(ParameterStore ps, NDArray w, NDArray like, boolean training) {
        long out = w.getShape().get(0);
        NDArray matrix = w.reshape(out, -1);
        NDArray fixed = matrix.stopGradient();
        NDArray stored = ps.getValue(u, like.getDevice(), false);
        NDArray u0 = local(like, stored).stopGradient().reshape(1, out);
        NDArray v = normalize(u0.matMul(fixed)); // (1, m): W^T u
        NDArray uNew = u0;
        if (training) {
            uNew = normalize(v.matMul(fixed.transpose())); // (1, out): W v
            uNew.reshape(out).toType(stored.getDataType(), false).copyTo(stored);
        }
        NDArray wv = matrix.matMul(v.transpose()); // (out, 1), differentiable in W
        return uNew.matMul(wv).reshape(new Shape());
    }

    private static NDArray normalize(NDArray a) {
        return a.div(a.norm().add(EPS));
    }

    /** A differentiable copy of {@code a} in the manager of {@code like}. */
    private static NDArray local(NDArray like, NDArray a) {
        return like.getManager().zeros(new Shape(), a.getDataType()).add(a);
    }

    @Override
    public NDArray weight(ParameterStore ps, NDArray like, boolean training) {
        NDArray w = local(like, map.weight(ps, like, training));
        return w.div(sigma(ps, w, like, training));
    }

    @Override
    public NDArray bias(ParameterStore ps, NDArray like, boolean training) {
        return map.bias(ps, like, training);
    }

    @Override
    public NDArray apply(NDArray x, NDArray weight, NDArray bias) {
        return map.apply(x, weight, bias);
    }

    @Override
    public NDArray applyTranspose(NDArray g, NDArray weight, Shape inputShape) {
        return map.applyTranspose(g, weight, inputShape);
    }

    @Override
    public int inputRank() {
        return map.inputRank();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return map.getOutputShapes(inputShapes);
    }
}
