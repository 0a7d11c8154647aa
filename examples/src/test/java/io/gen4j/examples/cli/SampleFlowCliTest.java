package io.gen4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.io.ArrayFiles;
import io.gen4j.core.io.ModelStore;
import io.gen4j.core.model.ChunkedSampleable;
import io.gen4j.core.model.SampleOptions;
import io.gen4j.examples.testing.Cli;
import io.gen4j.flows.RealNvp;
import io.gen4j.flows.RealNvpFamily;
import io.gen4j.flows.RealNvpModel;
import io.gen4j.flows.RealNvpSpec;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gen4j sample} on a saved RealNVP of vectors, whose chunks go through the model's prepared sampler
 * (folded rotations, ActNorms and coupling masks): the same samples as the model's own {@code sample}, chunk by
 * chunk, to within rounding.
 */
class SampleFlowCliTest {

    @TempDir
    Path dir;

    @Test
    void aVectorFlowSamplesWhatItsModelSamples() throws Exception {
        RealNvp.VectorConfig config = new RealNvp.VectorConfig(2, 4, 16, 2, true, true);
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(5);
            RealNvpModel model = new RealNvpFamily().create(RealNvpSpec.vector(config), manager);
            model.flow().initializeFromData(manager.randomNormal(new Shape(256, 2)).mul(2).add(1));
            // the couplings' last layers start at zero: give every trained parameter a value
            for (var p : model.network().getParameters()) {
                if (!p.getKey().endsWith("rotation")) {
                    NDArray a = p.getValue().getArray();
                    a.set(manager.randomNormal(0f, 0.3f, a.getShape(), a.getDataType()).toFloatArray());
                }
            }
            ModelStore.save(model, dir.resolve("model"));
        }
        Path out = dir.resolve("samples.npy");
        String[] r = Cli.run("sample", "--run", dir.toString(), "-n", "150", "--chunk", "64", "--seed", "4",
                "--temperature", "0.8", "--format", "npy", "--out", out.toString());
        assertEquals("0", r[0], r[2]);
        float[] cli = ArrayFiles.read(out).toFloatArray();
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(4);
            RealNvpModel model = ModelStore.load(dir.resolve("model"), manager, RealNvpModel.class);
            SampleOptions options = SampleOptions.defaults().withTemperature(0.8);
            float[] direct = new ChunkedSampleable((m, k) -> model.sample(m, k, options), 64).sample(manager, 150)
                    .toFloatArray();
            assertEquals(300, cli.length);
            assertArrayEquals(direct, cli, 1e-4f);
        }
    }
}
