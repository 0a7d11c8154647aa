package io.gen4j.flows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import io.gen4j.core.nn.Activation;
import io.gen4j.core.nn.Mlp;
import java.util.List;

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

    /**
     * On vectors with an {@link Mlp} conditioner whose layers have biases and whose last layer has no output
     * activation: the masks folded into the conditioner, b into the first layer's columns ((b ⊙ y)·W₁ᵀ = y·(W₁ ⊙
     * b)ᵀ) and 1 − b into the last layer's rows and bias, which then runs as two heads (ŝ and t̂, each a dense
     * output), so that the prepared inverse runs the layers, tanh ⊙ α and {@code (y − t) / exp(s)} only: no mask
     * products and no split, and tanh, − and / on dense arrays where the halves of one output would be strided
     * views walked D elements at a time (the masks are 0/1, so the values are the same). Otherwise the default.
     */
    @Override
    public PreparedInverse prepareInverse(NDManager manager, Shape example, DataType dataType) {
        if (example.dimension() != 1 || !(net instanceof Mlp mlp) || !scale.isInitialized()
                || mlp.outputActivation() != Activation.NONE) {
            return super.prepareInverse(manager, example, dataType);
        }
        List<Linear> linears = mlp.linears();
        for (Linear l : linears) {
            if (!l.getParameters().contains("bias")) {
                return super.prepareInverse(manager, example, dataType);
            }
        }
        int n = linears.size();
        long d = example.get(0);
        NDArray[] weights = new NDArray[n];
        NDArray[] biases = new NDArray[n];
        NDArray[] heads = new NDArray[4]; // ŝ's weight and bias, then t̂'s
        NDArray alpha;
        // the masks on the parameters' device (the caller's manager may live elsewhere)
        try (NDManager scratch = manager.newSubManager(scale.getArray().getDevice())) {
            NDArray b = mask.build(scratch, example, flipped, dataType);
            NDArray inverse = mask.build(scratch, example, !flipped, dataType);
            NDArray inverse2 = inverse.concat(inverse, 1); // (1, 2D): the conditioner's output is (ŝ, t̂)
            for (int i = 0; i < n; i++) {
                weights[i] = copy(linears.get(i).getParameters().get("weight").getArray(), scratch, dataType);
                biases[i] = copy(linears.get(i).getParameters().get("bias").getArray(), scratch, dataType);
            }
            weights[0] = weights[0].mul(b);
            NDArray lastWeight = weights[n - 1].mul(inverse2.reshape(-1, 1));
            NDArray lastBias = biases[n - 1].mul(inverse2.reshape(-1));
            heads[0] = lastWeight.get(new NDIndex("0:{}", d));
            heads[1] = lastBias.get(new NDIndex("0:{}", d));
            heads[2] = lastWeight.get(new NDIndex("{}:", d));
            heads[3] = lastBias.get(new NDIndex("{}:", d));
            for (int i = 0; i < n - 1; i++) {
                weights[i].attach(manager);
                biases[i].attach(manager);
            }
            for (NDArray h : heads) {
                h.attach(manager);
            }
            alpha = copy(scale.getArray(), scratch, dataType);
            alpha.attach(manager);
        }
        Activation hidden = mlp.activation();
        return y -> {
            NDArray h = y;
            for (int i = 0; i < n - 1; i++) {
                h = hidden.apply(Linear.linear(h, weights[i], biases[i]).head());
            }
            NDArray s = Linear.linear(h, heads[0], heads[1]).head().tanh().mul(alpha);
            return y.sub(Linear.linear(h, heads[2], heads[3]).head()).div(s.exp());
        };
    }

    private static NDArray copy(NDArray parameter, NDManager scratch, DataType dataType) {
        // DJL's toType(same type, copy = true) returns a second handle to the same tensor: duplicate() copies
        NDArray c = parameter.getDataType() == dataType ? parameter.duplicate()
                : parameter.toType(dataType, false);
        c.attach(scratch);
        return c;
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
