package io.gen4j.flows;

import ai.djl.ndarray.types.Shape;
import io.gen4j.flows.testing.FlowTransformChecks;
import io.gen4j.flows.testing.FlowTransformChecks.Inputs;
import io.gen4j.flows.testing.FlowTransformChecks.Options;
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
 * The nflows-style contract on every transform gen-flows ships, through the public kit {@link
 * FlowTransformChecks} (the same checks a user runs on a transform of their own): in float64 with
 * randomised parameters, inverse(forward(x)) = x with log-dets summing to zero, and log|det J| equal
 * to the log-determinant of a brute-force (central-difference) Jacobian. Every case runs with a few
 * fixed seeds (exhaustive generation), so the suite is deterministic.
 */
class TransformContractProperties {

    private static final Options NORMAL = Options.defaults();
    private static final Options UNIT_INTERVAL = Options.defaults().withInputs(Inputs.uniform(0.01, 0.99));
    private static final Options PIXELS = Options.defaults().withInputs(Inputs.pixels()).withBruteForceJacobian(false);

    record Case(String name, Supplier<FlowTransform> factory, Shape example, Options options) {
        @Override
        public String toString() {
            return name;
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
            new Case("ActNorm vector", ActNorm::new, new Shape(3), NORMAL),
            new Case("ActNorm image", ActNorm::new, new Shape(2, 2, 3), NORMAL),
            new Case("coupling vector checkerboard", () -> vectorCoupling(CouplingMask.CHECKERBOARD, false, 5),
                    new Shape(5), NORMAL),
            new Case("coupling vector channel flipped", () -> vectorCoupling(CouplingMask.CHANNEL, true, 4),
                    new Shape(4), NORMAL),
            new Case("coupling image checkerboard", () -> imageCoupling(CouplingMask.CHECKERBOARD, true, 1),
                    new Shape(1, 4, 4), NORMAL),
            new Case("coupling image channel", () -> imageCoupling(CouplingMask.CHANNEL, false, 4),
                    new Shape(4, 2, 2), NORMAL),
            new Case("additive coupling vector checkerboard",
                    () -> new AdditiveCoupling(CouplingMask.CHECKERBOARD, false, CouplingNets.shiftMlp(5, 8, 2)),
                    new Shape(5), NORMAL),
            new Case("additive coupling image channel flipped",
                    () -> new AdditiveCoupling(CouplingMask.CHANNEL, true, CouplingNets.shiftResidual(4, 16, 1, 4)),
                    new Shape(4, 2, 2), NORMAL),
            new Case("fixed rotation", () -> new FixedOrthogonal(3), new Shape(4), NORMAL),
            // every pairing of the prepared inverse's affine runs: diagonal after diagonal, rotation after
            // diagonal, diagonal after rotation, rotation after rotation, split by a coupling
            new Case("affine runs", () -> CompositeTransform.of(new ActNorm(), new ActNorm(), new FixedOrthogonal(5),
                    vectorCoupling(CouplingMask.CHECKERBOARD, true, 4), new FixedOrthogonal(6), new FixedOrthogonal(7),
                    new ActNorm()), new Shape(4), NORMAL),
            new Case("squeeze", Squeeze::new, new Shape(2, 4, 4), NORMAL),
            new Case("unsqueeze", Unsqueeze::new, new Shape(8, 2, 2), NORMAL),
            new Case("factor-out", () -> new FactorOut(CompositeTransform.of(new ActNorm(),
                    imageCoupling(CouplingMask.CHECKERBOARD, false, 2))), new Shape(4, 2, 2), NORMAL),
            new Case("logit", () -> new LogitTransform(0.05), new Shape(1, 3, 3), UNIT_INTERVAL),
            new Case("dequantization", UniformDequantization::new, new Shape(1, 4, 4), PIXELS),
            new Case("RealNVP vector", () -> RealNvp.vector(new RealNvp.VectorConfig(3, 4, 8, 1, true, true)).transform(),
                    new Shape(3), NORMAL),
            new Case("RealNVP vector, additive couplings", () -> RealNvp.vector(
                            new RealNvp.VectorConfig(3, 4, 8, 1, true, true), CouplingFactory.additiveMlp(8, 1)).transform(),
                    new Shape(3), NORMAL),
            new Case("RealNVP image level", () -> ((CompositeTransform) RealNvp.image(tinyImages(0.05))
                            .transform()).transforms().get(2),
                    new Shape(1, 4, 4), NORMAL),
            new Case("RealNVP image level, additive couplings", () -> ((CompositeTransform) RealNvp.image(
                            tinyImages(0.05), CouplingFactory.additiveResidual(16, 1, 4)).transform()).transforms().get(2),
                    new Shape(1, 4, 4), NORMAL),
            new Case("RealNVP image with preprocessing", () -> RealNvp.image(tinyImages(1e-6)).transform(),
                    new Shape(1, 4, 4), PIXELS));

    @Provide
    Arbitrary<Case> cases() {
        return Arbitraries.of(CASES);
    }

    @Provide
    Arbitrary<Case> jacobianCases() {
        return Arbitraries.of(CASES.stream().filter(c -> c.options().bruteForceJacobian()).toList());
    }

    @Property(generation = GenerationMode.EXHAUSTIVE)
    void inverseUndoesForward(@ForAll("cases") Case c, @ForAll @IntRange(min = 0, max = 1) int draw) {
        FlowTransformChecks.assertInverseUndoesForward(c.factory(), c.example(), c.options(), 1009L * draw + 17);
    }

    @Property(generation = GenerationMode.EXHAUSTIVE)
    void logDetMatchesBruteForceJacobian(
            @ForAll("jacobianCases") Case c, @ForAll @IntRange(min = 0, max = 1) int draw) {
        FlowTransformChecks.assertLogDetMatchesBruteForce(c.factory(), c.example(), c.options(), 7919L * draw + 3);
    }
}
