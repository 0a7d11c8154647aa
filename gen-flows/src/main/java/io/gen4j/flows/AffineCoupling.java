package io.gen4j.flows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;

/**
 * The affine coupling layer of RealNVP (Dinh et al. 2017, eq. 7–9) with a binary mask b:
 *
 * <pre>
 *   (ŝ, t) = NN(b ⊙ x)                       the net sees only the unchanged half
 *   s      = (1 − b) ⊙ α · tanh(ŝ)            bounded log-scale, α learned per channel
 *   y      = b ⊙ x + (1 − b) ⊙ (x ⊙ exp(s) + t)
 *   log|det ∂y/∂x| = Σ s
 * </pre>
 *
 * <p>Because y_b = x_b and y_{1−b} depends on x_b only through s and t, the Jacobian is triangular
 * (after ordering the b-coordinates first) with diagonal (1, …, 1, exp(s)): its log-determinant is
 * Σ s and the net need never be inverted. The inverse is {@code x = b ⊙ y + (1 − b) ⊙ (y − t) ⊙
 * exp(−s)}, with (s, t) computed from b ⊙ y = b ⊙ x.
 *
 * <p>The tanh bound keeps exp(s) within [e^−α, e^α], which is what keeps training from blowing up
 * early on. The net maps (N, C, ...) to (N, 2C, ...): the first C channels are ŝ, the last C are t;
 * give it a zero-initialised last layer ({@link CouplingNets}) so that the layer starts as the
 * identity.
 */
public class AffineCoupling extends FlowTransform {

    private static final byte VERSION = 1;

    private final CouplingMask mask;
    private final boolean flipped;
    private final Block net;
    private final Parameter scale;
    private final MaskCache masks;

    /**
     * @param mask checkerboard or channel-wise
     * @param flipped whether to swap the conditioning and the transformed halves
     * @param net conditioner (N, C, ...) → (N, 2C, ...), uninitialised
     */
    public AffineCoupling(CouplingMask mask, boolean flipped, Block net) {
        super(VERSION);
        this.mask = java.util.Objects.requireNonNull(mask, "mask");
        this.flipped = flipped;
        this.masks = new MaskCache(mask, flipped);
        this.net = addChildBlock("net", net);
        this.scale = addParameter(Parameter.builder()
                .setName("scale")
                .setType(Parameter.Type.WEIGHT)
                .optInitializer(Initializer.ONES)
                .build());
    }

    /** @return the mask type */
    public CouplingMask mask() {
        return mask;
    }

    /** @return whether the mask is flipped */
    public boolean flipped() {
        return flipped;
    }

    /**
     * (s, t) = (tanh(ŝ) ⊙ α ⊙ (1 − b), t̂ ⊙ (1 − b)) from the net's output (ŝ, t̂), computed as one product of
     * the output with (1 − b) twice along the channels, then tanh(·) ⊙ α: the mask is 0/1 and tanh(0) = 0, so
     * the values and their gradients are exactly the same as masking s and t apart (one operation fewer).
     *
     * @param inv2 (1 − b) twice along axis 1, (1, 2C, ...)
     */
    private NDArray[] scaleAndShift(ParameterStore ps, NDArray xa, NDArray inv2, boolean training) {
        NDArray out = net.forward(ps, new NDList(xa), training).head();
        long c = xa.getShape().get(1);
        if (out.getShape().get(1) != 2 * c) {
            throw new IllegalStateException(
                    "coupling net must output 2C = " + 2 * c + " channels, got " + out.getShape());
        }
        NDList st = out.mul(inv2).split(2, 1);
        // α is the product's second operand, so the result is in xa's manager without a local copy
        NDArray s = st.get(0).tanh().mul(ps.getValue(scale, xa.getDevice(), training));
        return new NDArray[] {s, st.get(1)};
    }

    /** @return {b, 1 − b, (1 − b) twice along axis 1} for x's example shape (cached, see {@link MaskCache}) */
    private NDArray[] masksFor(NDArray x) {
        return masks.masks(x, scale.isInitialized() ? scale.getArray().getManager() : null);
    }

    @Override
    public Transformed forward(ParameterStore ps, NDArray x, boolean training) {
        NDArray[] b = masksFor(x);
        NDArray[] st = scaleAndShift(ps, x.mul(b[0]), b[2], training);
        NDArray y = x.mul(st[0].exp()).add(st[1]);
        return new Transformed(y, sumPerExample(st[0]));
    }

    @Override
    public Transformed inverse(ParameterStore ps, NDArray y, boolean training) {
        NDArray[] b = masksFor(y);
        NDArray[] st = scaleAndShift(ps, y.mul(b[0]), b[2], training);
        NDArray x = y.sub(st[1]).div(st[0].exp());
        return new Transformed(x, sumPerExample(st[0]).neg());
    }

    @Override
    public NDArray inverseValue(ParameterStore ps, NDArray y, boolean training) {
        NDArray[] b = masksFor(y);
        NDArray[] st = scaleAndShift(ps, y.mul(b[0]), b[2], training);
        // (y − t) / exp(s): one operation fewer than (y − t) ⊙ exp(−s), the same number to within rounding
        return y.sub(st[1]).div(st[0].exp());
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        mask.validate(in.slice(1));
        scale.setShape(in.dimension() == 2 ? new Shape(1, in.get(1)) : new Shape(1, in.get(1), 1, 1));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = inputShapes[0];
        if (in.dimension() != 2 && in.dimension() != 4) {
            throw new IllegalArgumentException("coupling expects (N, D) or (N, C, H, W) input, got " + in);
        }
        net.initialize(manager, dataType, in);
        Shape out = net.getOutputShapes(new Shape[] {in})[0];
        if (out.get(1) != 2 * in.get(1) || !out.slice(2).equals(in.slice(2))) {
            throw new IllegalArgumentException(
                    "coupling net must map " + in + " to 2x the channels, got " + out);
        }
    }

    @Override
    public String toString() {
        return "AffineCoupling(" + mask + (flipped ? ", flipped" : "") + ")";
    }
}
