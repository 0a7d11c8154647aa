package io.gen4j.flows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import io.gen4j.flows.testing.FlowTransformChecks;

/** RealNvp's coupling factory seam and the image config's builder and JSON form. */
class RealNvpTest {

    /** One call of a {@link CouplingFactory}. */
    record Call(CouplingMask mask, boolean flipped, int channels, int index) {}

    /** Records the calls and delegates to the affine default. */
    private static CouplingFactory recording(List<Call> calls, CouplingFactory delegate) {
        return (mask, flipped, channels, index) -> {
            calls.add(new Call(mask, flipped, channels, index));
            return delegate.create(mask, flipped, channels, index);
        };
    }

    @Test
    void vectorFlowAsksTheFactoryForEveryCouplingWithAlternatingMasks() {
        List<Call> calls = new ArrayList<>();
        RealNvp.vector(new RealNvp.VectorConfig(3, 3, 8, 1, true, false), recording(calls, CouplingFactory.affineMlp(8, 1)));
        assertEquals(List.of(new Call(CouplingMask.CHECKERBOARD, false, 3, 0), new Call(CouplingMask.CHECKERBOARD, true, 3, 1),
                new Call(CouplingMask.CHECKERBOARD, false, 3, 2)), calls);
    }

    @Test
    void imageFlowAsksTheFactoryPerScaleWithTheChannelsThere() {
        List<Call> calls = new ArrayList<>();
        RealNvp.ImageConfig config = RealNvp.ImageConfig.builder().setImageShape(1, 4, 4).optCouplings(1).optHidden(16)
                .optResBlocks(1).optGroups(4).build();
        RealNvp.image(config, recording(calls, CouplingFactory.affineResidual(16, 1, 4)));
        // level 1 (1×4×4): checkerboard; squeeze to 4×2×2: channel; factor out 2×2×2, last level: 2 checkerboards
        assertEquals(List.of(new Call(CouplingMask.CHECKERBOARD, false, 1, 0), new Call(CouplingMask.CHANNEL, false, 4, 1),
                new Call(CouplingMask.CHECKERBOARD, false, 2, 2), new Call(CouplingMask.CHECKERBOARD, true, 2, 3)), calls);
    }

    @Test
    void defaultFlowsAreTheAffineFactorysFlows() {
        RealNvp.VectorConfig config = new RealNvp.VectorConfig(4, 2, 8, 2, true, true);
        assertEquals(parameterShapes(RealNvp.vector(config).transform(), new Shape(2, 4)),
                parameterShapes(RealNvp.vector(config, CouplingFactory.affineMlp(8, 2)).transform(), new Shape(2, 4)));
        assertTrue(RealNvp.vector(config).transform().toString().contains("AffineCoupling"));
        assertTrue(RealNvp.vector(config, CouplingFactory.additiveMlp(8, 2)).transform().toString()
                .contains("AdditiveCoupling"));
    }

    private static List<String> parameterShapes(FlowTransform t, Shape input) {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            t.initialize(m, DataType.FLOAT32, input);
            List<String> out = new ArrayList<>();
            for (Pair<String, ai.djl.nn.Parameter> p : t.getParameters()) {
                out.add(p.getKey() + p.getValue().getArray().getShape());
            }
            return out;
        }
    }

    @Test
    void additiveCouplingsPreserveVolume() {
        Engine.getInstance().setRandomSeed(3);
        NormalizingFlow flow = RealNvp.vector(new RealNvp.VectorConfig(4, 3, 8, 1, false, true),
                CouplingFactory.additiveMlp(8, 1));
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            flow.transform().initialize(m, DataType.FLOAT64, new Shape(5, 4));
            FlowTransformChecks.randomizeParameters(flow.transform(), m, 0.5, 11);
            NDArray x = FlowTestKit.normal(m, new Shape(5, 4), 12);
            var f = flow.transform().forward(x);
            assertEquals(0.0, f.logDet().abs().max().getDouble(), 0.0, "rotations and additive couplings keep volume");
            assertTrue(f.value().sub(x).abs().max().getDouble() > 1e-3, "the randomised flow is not the identity");
        }
    }

    @Test
    void aFactoryReturningNullIsNamed() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> RealNvp.vector(RealNvp.VectorConfig.defaults(), (mask, flipped, dims, index) -> null));
        assertTrue(e.getMessage().contains("coupling 0"), e.getMessage());
    }

    @Test
    void imageConfigBuilderDefaultsAndJsonRoundTrip() throws Exception {
        assertEquals(new RealNvp.ImageConfig(1, 28, 28, 2, 3, 64, 2, 8, 1e-6), RealNvp.ImageConfig.defaults());
        RealNvp.ImageConfig c = RealNvp.ImageConfig.builder().setImageShape(3, 32, 32).optScales(3).optCouplings(4)
                .optHidden(96).optResBlocks(3).optGroups(16).optLogitAlpha(0.05).build();
        assertEquals(new RealNvp.ImageConfig(3, 32, 32, 3, 4, 96, 3, 16, 0.05), c);
        assertEquals(c, c.toBuilder().build());
        ObjectMapper json = new ObjectMapper();
        String text = json.writeValueAsString(c);
        assertEquals("{\"channels\":3,\"height\":32,\"width\":32,\"scales\":3,\"couplings\":4,\"hidden\":96,"
                + "\"resBlocks\":3,\"groups\":16,\"logitAlpha\":0.05}", text);
        assertEquals(c, json.readValue(text, RealNvp.ImageConfig.class));
    }
}
