package io.gen4j.core.train;

import java.io.IOException;

/**
 * Something {@link Fit} runs every N steps to look at the model: typically sampling a grid of
 * images (with EMA weights swapped in) and writing it as a PNG.
 */
@FunctionalInterface
public interface SampleCallback {

    /**
     * @param completedSteps the number of steps done
     * @throws IOException when writing the samples fails
     */
    void sample(long completedSteps) throws IOException;
}
