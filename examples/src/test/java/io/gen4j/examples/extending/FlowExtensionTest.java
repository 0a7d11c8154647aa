package io.gen4j.examples.extending;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import io.gen4j.core.nn.Activation;
import io.gen4j.flows.CouplingFactory;
import io.gen4j.flows.CouplingMask;
import io.gen4j.flows.CouplingNets;
import io.gen4j.flows.FlowTransform;
import io.gen4j.flows.NormalizingFlow;
import io.gen4j.flows.RealNvp;
import io.gen4j.flows.testing.FlowTransformChecks;
import java.util.Objects;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/**
 * Extending flows (docs/extending.md): a new element-wise {@link FlowTransform} (a leaky-ReLU
 * bijection with a learned slope) and a new coupling plugged into RealNVP through a {@link
 * CouplingFactory} (Glow's sigmoid-scaled affine coupling), both checked with the transform contract
 * kit {@link FlowTransformChecks}. Public API only.
 */
class FlowExtensionTest {

    @BeforeEach
    void seeded() {
        Engine.getInstance().setRandomSeed(32);
    }

    // ------------------------------------------------------------------ an element-wise bijection

    /**
     * y = x for x ≥ 0 and y = α·x for x &lt; 0, α = e^a with a learned scalar a (the leaky-ReLU
     * flow layer of nflows): log|det ∂y/∂x| = a · #{x_i &lt; 0}, and the inverse divides the negative
     * coordinates by α. Any shape.
     */
    public static final class LeakyReluBijection extends FlowTransform {

        private final Parameter logSlope;

        /** Starts at slope α = 0.5. */
        public LeakyReluBijection() {
            super((byte) 1);
            logSlope = addParameter(Parameter.builder().setName("logSlope").setType(Parameter.Type.OTHER)
                    .optShape(new Shape(1)).optInitializer(new ConstantInitializer((float) Math.log(0.5))).build());
        }

        private Transformed scale(ParameterStore ps, NDArray in, boolean training, double sign) {
            // local(...) keeps parameter arithmetic out of the model's manager (docs/memory.md rule 1)
            NDArray a = local(in, ps.getValue(logSlope, in.getDevice(), training));
            NDArray logScale = in.lt(0).toType(in.getDataType(), false).mul(a).mul(sign);
            return new Transformed(in.mul(logScale.exp()), sumPerExample(logScale));
        }

        @Override
        public Transformed forward(ParameterStore ps, NDArray x, boolean training) {
            return scale(ps, x, training, 1);
        }

        @Override
        public Transformed inverse(ParameterStore ps, NDArray y, boolean training) {
            return scale(ps, y, training, -1); // α > 0 keeps the sign, so y < 0 exactly where x < 0
        }
    }

    /** A bug the kit must catch: y = 2x reported as volume-preserving (round trip and log-dets still agree). */
    static final class ClaimsToPreserveVolume extends FlowTransform {
        ClaimsToPreserveVolume() {
            super((byte) 1);
        }

        @Override
        public Transformed forward(ParameterStore ps, NDArray x, boolean training) {
            return new Transformed(x.mul(2), zeroLogDet(x));
        }

        @Override
        public Transformed inverse(ParameterStore ps, NDArray y, boolean training) {
            return new Transformed(y.div(2), zeroLogDet(y));
        }
    }

    @Test
    void theLeakyReluBijectionMeetsTheContract() {
        FlowTransformChecks.assertContract(LeakyReluBijection::new, new Shape(3));
        FlowTransformChecks.assertContract(LeakyReluBijection::new, new Shape(2, 2, 2));
    }

    @Test
    void theKitCatchesAWrongLogDetThatIsSelfConsistent() {
        FlowTransformChecks.Options options = FlowTransformChecks.Options.defaults();
        // inverse(forward(x)) = x and the two log-dets cancel ...
        FlowTransformChecks.assertInverseUndoesForward(ClaimsToPreserveVolume::new, new Shape(3), options, 1);
        // ... but the brute-force Jacobian says log|det J| = 3 log 2, not 0
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> FlowTransformChecks.assertLogDetMatchesBruteForce(ClaimsToPreserveVolume::new, new Shape(3),
                        options, 1));
        assertTrue(e.getMessage().contains("brute-force Jacobian"), e.getMessage());
    }

    // ------------------------------------------------------------------ a coupling for RealNVP

    /**
     * Glow's affine coupling (Kingma &amp; Dhariwal 2018, "Glow", table 1 and its code): the net sees
     * the masked half b ⊙ x and outputs a shift t and a raw scale h; with s = sigmoid(h + 2),
     *
     * <pre>
     *   y = b ⊙ x + (1 − b) ⊙ (x + t) ⊙ s,     log|det ∂y/∂x| = Σ (1 − b) ⊙ log s
     * </pre>
     *
     * The sigmoid keeps every scale in (0, 1) (never an exploding exp) and starts near 0.88 with a
     * zero-initialised net.
     */
    public static final class GlowCoupling extends FlowTransform {

        private final CouplingMask mask;
        private final boolean flipped;
        private final Block net;

        /**
         * @param mask which coordinates condition
         * @param flipped whether the mask is flipped
         * @param net conditioner (N, C, ...) → (N, 2C, ...): shift, then raw scale
         */
        public GlowCoupling(CouplingMask mask, boolean flipped, Block net) {
            super((byte) 1);
            this.mask = Objects.requireNonNull(mask, "mask");
            this.flipped = flipped;
            this.net = addChildBlock("net", Objects.requireNonNull(net, "net"));
        }

        /** @return (b, t, log s), the last two zero on the conditioning half */
        private NDArray[] parts(ParameterStore ps, NDArray in, boolean training) {
            NDArray b = mask.build(in.getManager(), in.getShape().slice(1), flipped, in.getDataType());
            NDArray free = b.neg().add(1);
            NDList shiftAndScale = net.forward(ps, new NDList(in.mul(b)), training).head().split(2, 1);
            NDArray shift = shiftAndScale.get(0).mul(free);
            NDArray logScale = Activation.SOFTPLUS.apply(shiftAndScale.get(1).add(2).neg()).neg().mul(free);
            return new NDArray[] {shift, logScale};
        }

        @Override
        public Transformed forward(ParameterStore ps, NDArray x, boolean training) {
            NDArray[] p = parts(ps, x, training);
            return new Transformed(x.add(p[0]).mul(p[1].exp()), sumPerExample(p[1]));
        }

        @Override
        public Transformed inverse(ParameterStore ps, NDArray y, boolean training) {
            NDArray[] p = parts(ps, y, training);
            return new Transformed(y.mul(p[1].neg().exp()).sub(p[0]), sumPerExample(p[1]).neg());
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            mask.validate(inputShapes[0].slice(1));
            net.initialize(manager, dataType, inputShapes[0]);
        }
    }

    /** Glow couplings with RealNVP's MLP conditioners. */
    static final CouplingFactory GLOW = (mask, flipped, channels, index) ->
            new GlowCoupling(mask, flipped, CouplingNets.mlp(channels, 16, 1));

    @Test
    void theGlowCouplingMeetsTheContract() {
        FlowTransformChecks.assertContract(() -> GLOW.create(CouplingMask.CHECKERBOARD, false, 5, 0), new Shape(5));
        FlowTransformChecks.assertContract(() -> GLOW.create(CouplingMask.CHANNEL, true, 4, 1), new Shape(4));
    }

    /** RealNVP places the couplings; the whole flow of Glow couplings meets the contract too. */
    @Test
    void aRealNvpFlowOfGlowCouplingsMeetsTheContractAndComputesLikelihoods() {
        RealNvp.VectorConfig config = new RealNvp.VectorConfig(3, 4, 8, 1, true, true);
        FlowTransformChecks.assertContract(() -> RealNvp.vector(config, GLOW).transform(), new Shape(3));
        try (NDManager manager = NDManager.newBaseManager()) {
            NormalizingFlow flow = RealNvp.vector(config, GLOW);
            flow.initialize(manager, DataType.FLOAT64, new Shape(4, 3));
            NDArray x = manager.randomNormal(0, 1, new Shape(4, 3), DataType.FLOAT64);
            flow.initializeFromData(x.mul(2).add(1)); // ActNorm: zero mean, unit variance on a batch
            // change of variables: log p(x) = log N(f(x); 0, I) + log|det ∂f/∂x|
            var z = flow.transform().forward(x);
            NDArray expected = z.value().square().sum(new int[] {1}).add(3 * Math.log(2 * Math.PI)).mul(-0.5)
                    .add(z.logDet());
            assertEquals(0.0, flow.logLikelihood(x).sub(expected).abs().max().getDouble(), 1e-12);
        }
    }
}
