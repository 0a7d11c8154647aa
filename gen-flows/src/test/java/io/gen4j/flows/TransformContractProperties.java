package io.gen4j.flows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.model.Invertible.Transformed;
import java.util.List;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.constraints.IntRange;

/**
 * The nflows-style contract every transform must meet, in float64 with randomised parameters:
 * inverse(forward(x)) = x with log-dets summing to zero, and log|det J| equal to the log-determinant
 * of a brute-force (central-difference) Jacobian. Every case runs with a few fixed seeds (exhaustive
 * generation), so the suite is deterministic.
 */
class TransformContractProperties {

    enum Input { NORMAL, UNIT_INTERVAL, PIXELS }

    record Case(String name, Supplier<FlowTransform> factory, Shape example, Input input, boolean jacobian) {
        @Override
        public String toString() {
            return name;
        }

        Shape batch(long n) {
            long[] d = new long[example.dimension() + 1];
            d[0] = n;
            System.arraycopy(example.getShape(), 0, d, 1, example.dimension());
            return new Shape(d);
        }
    }

    private static AffineCoupling vectorCoupling(CouplingMask mask, boolean flipped, int d) {
        return new AffineCoupling(mask, flipped, CouplingNets.mlp(d, 8, 2));
    }

    private static AffineCoupling imageCoupling(CouplingMask mask, boolean flipped, int c) {
        return new AffineCoupling(mask, flipped, CouplingNets.residual(c, 16, 1, 4));
    }

    private static RealNvp.ImageConfig tinyImages(double logitAlpha) {
        return RealNvp.ImageConfig.builder().setImageShape(1, 4, 4).optCouplings(1).optHidden(16).optResBlocks(1)
                .optGroups(4).optLogitAlpha(logitAlpha).build();
    }

    static final List<Case> CASES = List.of(
            new Case("ActNorm vector", ActNorm::new, new Shape(3), Input.NORMAL, true),
            new Case("ActNorm image", ActNorm::new, new Shape(2, 2, 3), Input.NORMAL, true),
            new Case("coupling vector checkerboard", () -> vectorCoupling(CouplingMask.CHECKERBOARD, false, 5),
                    new Shape(5), Input.NORMAL, true),
            new Case("coupling vector channel flipped", () -> vectorCoupling(CouplingMask.CHANNEL, true, 4),
                    new Shape(4), Input.NORMAL, true),
            new Case("coupling image checkerboard", () -> imageCoupling(CouplingMask.CHECKERBOARD, true, 1),
                    new Shape(1, 4, 4), Input.NORMAL, true),
            new Case("coupling image channel", () -> imageCoupling(CouplingMask.CHANNEL, false, 4),
                    new Shape(4, 2, 2), Input.NORMAL, true),
            new Case("additive coupling vector checkerboard",
                    () -> new AdditiveCoupling(CouplingMask.CHECKERBOARD, false, CouplingNets.shiftMlp(5, 8, 2)),
                    new Shape(5), Input.NORMAL, true),
            new Case("additive coupling image channel flipped",
                    () -> new AdditiveCoupling(CouplingMask.CHANNEL, true, CouplingNets.shiftResidual(4, 16, 1, 4)),
                    new Shape(4, 2, 2), Input.NORMAL, true),
            new Case("fixed rotation", () -> new FixedOrthogonal(3), new Shape(4), Input.NORMAL, true),
            new Case("squeeze", Squeeze::new, new Shape(2, 4, 4), Input.NORMAL, true),
            new Case("unsqueeze", Unsqueeze::new, new Shape(8, 2, 2), Input.NORMAL, true),
            new Case("factor-out", () -> new FactorOut(CompositeTransform.of(new ActNorm(),
                    imageCoupling(CouplingMask.CHECKERBOARD, false, 2))), new Shape(4, 2, 2), Input.NORMAL, true),
            new Case("logit", () -> new LogitTransform(0.05), new Shape(1, 3, 3), Input.UNIT_INTERVAL, true),
            new Case("dequantization", UniformDequantization::new, new Shape(1, 4, 4), Input.PIXELS, false),
            new Case("RealNVP vector", () -> RealNvp.vector(new RealNvp.VectorConfig(3, 4, 8, 1, true, true)).transform(),
                    new Shape(3), Input.NORMAL, true),
            new Case("RealNVP vector, additive couplings", () -> RealNvp.vector(
                            new RealNvp.VectorConfig(3, 4, 8, 1, true, true), CouplingFactory.additiveMlp(8, 1)).transform(),
                    new Shape(3), Input.NORMAL, true),
            new Case("RealNVP image level", () -> ((CompositeTransform) RealNvp.image(tinyImages(0.05))
                            .transform()).transforms().get(2),
                    new Shape(1, 4, 4), Input.NORMAL, true),
            new Case("RealNVP image level, additive couplings", () -> ((CompositeTransform) RealNvp.image(
                            tinyImages(0.05), CouplingFactory.additiveResidual(16, 1, 4)).transform()).transforms().get(2),
                    new Shape(1, 4, 4), Input.NORMAL, true),
            new Case("RealNVP image with preprocessing", () -> RealNvp.image(tinyImages(1e-6)).transform(),
                    new Shape(1, 4, 4), Input.PIXELS, false));

    @Provide
    Arbitrary<Case> cases() {
        return Arbitraries.of(CASES);
    }

    @Provide
    Arbitrary<Case> jacobianCases() {
        return Arbitraries.of(CASES.stream().filter(Case::jacobian).toList());
    }

    private static NDArray input(NDManager m, Case c, long n, long seed) {
        Shape s = c.batch(n);
        return switch (c.input()) {
            case NORMAL -> FlowTestKit.normal(m, s, seed).mul(1.5);
            case UNIT_INTERVAL -> FlowTestKit.uniform(m, s, 0.01, 0.99, seed);
            case PIXELS -> FlowTestKit.uniform(m, s, 0, 256, seed).floor().clip(0, 255).div(255);
        };
    }

    /** A float64 transform with data-initialised ActNorms and randomised parameters. */
    private static FlowTransform prepared(NDManager m, Case c, long seed) {
        Engine.getInstance().setRandomSeed((int) seed);
        FlowTransform t = c.factory().get();
        t.initialize(m, DataType.FLOAT64, c.batch(8));
        t.initializeFromData(input(m, c, 64, seed + 1));
        FlowTestKit.randomizeParameters(t, m, 0.3, seed + 2);
        return t;
    }

    @Property(generation = GenerationMode.EXHAUSTIVE)
    void inverseUndoesForward(@ForAll("cases") Case c, @ForAll @IntRange(min = 0, max = 1) int draw) {
        long seed = 1009L * draw + 17;
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            FlowTransform t = prepared(m, c, seed);
            NDArray x = input(m, c, 6, seed + 3);
            Transformed f = t.forward(x);
            assertEquals(c.batch(6), x.getShape());
            assertEquals(new Shape(6), f.logDet().getShape(), c + ": log-det shape");
            assertEquals(t.outputShape(x.getShape()), f.value().getShape(), c + ": output shape");
            Transformed b = t.inverse(f.value());
            double err = b.value().sub(x).abs().max().getDouble();
            assertTrue(err < 1e-9, c + ": |inverse(forward(x)) - x| = " + err);
            double ld = f.logDet().add(b.logDet()).abs().max().getDouble();
            assertTrue(ld < 1e-9, c + ": forward and inverse log-dets do not cancel: " + ld);
        }
    }

    @Property(generation = GenerationMode.EXHAUSTIVE)
    void logDetMatchesBruteForceJacobian(
            @ForAll("jacobianCases") Case c, @ForAll @IntRange(min = 0, max = 1) int draw) {
        long seed = 7919L * draw + 3;
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            FlowTransform t = prepared(m, c, seed);
            NDArray x = input(m, c, 1, seed + 3);
            double analytic = t.forward(x).logDet().getDouble(0);
            double brute = FlowTestKit.bruteForceLogDet(t, x, 1e-5);
            assertEquals(brute, analytic, 1e-6 * Math.max(1, Math.abs(brute)), c + " at seed " + seed);
        }
    }
}
