package io.gen4j.flows;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.io.ModelStore;
import io.gen4j.core.model.DataSpec;
import io.gen4j.core.model.GenerativeModel;
import io.gen4j.core.model.PreparedSampler;
import io.gen4j.core.model.SampleOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The realnvp family in the saved-model format: the same flow comes back, ActNorm included. */
class RealNvpModelTest {

    @TempDir
    Path dir;

    private static void roundTrip(RealNvpSpec spec, NDArray data, Path dir) throws IOException {
        NDManager manager = data.getManager();
        RealNvpModel model = new RealNvpFamily().create(spec, manager);
        model.flow().initializeFromData(data);
        Engine.getInstance().setRandomSeed(5);
        float[] samples = model.sample(manager, 6, SampleOptions.defaults().withTemperature(0.7)).toFloatArray();
        float[] logP = model.logLikelihood(data).toFloatArray();
        ModelStore.save(model, dir);

        RealNvpModel loaded = ModelStore.load(dir, manager, RealNvpModel.class); // no data-initialisation
        assertEquals(spec, loaded.spec());
        GenerativeModel generative = ModelStore.load(dir, manager, GenerativeModel.class);
        Engine.getInstance().setRandomSeed(5);
        assertArrayEquals(samples,
                generative.sample(manager, 6, SampleOptions.defaults().withTemperature(0.7)).toFloatArray());
        assertArrayEquals(logP, loaded.logLikelihood(data).toFloatArray());
        assertTrue(loaded.isExact());
        // the prepared sampler of the loaded model: the same draws, mapped back by the folded inverse
        Engine.getInstance().setRandomSeed(5);
        try (PreparedSampler sampler = generative.prepareSampler(manager,
                SampleOptions.defaults().withTemperature(0.7))) {
            assertArrayEquals(samples, sampler.sample(manager, 6).toFloatArray(), 1e-5f);
        }
    }

    @Test
    void vectorFlowsComeBack() throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray moons = FlowTestKit.moons(manager, 256, new Random(2));
            RealNvp.VectorConfig config = new RealNvp.VectorConfig(2, 3, 16, 2, true, true);
            roundTrip(RealNvpSpec.vector(config), moons, dir.resolve("affine"));
            roundTrip(RealNvpSpec.vector(config).withCoupling(RealNvpSpec.Coupling.ADDITIVE), moons,
                    dir.resolve("additive"));
        }
    }

    @Test
    void imageFlowsComeBack() throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray images = manager.randomInteger(0, 256, new Shape(4, 1, 4, 4), ai.djl.ndarray.types.DataType.INT32)
                    .toType(ai.djl.ndarray.types.DataType.FLOAT32, false).div(255f);
            RealNvp.ImageConfig config = new RealNvp.ImageConfig(1, 4, 4, 2, 1, 8, 1, 4, 1e-6);
            roundTrip(RealNvpSpec.image(config), images, dir);
        }
    }

    @Test
    void aSpecWhoseDataDoNotFitIsRefused() {
        RealNvp.VectorConfig config = new RealNvp.VectorConfig(2, 3, 16, 2, true, true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RealNvpSpec(config, null, RealNvpSpec.Coupling.AFFINE, DataSpec.vector(3)));
        assertTrue(e.getMessage().contains("data must be"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new RealNvpSpec(null, null, RealNvpSpec.Coupling.AFFINE, DataSpec.vector(2)));
    }
}
