package io.gen4j.examples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The bench workloads added for flow matching, PixelCNN and WaveNet: one training step updates the
 * parameters, and the sampler runs; at tiny batches (the timings are the bench command's business).
 */
class WorkloadsTest {

    private static List<float[]> parameters(Workload w) throws ReflectiveOperationException {
        java.lang.reflect.Field f = w.getClass().getDeclaredField("model");
        f.setAccessible(true);
        Object model = f.get(w);
        ai.djl.nn.Block block = (ai.djl.nn.Block) model.getClass().getMethod("network").invoke(model);
        List<float[]> values = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            values.add(p.getValue().getArray().toFloatArray());
        }
        return values;
    }

    private static void trainsAndSamples(String family, boolean sample) throws ReflectiveOperationException {
        try (Workload w = Workloads.create(family, 2); NDManager scope = NDManager.newBaseManager()) {
            assertEquals(family, w.family());
            assertEquals(2, w.batch());
            List<float[]> before = parameters(w);
            w.trainStep(scope, 0);
            List<float[]> after = parameters(w);
            boolean changed = false;
            for (int i = 0; i < before.size(); i++) {
                changed |= !Arrays.equals(before.get(i), after.get(i));
                for (float v : after.get(i)) {
                    assertTrue(Float.isFinite(v), family + " parameter " + i + " is " + v);
                }
            }
            assertTrue(changed, family + ": the training step must update the parameters");
            if (sample) {
                w.sampleStep(scope);
            }
            assertTrue(w.sampleUnits() >= 1);
            assertFalse(w.sampleUnit().isBlank());
        }
    }

    @Test
    void flowMatching() throws ReflectiveOperationException {
        trainsAndSamples("flow-matching", true);
    }

    @Test
    void pixelCnn() throws ReflectiveOperationException {
        trainsAndSamples("pixelcnn", true);
    }

    @Test
    void waveNet() throws ReflectiveOperationException {
        trainsAndSamples("wavenet", true);
    }

    @Test
    void everyFamilyIsListed() {
        assertEquals(List.of("ddpm", "vae", "realnvp", "dcgan", "flow-matching", "pixelcnn", "wavenet"),
                Workloads.FAMILIES);
    }
}
