package io.gen4j.core.train;

import java.io.IOException;
import java.nio.file.Path;

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
}
