package io.gen4j.gans;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.data.PixelRange;
import io.gen4j.core.model.DataSpec;
import io.gen4j.core.train.EmaConfig;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The presets are valid, build a working training step, and their copies change only what they say. */
class GanPresetTest {

    @BeforeEach
    void seeded() {
        Engine.getInstance().setRandomSeed(487);
    }

    @Test
    void everyPresetBuildsAModelWhoseStepRunsAndReportsBothPlayers() {
        GanPreset[] presets = {GanPreset.ring2d(), GanPreset.ring2dWganGp(), GanPreset.dcganFashionMnist(),
            GanPreset.dcganFashionMnistHingeSpectralNorm(), GanPreset.dcganFashionMnistWganGp(),
            GanPreset.conditionalFashionMnist(Conditioning.CONCAT),
            GanPreset.conditionalFashionMnist(Conditioning.PROJECTION), GanPreset.comparison28()};
        for (GanPreset p : presets) {
            try (NDManager m = NDManager.newBaseManager()) {
                GanModel model = GanModel.create(p.spec(), m);
                GanTraining.Step step = p.training().step(model);
                long[] shape = p.spec().data().shape();
                long[] batch = new long[shape.length + 1];
                batch[0] = 4;
                System.arraycopy(shape, 0, batch, 1, shape.length);
                NDList data = new NDList(m.randomUniform(-1, 1, new Shape(batch)));
                if (model.isConditional()) {
                    data.add(m.create(new int[] {0, 1, 2, 9}));
                }
                long last = p.training().criticSteps() - 1; // the generator updates at this step
                Map<String, Double> metrics = step.step(data, last);
                assertTrue(metrics.containsKey("discriminator.loss") && metrics.containsKey("generator.loss"),
                        p + ": " + metrics.keySet());
                assertEquals(p.training().ema() != null, step.generatorEma() != null, p.toString());
            }
        }
    }

    @Test
    void theDcganPresetsDifferOnlyInLossPenaltyBetasAndSpectralNorm() {
        GanPreset ns = GanPreset.dcganFashionMnist();
        GanPreset hinge = GanPreset.dcganFashionMnistHingeSpectralNorm();
        GanPreset gp = GanPreset.dcganFashionMnistWganGp();
        assertEquals(new NonSaturatingLoss(), ns.training().loss());
        assertNull(ns.training().penalty());
        assertEquals(new HingeLoss(), hinge.training().loss());
        assertTrue(hinge.spec().spectralNorm() && !ns.spec().spectralNorm() && !gp.spec().spectralNorm());
        assertEquals(new WassersteinLoss(), gp.training().loss());
        assertEquals(GradientPenalty.defaults(), gp.training().penalty());
        assertEquals(0.0, gp.training().beta1());
        assertEquals(ns.training().withLoss(gp.training().loss(), gp.training().penalty()).withBetas(0, 0.9),
                gp.training());
        assertEquals(ns.spec(), hinge.spec().withSpectralNorm(false));
        assertEquals(DataSpec.image(1, 28, 28, PixelRange.MINUS_ONE_ONE), ns.spec().data());
    }

    @Test
    void theComparisonPresetsAreTheDocumentedOnes() {
        GanPreset cpu = GanPreset.comparison28();
        assertEquals(GanSpec.dcgan(64, 32, 2, 1, 28, 28), cpu.spec());
        assertEquals(new GanRecipe(1500, 64, GanLoss.nonSaturating(), null, 1, 2e-4, 2e-4, 0.5, 0.999,
                new EmaConfig(0.999, true)), cpu.training());
        GanPreset gpu = GanPreset.comparison28Long();
        assertEquals(GanSpec.dcgan(128, 64, 2, 1, 28, 28), gpu.spec());
        assertEquals(cpu.training().withSteps(30_000), gpu.training());
    }

    @Test
    void copiesChangeOnlyWhatTheySay() {
        GanRecipe r = GanPreset.ring2dWganGp().training();
        GanRecipe shorter = r.withSteps(10).withBatchSize(8);
        assertEquals(10, shorter.steps());
        assertEquals(8, shorter.batchSize());
        assertEquals(r, shorter.withSteps(r.steps()).withBatchSize(r.batchSize()));
        assertEquals(5, r.criticSteps());
        GanSpec wide = GanPreset.dcganFashionMnist().spec().withData(DataSpec.image(1, 32, 32, PixelRange.MINUS_ONE_ONE));
        assertEquals(32, wide.data().shape()[2]);
    }

    @Test
    void badValuesAreRefusedWithTheValue() {
        GanRecipe r = GanRecipe.dcgan(100, 64, 2e-4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.withSteps(0));
        assertTrue(e.getMessage().contains("got 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> r.withBetas(1.0, 0.9));
        assertTrue(e.getMessage().contains("1.0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> r.withLearningRates(-1, 1e-4));
        assertTrue(e.getMessage().contains("-1.0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> r.withCriticSteps(0));
        assertTrue(e.getMessage().contains("got 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> GanPreset.conditionalFashionMnist(Conditioning.NONE));
        assertTrue(e.getMessage().contains("NONE"), e.getMessage());
        // a DCGAN of depth 2 needs H and W divisible by 4
        assertThrows(IllegalArgumentException.class, () -> GanPreset.dcganFashionMnist().spec()
                .withData(DataSpec.image(1, 30, 30, PixelRange.MINUS_ONE_ONE)));
    }
}
