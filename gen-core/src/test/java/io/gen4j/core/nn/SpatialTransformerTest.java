package io.gen4j.core.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.gen4j.core.model.Condition;
import io.gen4j.core.testing.BlockChecks;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SpatialTransformerTest {

    private static final int C = 16;
    private static final int L = 5;
    private static final int D = 12;
    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
        Engine.getInstance().setRandomSeed(7);
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    /** A block with every parameter random (the zero-initialised output would hide the attention). */
    private SpatialTransformer randomBlock() {
        SpatialTransformer block = new SpatialTransformer(C, 2, 4);
        block.initialize(manager, DataType.FLOAT32, new Shape(2, C, 4, 4), new Shape(2, L, D));
        for (Pair<String, Parameter> p : block.getParameters()) {
            NDArray a = p.getValue().getArray();
            a.set(manager.randomNormal(0f, 0.3f, a.getShape(), DataType.FLOAT32).toFloatArray());
        }
        return block;
    }

    private NDArray run(Block block, NDArray x, NDArray context, NDArray mask) {
        return block.forward(new ParameterStore(manager, false), new NDList(x, context, mask), false).head();
    }

    @Test
    void newBlockIsTheIdentity() {
        SpatialTransformer block = new SpatialTransformer(C, 2, 4);
        block.initialize(manager, DataType.FLOAT32, new Shape(2, C, 4, 4), new Shape(2, L, D));
        NDArray x = manager.randomNormal(new Shape(2, C, 4, 4));
        NDArray out = run(block, x, manager.randomNormal(new Shape(2, L, D)), manager.ones(new Shape(2, L)));
        assertArrayEquals(x.toFloatArray(), out.toFloatArray(), 0f);
    }

    @Test
    void paddedTokensDoNotChangeTheOutput() {
        SpatialTransformer block = randomBlock();
        NDArray x = manager.randomNormal(new Shape(2, C, 4, 4));
        NDArray context = manager.randomNormal(new Shape(2, L, D));
        // example 0 has 3 real tokens, example 1 has 1
        NDArray mask = manager.create(new float[] {1, 1, 1, 0, 0, 1, 0, 0, 0, 0}, new Shape(2, L));
        NDArray before = run(block, x, context, mask);
        NDArray changed = context.duplicate();
        changed.set(new NDIndex("0, 3:"), manager.randomNormal(new Shape(2, D)).mul(100));
        changed.set(new NDIndex("1, 1:"), manager.randomNormal(new Shape(4, D)).mul(100));
        NDArray after = run(block, x, changed, mask);
        assertArrayEquals(before.toFloatArray(), after.toFloatArray(), 1e-5f);
        // the real tokens do matter: the check above is not vacuous
        NDArray real = context.duplicate();
        real.set(new NDIndex("0, 0"), manager.randomNormal(new Shape(D)).mul(3));
        NDArray moved = run(block, x, real, mask);
        assertFalse(before.get(0).allClose(moved.get(0), 1e-3, 1e-3, false));
    }

    @Test
    void outputIsInvariantToTheOrderOfKeys() {
        SpatialTransformer block = randomBlock();
        NDArray x = manager.randomNormal(new Shape(2, C, 4, 4));
        NDArray context = manager.randomNormal(new Shape(2, L, D));
        NDArray mask = manager.create(new float[] {1, 1, 0, 1, 0, 1, 1, 1, 1, 0}, new Shape(2, L));
        int[] perm = {3, 0, 4, 2, 1};
        NDArray index = manager.create(perm).toType(DataType.INT64, false);
        NDArray permutedContext = context.get(new NDIndex(":, {}", index));
        NDArray permutedMask = mask.get(new NDIndex(":, {}", index));
        NDArray expected = run(block, x, context, mask);
        NDArray actual = run(block, x, permutedContext, permutedMask);
        assertArrayEquals(expected.toFloatArray(), actual.toFloatArray(), 1e-5f);
    }

    @Test
    void probeSeesWeightsThatSumToOneOverRealTokensOnly() {
        SpatialTransformer block = randomBlock();
        List<float[]> seen = new ArrayList<>();
        block.setProbe(w -> seen.add(w.toFloatArray()));
        NDArray mask = manager.create(new float[] {1, 1, 0, 0, 0, 1, 1, 1, 1, 1}, new Shape(2, L));
        run(block, manager.randomNormal(new Shape(2, C, 4, 4)), manager.randomNormal(new Shape(2, L, D)), mask);
        assertEquals(1, seen.size());
        float[] w = seen.get(0);
        assertEquals(2 * 16 * L, w.length);
        for (int q = 0; q < 16; q++) {
            double sum = 0;
            for (int j = 0; j < L; j++) {
                sum += w[q * L + j];
            }
            assertEquals(1.0, sum, 1e-5);
            assertEquals(0.0, w[q * L + 2] + w[q * L + 3] + w[q * L + 4], 1e-7, "padding got weight");
        }
    }

    @Test
    void saveLoadRoundTripAndNoLeak() {
        NDList inputs = new NDList(manager.randomNormal(new Shape(2, C, 4, 4)),
                manager.randomNormal(new Shape(2, L, D)), manager.ones(new Shape(2, L)));
        BlockChecks.assertSaveLoadRoundTrip(manager, () -> new SpatialTransformer(C, 2, 4), inputs);
        try (NDManager model = NDManager.newBaseManager()) {
            BlockChecks.assertForwardDoesNotGrowModelManager(model, new SpatialTransformer(C, 2, 4), inputs);
        }
    }

    @Test
    void unetWithSpatialTransformersHasNoSeparateSelfAttentionAndUsesTheContext() {
        UNetConfig config = UNetConfig.builder().setImageChannels(4).optBaseChannels(16)
                .optChannelMultipliers(1, 2).optAttentionLevels(1).optGroups(4).optContextDim(D).build();
        UNet unet = new UNet(config, SpatialTransformer.factory());
        unet.initialize(manager, DataType.FLOAT32, new Shape(2, 4, 8, 8), new Shape(2));
        assertTrue(unet.getChildren().keys().stream().noneMatch(k -> k.contains("attn")),
                "separate self-attention blocks: " + unet.getChildren().keys());
        // down1, middle, and two up1 blocks
        assertEquals(4, unet.contextBlocks().size());
        assertTrue(unet.contextBlocks().stream().allMatch(b -> b instanceof SpatialTransformer));
        UNet plain = new UNet(config);
        plain.initialize(manager, DataType.FLOAT32, new Shape(2, 4, 8, 8), new Shape(2));
        assertTrue(unet.macsPerExample() > 0);
        for (Pair<String, Parameter> p : unet.getParameters()) {
            NDArray a = p.getValue().getArray();
            a.set(manager.randomNormal(0f, 0.2f, a.getShape(), DataType.FLOAT32).toFloatArray());
        }
        NDArray x = manager.randomNormal(new Shape(2, 4, 8, 8));
        NDArray t = manager.create(new float[] {3, 50});
        ParameterStore ps = new ParameterStore(manager, false);
        NDArray mask = manager.ones(new Shape(2, L));
        NDArray a = unet.forward(ps, x, t, Condition.embedding(manager.randomNormal(new Shape(2, L, D)), mask), false);
        NDArray b = unet.forward(ps, x, t, Condition.embedding(manager.randomNormal(new Shape(2, L, D)), mask), false);
        assertEquals(new Shape(2, 4, 8, 8), a.getShape());
        assertFalse(a.allClose(b, 1e-4, 1e-4, false), "the output ignores the context");
    }
}
