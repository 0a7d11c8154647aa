package io.gen4j.core.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.gen4j.core.io.ModelStore;
import io.gen4j.core.model.SaveableModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.function.BiFunction;

/**
 * The save/load check every model family must pass (gen4j's test kit, in gen-core's test-jar):
 * {@code ModelStore.save} then {@code ModelStore.load} gives a model of the same class with an equal
 * spec that computes bit-identical results.
 *
 * <pre>{@code
 * ModelChecks.assertSaveLoadRoundTrip(model, tempDir,
 *         (m, manager) -> ((GenerativeModel) m).sample(manager, 4, SampleOptions.defaults()));
 * }</pre>
 *
 * The family must be registered (META-INF/services/io.gen4j.core.model.ModelFamily) on the test's
 * class path.
 */
public final class ModelChecks {

    private ModelChecks() {}

    /**
     * @param model a model (its parameters in some manager)
     * @param dir an empty folder
     * @param probe what to compare: called on the model and on the loaded one with the engine seeded
     *     identically before each call, e.g. sampling, encoding or log-likelihoods of fixed data
     * @return the loaded model (owned by a manager that is closed when this method returns, so use it
     *     only for its spec)
     */
    public static SaveableModel assertSaveLoadRoundTrip(SaveableModel model, Path dir,
            BiFunction<SaveableModel, NDManager, NDArray> probe) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(12_345);
            float[] expected = probe.apply(model, manager).toType(ai.djl.ndarray.types.DataType.FLOAT32, false)
                    .toFloatArray();
            ModelStore.save(model, dir);
            SaveableModel loaded = ModelStore.load(dir, manager);
            assertEquals(model.getClass(), loaded.getClass(), "the loaded model is of another class");
            assertEquals(model.spec(), loaded.spec(), "the loaded spec differs");
            assertEquals(model.spec(), ModelStore.readSpec(dir), "the spec read back differs");
            Engine.getInstance().setRandomSeed(12_345);
            float[] actual = probe.apply(loaded, manager).toType(ai.djl.ndarray.types.DataType.FLOAT32, false)
                    .toFloatArray();
            assertArrayEquals(expected, actual, "the loaded model computes other numbers");
            return loaded;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
