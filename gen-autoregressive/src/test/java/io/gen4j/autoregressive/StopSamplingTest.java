package io.gen4j.autoregressive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.gen4j.autoregressive.PixelCnnConfig.Architecture;
import io.gen4j.core.model.DataSpec;
import io.gen4j.core.model.SampleOptions;
import io.gen4j.core.runtime.StopRequestedException;
import io.gen4j.core.runtime.StopSignal;
import io.gen4j.core.testing.BlockChecks;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The autoregressive samplers at a stop ({@link StopSignal}: Ctrl-C under the CLI): every one stops at its next
 * pixel, position or time step and leaves neither the caller's manager nor the model's with more arrays than
 * before; without a stop each leaves only its result.
 */
class StopSamplingTest {

    @AfterEach
    void withdraw() {
        StopSignal.clear();
    }

    private static void assertStopsCleanly(NDManager model, Map<String, java.util.function.Consumer<NDManager>> runs) {
        try (NDManager data = NDManager.newBaseManager()) {
            int before = BlockChecks.countManagedArrays(data);
            int modelBefore = BlockChecks.countManagedArrays(model);
            StopSignal.request("test");
            for (Map.Entry<String, java.util.function.Consumer<NDManager>> run : runs.entrySet()) {
                assertThrows(StopRequestedException.class, () -> run.getValue().accept(data), run.getKey());
                assertEquals(before, BlockChecks.countManagedArrays(data), run.getKey() + ": the caller's manager");
                assertEquals(modelBefore, BlockChecks.countManagedArrays(model), run.getKey() + ": the model's");
            }
            StopSignal.clear();
            for (Map.Entry<String, java.util.function.Consumer<NDManager>> run : runs.entrySet()) {
                // once the request is withdrawn each samples again, leaving only its result
                run.getValue().accept(data);
                assertEquals(before + 1, BlockChecks.countManagedArrays(data), run.getKey() + " after the stop");
                data.getManagedArrays().forEach(a -> a.close());
            }
        }
    }

    @Test
    void pixelCnnSamplers() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(3);
            PixelCnnModel m = PixelCnnModel.create(PixelCnnSpec.of(new PixelCnnConfig(4, 4, Architecture.GATED, 8, 1,
                    5, 3, PixelOutput.LOGISTIC_MIXTURE, 2, 0)), manager);
            Map<String, java.util.function.Consumer<NDManager>> runs = new LinkedHashMap<>();
            for (PixelCnnSampler s : PixelCnnSampler.values()) {
                runs.put(s.toString(), d -> m.sample(d, 2, SampleOptions.defaults(), s));
            }
            assertStopsCleanly(manager, runs);
        }
    }

    @Test
    void madeSampler() {
        try (NDManager manager = NDManager.newBaseManager()) {
            MadeConfig config = new MadeConfig(6, 12, 2, MadeOutput.GAUSSIAN_MIXTURE, 2, MadeOrdering.ORDER_AGNOSTIC,
                    2, 4);
            MadeModel m = MadeModel.create(new MadeSpec(config, DataSpec.vector(6)), manager);
            assertStopsCleanly(manager, Map.of("MADE", d -> m.sample(d, 3, SampleOptions.defaults())));
        }
    }

    @Test
    void waveNetGenerators() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(4);
            WaveNetModel m = WaveNetModel.create(WaveNetSpec.of(new WaveNetConfig(4, 8, 3, 1, 2, 256), 8000, 24),
                    manager);
            Map<String, java.util.function.Consumer<NDManager>> runs = new LinkedHashMap<>();
            runs.put("cached", d -> m.sample(d, 2, 30, 1.0, true));
            runs.put("naive", d -> m.sample(d, 2, 30, 1.0, false));
            assertStopsCleanly(manager, runs);
        }
    }
}
