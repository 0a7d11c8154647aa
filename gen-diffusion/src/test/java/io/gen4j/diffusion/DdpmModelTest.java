package io.gen4j.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.data.PixelRange;
import io.gen4j.core.io.ModelStore;
import io.gen4j.core.model.DataSpec;
import io.gen4j.core.model.GenerativeModel;
import io.gen4j.core.model.LikelihoodModel;
import io.gen4j.core.model.SampleOptions;
import io.gen4j.core.nn.UNetConfig;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ddpm family in the saved-model format: the same model, schedule and sampler come back. */
class DdpmModelTest {

    private static final UNetConfig TINY = new UNetConfig(1, 1, 8, new int[] {1, 2}, 1,
            new int[] {1}, 1, 4, 0f, 2, 0, false);

    @TempDir
    Path dir;

    private static float[] draw(GenerativeModel m, NDManager manager, SampleOptions o) {
        Engine.getInstance().setRandomSeed(3);
        return m.sample(manager, 4, o).toFloatArray();
    }

    @Test
    void aConditionalModelWithACustomScheduleComesBackAsItWas() throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            NoiseSchedule schedule = NoiseSchedule.cosine(40, 0.02); // not the default offset
            assertNotEquals(NoiseSchedule.cosine(40), schedule);
            DdpmSpec spec = new DdpmSpec(TINY, DdpmSpec.Schedule.of(schedule), Prediction.VELOCITY, 1.5,
                    DataSpec.image(1, 8, 8, PixelRange.MINUS_ONE_ONE),
                    new DdpmSpec.Sampling(10, 0.0, Spacing.TRAILING), 4);
            Engine.getInstance().setRandomSeed(1);
            DdpmModel model = new DdpmFamily().create(spec, manager);
            SampleOptions options = SampleOptions.defaults().withSteps(5).withEta(0.5).withLabel(1);
            float[] expected = draw(model, manager, options);
            NDArray x = manager.randomUniform(-1f, 1f, new Shape(3, 1, 8, 8));
            Engine.getInstance().setRandomSeed(4);
            double[] expectedLogP = model.logLikelihood(x).toDoubleArray();

            ModelStore.save(model, dir);
            Engine.getInstance().setRandomSeed(2); // other initial weights, replaced by the load
            DdpmModel loaded = ModelStore.load(dir, manager, DdpmModel.class);

            assertEquals(spec, loaded.spec());
            assertEquals(schedule, loaded.spec().noiseSchedule());
            assertArrayEquals(schedule.alphaBars(), loaded.spec().noiseSchedule().alphaBars());
            assertArrayEquals(expected, draw(loaded, manager, options));
            LikelihoodModel asLikelihood = ModelStore.load(dir, manager, LikelihoodModel.class);
            Engine.getInstance().setRandomSeed(4);
            assertArrayEquals(expectedLogP, asLikelihood.logLikelihood(x).toDoubleArray());
            assertFalse(loaded.isExact());
            for (double v : expectedLogP) {
                assertTrue(Double.isFinite(v) && v < 0, "log P of 8-bit images is negative: " + v);
            }
        }
    }

    @Test
    void aDefaultScheduleKeepsItsType() throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            UNetConfig unconditional = new UNetConfig(1, 1, 8, new int[] {1, 2}, 1, new int[] {1}, 1, 4, 0f, 0, 0,
                    true);
            DdpmModel model = new DdpmFamily().create(
                    DdpmSpec.of(unconditional, NoiseSchedule.linear(30), Prediction.EPSILON, 8, 8), manager);
            ModelStore.save(model, dir);
            DdpmSpec spec = (DdpmSpec) ModelStore.readSpec(dir);
            assertEquals(NoiseSchedule.Type.LINEAR, spec.noiseSchedule().type());
            assertEquals(NoiseSchedule.linear(30), spec.noiseSchedule());
            GenerativeModel loaded = ModelStore.load(dir, manager, GenerativeModel.class);
            assertEquals(new Shape(2, 1, 8, 8), loaded.sample(manager, 2).getShape());
        }
    }

    @Test
    void badSpecsAndOptionsAreRefused() {
        try (NDManager manager = NDManager.newBaseManager()) {
            DdpmSpec spec = DdpmSpec.of(TINY, NoiseSchedule.cosine(20), Prediction.EPSILON, 8, 8);
            DdpmModel model = new DdpmFamily().create(spec, manager);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> model.sample(manager, 2, SampleOptions.defaults().withSteps(21)));
            // linspace spacing needs at least 2 steps, so the range says [2, T]
            assertTrue(e.getMessage().contains("steps must be in [2, 20]"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> model.sample(manager, 2, SampleOptions.defaults().withSteps(1)));
            assertTrue(e.getMessage().contains("steps must be in [2, 20]") && e.getMessage().endsWith("got 1"),
                    e.getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> model.sample(manager, 2, SampleOptions.defaults().withLabel(2)));
            assertThrows(IllegalArgumentException.class, () -> new DdpmSpec(TINY, spec.schedule(),
                    Prediction.EPSILON, 1, DataSpec.image(3, 8, 8, PixelRange.MINUS_ONE_ONE), spec.sampling(), 2));
            assertThrows(IllegalArgumentException.class, () -> new DdpmSpec(TINY, spec.schedule(),
                    Prediction.EPSILON, 1, DataSpec.vector(64), spec.sampling(), 2));
        }
    }
}
