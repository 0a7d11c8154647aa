package io.gen4j.flows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A sequence of transforms applied one after the other; the log-dets add up (chain rule,
 * {@code det(AB) = det A · det B}):
 *
 * <pre>
 *   z = f_K ∘ … ∘ f_1 (x),    log|det ∂z/∂x| = Σ_k log|det ∂f_k/∂h_{k−1}|
 * </pre>
 *
 * <p>The inverse applies the inverses in reverse order. {@link #forwardTrace} and {@link
 * #inverseTrace} return every intermediate value, which is how the layer-by-layer warp of a 2-D
 * flow is drawn.
 */
public class CompositeTransform extends FlowTransform {

    private static final byte VERSION = 1;

    private final List<FlowTransform> transforms;

    /**
     * @param transforms the transforms in data → latent order, at least one
     */
    public CompositeTransform(List<? extends FlowTransform> transforms) {
        super(VERSION);
        if (transforms.isEmpty()) {
            throw new IllegalArgumentException("a composite transform needs at least one transform, got none");
        }
        List<FlowTransform> list = new ArrayList<>();
        int i = 0;
        for (FlowTransform t : transforms) {
            list.add(addChildBlock(String.format("%02d%s", i++, t.getClass().getSimpleName()), t));
        }
        this.transforms = Collections.unmodifiableList(list);
    }

    /**
     * @param transforms the transforms in data → latent order
     * @return their composition
     */
    public static CompositeTransform of(FlowTransform... transforms) {
        return new CompositeTransform(List.of(transforms));
    }

    /** @return the transforms in data → latent order */
    public List<FlowTransform> transforms() {
        return transforms;
    }

    @Override
    public Transformed forward(ParameterStore ps, NDArray x, boolean training) {
        NDArray h = x;
        NDArray logDet = null;
        for (FlowTransform t : transforms) {
            Transformed r = t.forward(ps, h, training);
            h = r.value();
            logDet = logDet == null ? r.logDet() : logDet.add(r.logDet());
        }
        return new Transformed(h, logDet);
    }

    @Override
    public NDArray inverseValue(ParameterStore ps, NDArray y, boolean training) {
        NDArray h = y;
        for (int k = transforms.size() - 1; k >= 0; k--) {
            h = transforms.get(k).inverseValue(ps, h, training);
        }
        return h;
    }

    /**
     * The children's prepared inverses in inverse order, with each run of adjacent {@link ActNorm}s (on vectors)
     * and {@link FixedOrthogonal}s folded into one affine map: one matrix product with a bias where the run
     * holds a rotation, a product and a sum where it is diagonal (RealNVP 2-D: the rotation and the ActNorm of
     * a block, 4 operations, become one {@code addmm}).
     */
    @Override
    public PreparedInverse prepareInverse(NDManager manager, Shape example, DataType dataType) {
        // the forward input shape of each child, for the children that need theirs
        Shape[] inputs = new Shape[transforms.size()];
        Shape shape = new Shape(1).addAll(example);
        for (int k = 0; k < transforms.size(); k++) {
            inputs[k] = shape.slice(1);
            shape = transforms.get(k).outputShape(shape);
        }
        List<PreparedInverse> steps = new ArrayList<>();
        try (NDManager scratch = manager.newSubManager()) {
            AffineMap run = null;
            for (int k = transforms.size() - 1; k >= 0; k--) {
                FlowTransform t = transforms.get(k);
                AffineMap map = t instanceof AffineVectorInverse a ? a.inverseMap(scratch) : null;
                if (map != null) {
                    run = run == null ? map : run.then(map);
                    continue;
                }
                if (run != null) {
                    steps.add(run.prepare(manager, dataType));
                    run = null;
                }
                steps.add(t.prepareInverse(manager, inputs[k], dataType));
            }
            if (run != null) {
                steps.add(run.prepare(manager, dataType));
            }
        }
        PreparedInverse[] order = steps.toArray(new PreparedInverse[0]);
        return y -> {
            NDArray h = y;
            for (PreparedInverse step : order) {
                h = step.apply(h);
            }
            return h;
        };
    }

    @Override
    public Transformed inverse(ParameterStore ps, NDArray y, boolean training) {
        NDArray h = y;
        NDArray logDet = null;
        for (int k = transforms.size() - 1; k >= 0; k--) {
            Transformed r = transforms.get(k).inverse(ps, h, training);
            h = r.value();
            logDet = logDet == null ? r.logDet() : logDet.add(r.logDet());
        }
        return new Transformed(h, logDet);
    }

    /**
     * Every intermediate value of the forward pass (no gradients needed).
     *
     * @param x input (N, ...)
     * @return K + 1 arrays: x, f_1(x), f_2(f_1(x)), …, z, in x's manager
     */
    public List<NDArray> forwardTrace(NDArray x) {
        ParameterStore ps = new ParameterStore(x.getManager(), false);
        List<NDArray> trace = new ArrayList<>();
        trace.add(x);
        NDArray h = x;
        for (FlowTransform t : transforms) {
            h = t.forward(ps, h, false).value();
            trace.add(h);
        }
        return trace;
    }

    /**
     * Every intermediate value of the inverse pass: how the base distribution is warped, layer by
     * layer, into the data distribution.
     *
     * @param z latent (N, ...)
     * @return K + 1 arrays: z, f_K⁻¹(z), …, x, in z's manager
     */
    public List<NDArray> inverseTrace(NDArray z) {
        ParameterStore ps = new ParameterStore(z.getManager(), false);
        List<NDArray> trace = new ArrayList<>();
        trace.add(z);
        NDArray h = z;
        for (int k = transforms.size() - 1; k >= 0; k--) {
            h = transforms.get(k).inverseValue(ps, h, false);
            trace.add(h);
        }
        return trace;
    }

    @Override
    protected Transformed dataInit(ParameterStore ps, NDArray x) {
        NDArray h = x;
        NDArray logDet = null;
        for (FlowTransform t : transforms) {
            Transformed r = t.dataInit(ps, h);
            h = r.value();
            logDet = logDet == null ? r.logDet() : logDet.add(r.logDet());
        }
        return new Transformed(h, logDet);
    }

    @Override
    public Shape outputShape(Shape input) {
        Shape s = input;
        for (FlowTransform t : transforms) {
            s = t.outputShape(s);
        }
        return s;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = inputShapes[0];
        for (FlowTransform t : transforms) {
            t.initialize(manager, dataType, s);
            s = t.outputShape(s);
        }
    }
}
