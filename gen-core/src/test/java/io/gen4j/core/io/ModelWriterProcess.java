package io.gen4j.core.io;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.gen4j.core.model.DataSpec;
import io.gen4j.core.model.SaveableModel;
import java.nio.file.Path;

/**
 * A child process for {@link ModelSaveKillTest}: saves two different models (other spec, other
 * weights) into the folder given as the first argument, in turn, forever, until it is killed; each
 * is first saved once into {@code <folder>-a} and {@code <folder>-b} as references.
 */
public final class ModelWriterProcess {

    private ModelWriterProcess() {}

    /** @return model a (seed 1, scale 1) or b (seed 2, scale 2): about 7 MB of parameters each */
    static SaveableModel model(NDManager manager, int which) {
        Engine.getInstance().setRandomSeed(which);
        return new TinyMlpFamily().create(new TinyMlpFamily.Spec(300_000, which, DataSpec.vector(2)), manager);
    }

    /**
     * @param args the model folder
     * @throws Exception when writing fails
     */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        try (NDManager m = NDManager.newBaseManager()) {
            SaveableModel a = model(m, 1);
            SaveableModel b = model(m, 2);
            ModelStore.save(a, Path.of(args[0] + "-a"));
            ModelStore.save(b, Path.of(args[0] + "-b"));
            for (long i = 0; ; i++) {
                ModelStore.save(i % 2 == 0 ? a : b, dir);
            }
        }
    }
}
