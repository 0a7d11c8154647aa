package io.gen4j.examples.topics;

import ai.djl.ndarray.NDManager;
import io.gen4j.core.data.BatchSource;
import io.gen4j.core.data.ImageDataset;
import io.gen4j.core.runtime.Seeds;
import io.gen4j.core.train.TrainingStep;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link ComparisonEntry} trains on and with.
 *
 * @param train the training images (binarised: every pixel 0 or 255)
 * @param profile the size of the run; each entry picks its own budget for it
 * @param run the topic run (checkpoints, metrics)
 * @param seed the run's seed
 * @param manager owns the models' parameters
 */
public record ComparisonContext(ImageDataset train, Profile profile, TopicRun run, long seed, NDManager manager) {

    /** Validates. */
    public ComparisonContext {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(manager, "manager");
    }

    /**
     * @param name the entry's name
     * @return a seed of its own for that entry
     */
    public long seedFor(String name) {
        return Seeds.derive(seed, name.hashCode());
    }

    /**
     * Runs (or resumes) one training inside the run, metrics in {@code metrics-<name>.csv}.
     *
     * @param name the training's name
     * @param step the step
     * @param source the batches
     * @param steps its length
     * @throws IOException when the log or a checkpoint cannot be written
     */
    public void fit(String name, TrainingStep step, BatchSource source, long steps) throws IOException {
        Path csv = run.directory().root().resolve("metrics-" + name + ".csv");
        run.fit(name, step, source, manager, steps, seedFor(name), csv, List.of());
    }
}
