package io.gen4j.flows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.Objects;

/**
 * The additive coupling layer of NICE (Dinh, Krueger &amp; Bengio, "NICE: Non-linear Independent
 * Components Estimation", ICLR 2015 workshop, §3.2) with a binary mask b:
 *
 * <pre>
 *   t = (1 − b) ⊙ m(b ⊙ x)              the net sees only the unchanged half
 *   y = x + t                            y_b = x_b,  y_{1−b} = x_{1−b} + m(x_b)
 *   log|det ∂y/∂x| = 0
 * </pre>
 *
 * <p>The Jacobian is triangular with a unit diagonal, so the layer preserves volume: its log-det is
 * zero and the net need never be inverted. The inverse is {@code x = y − (1 − b) ⊙ m(b ⊙ y)}, since
 * b ⊙ y = b ⊙ x. A flow of additive couplings alone cannot change volume; NICE ends with a diagonal
 * scaling for that, and in a {@link RealNvp} flow the {@link ActNorm} before each coupling plays that
 * role. Cheaper and more stable than {@link AffineCoupling} (no exponential), less expressive per
 * layer.
 *
 * <p>The net maps (N, C, ...) to (N, C, ...); give it a zero-initialised last layer ({@link
 * CouplingNets#shiftMlp}, {@link CouplingNets#shiftResidual}) so that the layer starts as the
 * identity. {@link CouplingFactory#additiveMlp} and {@link CouplingFactory#additiveResidual} plug it
 * into {@link RealNvp}.
 */
public final class AdditiveCoupling extends FlowTransform {

    private static final byte VERSION = 1;

    private final CouplingMask mask;
    private final boolean flipped;
    private final Block net;
    private final MaskCache masks;

    /**
     * @param mask checkerboard or channel-wise
     * @param flipped whether to swap the conditioning and the transformed halves
     * @param net conditioner (N, C, ...) → (N, C, ...), uninitialised
     */
    public AdditiveCoupling(CouplingMask mask, boolean flipped, Block net) {
        super(VERSION);
        this.mask = Objects.requireNonNull(mask, "mask");
        this.flipped = flipped;
        this.masks = new MaskCache(this.mask, flipped);
        this.net = addChildBlock("net", Objects.requireNonNull(net, "net"));
    }

    /** @return the mask type */
    public CouplingMask mask() {
        return mask;
    }

    /** @return whether the mask is flipped */
    public boolean flipped() {
        return flipped;
    }

    /** t = (1 − b) ⊙ m(b ⊙ x), in the manager of {@code x}. */
    private NDArray shift(ParameterStore ps, NDArray x, boolean training) {
        NDArray[] b = masks.masks(x, owner());
        NDArray m = net.forward(ps, new NDList(x.mul(b[0])), training).head();
        if (!m.getShape().equals(x.getShape())) {
            throw new IllegalStateException("coupling net must keep the shape " + x.getShape() + ", got " + m.getShape());
        }
        return m.mul(b[1]);
    }

    /** @return the manager of the net's first initialised parameter (it holds the cached masks), or null */
    private NDManager owner() {
        for (ai.djl.util.Pair<String, ai.djl.nn.Parameter> p : net.getParameters()) {
            if (p.getValue().isInitialized()) {
                return p.getValue().getArray().getManager();
            }
        }
        return null;
    }

    @Override
    public Transformed forward(ParameterStore ps, NDArray x, boolean training) {
        return new Transformed(x.add(shift(ps, x, training)), zeroLogDet(x));
    }

    @Override
    public Transformed inverse(ParameterStore ps, NDArray y, boolean training) {
        return new Transformed(inverseValue(ps, y, training), zeroLogDet(y));
    }

    @Override
    public NDArray inverseValue(ParameterStore ps, NDArray y, boolean training) {
        return y.sub(shift(ps, y, training));
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        mask.validate(inputShapes[0].slice(1));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = inputShapes[0];
        if (in.dimension() != 2 && in.dimension() != 4) {
            throw new IllegalArgumentException("coupling expects (N, D) or (N, C, H, W) input, got " + in);
        }
        net.initialize(manager, dataType, in);
        Shape out = net.getOutputShapes(new Shape[] {in})[0];
        if (!out.equals(in)) {
            throw new IllegalArgumentException("an additive coupling's net must map " + in + " to the same shape, got " + out);
        }
    }

    @Override
    public String toString() {
        return "AdditiveCoupling(" + mask + (flipped ? ", flipped" : "") + ")";
    }
}
