package io.gen4j.diffusion.discrete;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.gen4j.core.train.TrainingRecipe;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The SEDD presets are the documented models and trainings, and a mismatched pair is refused. */
class SeddPresetTest {

    @Test
    void theCpuPresetIsTheDocumentedOne() {
        SeddPreset p = SeddPreset.characters("abcé");
        TransformerConfig n = p.sedd().network();
        assertEquals(List.of(32, 64, 2, 4, 5, 5), List.of(n.length(), n.width(), n.depth(), n.heads(),
                n.inputStates(), n.outputs()));
        assertFalse(n.causal());
        assertFalse(n.timeConditioned());
        AbsorbingProcess process = (AbsorbingProcess) p.sedd().process();
        assertEquals(4, process.tokens()); // code points, not UTF-16 units
        assertTrue(process.normalized());
        assertEquals(LogLinearNoise.complete(), p.sedd().noise());
        assertEquals(new SeddSpec.Sampling(128, SamplerKind.ANALYTIC), p.sedd().sampling());
        assertEquals(32, p.sedd().likelihoodTimes());
        assertEquals(TrainingRecipe.of(2000, 64, 4e-3, 4e-4, 100, 1), p.training());
        assertEquals(1e-3, p.tMin());
        TransformerConfig b = p.baseline().network();
        assertTrue(b.causal());
        assertEquals(List.of(32, 64, 2, 4, "abcé"), List.of(b.length(), b.width(), b.depth(), b.heads(),
                p.baseline().alphabet()));
        SeddPreset gpu = SeddPreset.charactersLong("ab");
        assertEquals(List.of(256, 384, 8, 6), List.of(gpu.sedd().network().length(), gpu.sedd().network().width(),
                gpu.sedd().network().depth(), gpu.sedd().network().heads()));
        assertEquals(TrainingRecipe.of(50_000, 64, 3e-4, 3e-4 / 10, 100, 1), gpu.training());
    }

    @Test
    void theBaselineTrainsWithTheSameBatchAndRatesForItsOwnSteps() {
        SeddPreset p = SeddPreset.characters("ab");
        assertEquals(TrainingRecipe.of(1700, 64, 4e-3, 4e-4, 100, 1), p.baselineTraining(1700));
        assertEquals(TrainingRecipe.of(300, 64, 4e-3, 4e-4, 30, 1), p.baselineTraining(300));
        TrainingRecipe other = TrainingRecipe.of(10, 8, 1e-3, 1e-4, 1, 0);
        assertEquals(other, p.withTraining(other).training());
    }

    @Test
    void mismatchedModelsAndBadValuesAreRefused() {
        SeddPreset p = SeddPreset.characters("ab");
        assertThrows(IllegalArgumentException.class, () -> new SeddPreset(p.sedd(),
                AutoregressiveTransformerSpec.of("ab", 32, 64, 1, 4), p.training(), 1e-3));
        assertThrows(IllegalArgumentException.class, () -> new SeddPreset(p.sedd(),
                AutoregressiveTransformerSpec.of("ba", 32, 64, 2, 4), p.training(), 1e-3));
        assertThrows(IllegalArgumentException.class, () -> new SeddPreset(p.sedd(), p.baseline(), p.training(), 1));
        assertThrows(IllegalArgumentException.class, () -> SeddPreset.characters(""));
    }

    @Test
    void theModelsAreBuiltFromTheSpecs() {
        SeddPreset p = SeddPreset.of("abc", 8, 16, 1, 2, 10, 4, 1e-3);
        try (NDManager m = NDManager.newBaseManager()) {
            assertEquals(p.sedd(), p.createSedd(m).spec());
            assertEquals(p.baseline(), p.createBaseline(m).spec());
        }
    }
}
