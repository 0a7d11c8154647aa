package io.gen4j.autoregressive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gen4j.core.train.TrainingRecipe;
import org.junit.jupiter.api.Test;

/** The autoregressive presets carry the settings their docs state. */
class AutoregressivePresetsTest {

    @Test
    void madeIsTheDocumentedOne() {
        MadePreset p = MadePreset.binarized28();
        assertEquals(new MadeConfig(784, 500, 2, MadeOutput.BERNOULLI, 1, MadeOrdering.NATURAL, 1, 7), p.config());
        assertEquals(new TrainingRecipe(1500, 64, 1e-3, 5e-5, 0, 10, p.training().adam()).learningRate(),
                p.training().learningRate());
        assertEquals(1500, p.training().steps());
        assertEquals(64, p.training().batchSize());
        assertEquals(5e-5, p.training().finalLearningRate(), 1e-15);
        assertEquals(10, p.training().maxGradNorm());
        assertEquals(1000, MadePreset.binarized28Long().config().hidden());
        assertEquals(30_000, MadePreset.binarized28Long().training().steps());
        assertEquals(1024, p.withDims(1024).config().dims());
        assertEquals(500, p.withDims(1024).config().hidden());
    }

    @Test
    void pixelCnnIsTheDocumentedOne() {
        PixelCnnPreset p = PixelCnnPreset.binarized28();
        assertEquals(new PixelCnnConfig(28, 28, PixelCnnConfig.Architecture.GATED, 32, 4, 7, 3, PixelOutput.BERNOULLI, 1,
                0), p.config());
        assertEquals(500, p.training().steps());
        assertEquals(32, p.training().batchSize());
        assertEquals(2e-3, p.training().learningRate());
        assertEquals(1e-4, p.training().finalLearningRate(), 1e-15);
        assertArrayEquals(new long[] {1, 32, 32}, PixelCnnSpec.of(p.withSize(32, 32).config()).data().shape());
        assertEquals(8, PixelCnnPreset.binarized28Long().config().layers());
    }

    @Test
    void waveNetSeesTheDocumentedWindow() {
        WaveNetPreset p = WaveNetPreset.audio4k();
        // kernel 2, dilations 1, 2, ..., 128: the window is 1 + sum of the dilations samples
        int window = 1;
        for (int d = 1; d <= 128; d *= 2) {
            window += d;
        }
        assertEquals(256, window);
        assertEquals(window, p.config().receptiveField());
        assertEquals(4000, p.sampleRate());
        assertEquals(512, p.spec(512).length());
        assertEquals(16_000, WaveNetPreset.audio16k().sampleRate());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new WaveNetPreset(p.config(), 0, p.training()));
        assertEquals("sampleRate must be >= 1, got 0", e.getMessage());
    }
}
