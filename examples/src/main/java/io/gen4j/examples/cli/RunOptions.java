package io.gen4j.examples.cli;

import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** Options of the commands that train (quickstart, topic): resuming and checkpoint intervals. */
public final class RunOptions {

    @Option(names = "--resume", paramLabel = "<run directory>",
            description = "Continue a killed run in its directory (its seed and settings come from its config.json): "
                    + "every training continues from its newest checkpoint and the run ends as an uninterrupted "
                    + "one would.")
    Path resume;

    @Option(names = "--checkpoint-every", paramLabel = "<steps>", defaultValue = "0",
            description = "Checkpoint every training every this many steps (default 0: a tenth of each training).")
    long checkpointEvery;

    @Option(names = "--checkpoint-minutes", paramLabel = "<minutes>", defaultValue = "5",
            converter = MinutesConverter.class,
            description = "Also checkpoint a training when this many minutes passed since its last checkpoint, "
                    + "whichever comes first (default: ${DEFAULT-VALUE}; 0: only by steps).")
    Duration checkpointTime;

    /** Checks {@code --checkpoint-minutes} when the command line is parsed. */
    static final class MinutesConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            double minutes;
            try {
                minutes = Double.parseDouble(value.trim());
            } catch (NumberFormatException e) {
                throw new TypeConversionException("expected a number of minutes >= 0, got '" + value + "'");
            }
            if (!(minutes >= 0) || minutes > 1e6) {
                throw new TypeConversionException("expected a number of minutes in [0, 1e6], got " + value.trim());
            }
            return Duration.ofMillis(Math.round(minutes * 60_000));
        }
    }

    /** @return the longest wall time between two checkpoints of a training; zero for none */
    public Duration checkpointTime() {
        return checkpointTime;
    }

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
