package io.gen4j.examples.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options of the commands that train (quickstart, topic): resuming and checkpoint interval. */
public final class RunOptions {

    @Option(names = "--resume", paramLabel = "<run directory>",
            description = "Continue a killed run in its directory (its seed and settings come from its config.json): "
                    + "every training continues from its newest checkpoint and the run ends as an uninterrupted "
                    + "one would.")
    Path resume;

    @Option(names = "--checkpoint-every", paramLabel = "<steps>", defaultValue = "0",
            description = "Checkpoint every training every this many steps (default 0: a tenth of each training).")
    long checkpointEvery;

    /** @return the run directory to continue, or null for a new run */
    public Path resume() {
        return resume;
    }

    /**
     * @return the checkpoint interval, 0 for automatic
     * @throws IllegalArgumentException when negative
     */
    public long checkpointEvery() {
        if (checkpointEvery < 0) {
            throw new IllegalArgumentException("--checkpoint-every must be >= 0, got " + checkpointEvery);
        }
        return checkpointEvery;
    }
}
