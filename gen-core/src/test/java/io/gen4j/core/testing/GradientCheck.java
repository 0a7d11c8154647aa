package io.gen4j.core.testing;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * Float64 gradient checks against central finite differences, for blocks and for plain functions
 * (gen4j's test kit, in gen-core's test-jar).
 *
 * <p><b>What it proves.</b> That the gradient autograd computes for a block's parameters and inputs
 * (or for any function of some tensors) equals the numerical derivative: the backward pass of your
 * block, loss or objective is right, including parts written with ordinary ops to avoid a double
 * backward (docs/known-issues.md §2). The scalar checked is {@code L = Σ f(x) ⊙ R} for a fixed
 * random R, so every output element contributes. For each parameter and each float64 input,
 * {@code samples} coordinates (all of them when the tensor is smaller) are perturbed by ±h, h =
 * 1e-6, and {@code (L(+h) − L(−h)) / 2h} is compared with autograd; the result is the worst relative
 * error |a − n| / max(1e-6, 1e-3·G, |a|, |n|), G the tensor's largest autograd gradient: the difference
 * quotient's rounding error (about ulp(L) / h) is not a relative one, so a coordinate whose gradient is
 * a thousand times smaller than its tensor's largest is judged on the tensor's scale. R and the
 * coordinates come from {@code seed}, so a check is the same on every run and machine. Stale gradients
 * are cleared first (DJL does not zero them).
 *
 * <pre>{@code
 * try (NDManager m = NDManager.newBaseManager()) {
 *     NDArray x = m.randomNormal(0, 1, new Shape(4, 3), DataType.FLOAT64);
 *     GradientCheck.Result r = GradientCheck.checkBlock(m, new MyBlock(), new NDList(x), 20, 7);
 *     assertTrue(r.worstRelativeError() < 1e-6, r.where());
 *     // any differentiable function of tensors it closes over:
 *     GradientCheck.Result f = GradientCheck.check(m, v -> myLoss(x, w), List.of(x, w), List.of("x", "w"), 20, 7);
 * }
 * }</pre>
 *
 * <p><b>What it cannot see.</b> Float32 and oneDNN convolution bugs (float64 convolutions do not go
 * through oneDNN, docs/known-issues.md §1: the convolution guard's canary covers those); randomness
 * inside the function (draw noise outside it, or seed identically, so that L is deterministic); and
 * kinks: a coordinate within h of a ReLU's or |x|'s kink can disagree legitimately, so keep inputs
 * away from them or check such blocks at smooth points.
 */
public final class GradientCheck {

    private GradientCheck() {}

    /**
     * The worst disagreement found.
     *
     * @param worstRelativeError max over checked coordinates of |a − n| / max(1e-6, 1e-3·G, |a|, |n|)
     * @param where which tensor and coordinate it was
     * @param checked how many coordinates were checked
     */
    public record Result(double worstRelativeError, String where, int checked) {}

    /**
     * Initialises {@code block} in float64 for the given inputs and checks the gradients of its
     * parameters and of the inputs.
     *
     * @param manager where everything lives
     * @param block an uninitialised block
     * @param inputs float64 inputs (integer inputs such as labels are left alone)
     * @param samples coordinates checked per tensor
     * @param seed seed for R and the coordinates
     * @return the worst disagreement
     */
    public static Result checkBlock(NDManager manager, Block block, NDList inputs, int samples, long seed) {
        Shape[] shapes = inputs.getShapes();
        block.initialize(manager, DataType.FLOAT64, shapes);
        ParameterStore ps = new ParameterStore(manager, false);
        List<NDArray> tensors = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            tensors.add(p.getValue().getArray());
            names.add(p.getKey());
        }
        for (int i = 0; i < inputs.size(); i++) {
            if (inputs.get(i).getDataType() == DataType.FLOAT64) {
                tensors.add(inputs.get(i));
                names.add("input" + i);
            }
        }
        return check(manager, l -> block.forward(ps, inputs, true).head(), tensors, names, samples, seed);
    }

    /**
     * Checks the gradient of an arbitrary function of some float64 tensors.
     *
     * @param manager where temporaries live
     * @param f the function; reads the tensors (which it closes over) and returns an array
     * @param tensors the float64 tensors to differentiate with respect to
     * @param names their names for messages
     * @param samples coordinates checked per tensor
     * @param seed seed
     * @return the worst disagreement
     */
    public static Result check(
            NDManager manager,
            Function<Void, NDArray> f,
            List<NDArray> tensors,
            List<String> names,
            int samples,
            long seed) {
        Random rng = new Random(seed);
        NDArray r;
        List<NDArray> analytic = new ArrayList<>();
        try (NDManager scope = manager.newSubManager()) {
            for (NDArray t : tensors) {
                if (t.getDataType() != DataType.FLOAT64) {
                    throw new IllegalArgumentException("gradient checks need float64 tensors, got " + t.getDataType());
                }
                t.setRequiresGradient(true);
                if (t.hasGradient()) {
                    // DJL does not zero gradients when a collector opens: clear what an earlier pass left.
                    try (NDArray g = t.getGradient()) {
                        g.subi(g);
                    }
                }
            }
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray y = f.apply(null);
                // R comes from the seed, not from the engine's generator: the check is the same on every run
                double[] weights = new double[Math.toIntExact(y.getShape().size())];
                for (int i = 0; i < weights.length; i++) {
                    weights[i] = rng.nextGaussian();
                }
                r = manager.create(weights, y.getShape());
                gc.backward(y.mul(r).sum());
            }
            for (NDArray t : tensors) {
                NDArray g = t.getGradient().duplicate();
                g.attach(manager);
                analytic.add(g);
            }
        }
        double worst = 0;
        String where = "";
        int checked = 0;
        double h = 1e-6;
        for (int k = 0; k < tensors.size(); k++) {
            NDArray t = tensors.get(k);
            long size = t.getShape().size();
            double[] grad = analytic.get(k).toDoubleArray();
            double largest = 0;
            for (double g : grad) {
                largest = Math.max(largest, Math.abs(g));
            }
            // a coordinate whose gradient is tiny next to the tensor's largest one is judged on that scale:
            // (L(+h) − L(−h)) / 2h carries a rounding error of about ulp(L) / h whatever the coordinate
            double floor = Math.max(1e-6, 1e-3 * largest);
            int n = (int) Math.min(samples, size);
            for (int s = 0; s < n; s++) {
                long idx = n == size ? s : (long) (rng.nextDouble() * size);
                long[] coord = unravel(idx, t.getShape());
                NDIndex at = new NDIndex(coord);
                double orig = t.get(at).getDouble();
                double plus;
                double minus;
                try (NDManager scope = manager.newSubManager()) {
                    t.set(at, orig + h);
                    plus = f.apply(null).mul(r).sum().getDouble();
                    t.set(at, orig - h);
                    minus = f.apply(null).mul(r).sum().getDouble();
                    t.set(at, orig);
                }
                double numeric = (plus - minus) / (2 * h);
                double a = grad[(int) idx];
                double err = Math.abs(a - numeric) / Math.max(floor, Math.max(Math.abs(a), Math.abs(numeric)));
                checked++;
                if (err > worst) {
                    worst = err;
                    where = names.get(k) + java.util.Arrays.toString(coord) + " autograd=" + a + " numeric=" + numeric;
                }
            }
        }
        return new Result(worst, where, checked);
    }

    private static long[] unravel(long idx, Shape shape) {
        long[] coord = new long[shape.dimension()];
        for (int d = shape.dimension() - 1; d >= 0; d--) {
            coord[d] = idx % shape.get(d);
            idx /= shape.get(d);
        }
        return coord;
    }
}
