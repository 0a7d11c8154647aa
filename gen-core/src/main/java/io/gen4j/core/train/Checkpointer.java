package io.gen4j.core.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Writes a checkpoint of a run for {@link Fit}; {@code io.gen4j.core.io.CheckpointStore} is the
 * implementation that writes atomic files.
 */
@FunctionalInterface
public interface Checkpointer {

    /**
     * Saves the run after {@code completedSteps} steps.
     *
     * @param completedSteps the number of steps done; a resumed run starts at this step index
     * @return the file written
     * @throws IOException when writing fails (the previous checkpoint must stay valid)
     */
    Path save(long completedSteps) throws IOException;

    /**
     * Restores the newest valid checkpoint into the run's state (networks, optimizers, EMAs, the
     * batch source's position), for {@link Fit.Builder#optResume}. The default has nothing to
     * restore.
     *
     * @return the step count of the restored checkpoint, or empty when there is none (a fresh run)
     * @throws IOException when a checkpoint exists but does not fit the state
     */
    default OptionalLong restoreLatest() throws IOException {
        return OptionalLong.empty();
    }
}
