package io.gen4j.flows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.data.BatchOrder;
import io.gen4j.core.data.TensorBatches;
import io.gen4j.core.runtime.Seeds;
import io.gen4j.core.train.Fit;
import io.gen4j.core.train.FitResult;
import io.gen4j.core.train.TrainingRecipe;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The RealNVP presets of {@code gen4j compare} carry the values their javadoc states, and the CPU one builds,
 * initialises from data and takes three updates of its own recipe to a finite loss.
 */
class ComparisonPresetTest {

    @Test
    void theComparisonPresetsAreTheDocumentedOnes() {
        RealNvp.ImagePreset cpu = RealNvp.Presets.comparison28();
        assertEquals(new RealNvp.ImageConfig(1, 28, 28, 2, 2, 32, 1, 8, 1e-6), cpu.model());
        assertEquals(TrainingRecipe.of(200, 32, 1e-3, 1e-3 * 0.05, 0, 0), cpu.training());
        assertEquals(5e-5, cpu.training().finalLearningRate(), 1e-18);
        assertEquals(512, cpu.initializationImages());
        RealNvp.ImagePreset gpu = RealNvp.Presets.comparison28Long();
        assertEquals(new RealNvp.ImageConfig(1, 28, 28, 2, 4, 64, 4, 8, 1e-6), gpu.model());
        assertEquals(TrainingRecipe.of(30_000, 32, 1e-3, 1e-3 * 0.05, 0, 0), gpu.training());
        assertEquals(512, gpu.initializationImages());
    }

    @Test
    void theCpuPresetTrainsThreeFiniteUpdates() {
        RealNvp.ImagePreset preset = RealNvp.Presets.comparison28();
        int batch = preset.training().batchSize();
        int n = 64;
        Random random = new Random(7);
        float[] pixels = new float[n * 784];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = random.nextBoolean() ? 1f : 0f; // binary images, as the comparison's
        }
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Seeds.seedEngine(7);
            NormalizingFlow flow = RealNvp.image(preset.model());
            flow.initialize(manager, DataType.FLOAT32, new Shape(batch, 1, 28, 28));
            try (NDManager init = manager.newSubManager()) {
                flow.initializeFromData(init.create(pixels, new Shape(n, 1, 28, 28)));
            }
            FitResult r = Fit.builder()
                    .setStep(preset.training().step(new MaximumLikelihoodObjective(flow)).optName("flow").build())
                    .setSource(new TensorBatches(pixels, new long[] {1, 28, 28}, new int[n], new BatchOrder(n, batch, 7, true)))
                    .setManager(manager).optTotalSteps(3).optSeed(7).build().run();
            double loss = r.lastMetrics().get("loss");
            assertTrue(Double.isFinite(loss), "loss " + loss);
        }
    }
}
