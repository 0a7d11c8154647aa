package io.gen4j.examples.topics;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How to run a topic.
 *
 * @param profile size of the run
 * @param outputRoot folder under which the run directory is made
 * @param seed the run's seed
 * @param dataPath an explicit dataset location, tried before every other place
 */
public record TopicOptions(Profile profile, Path outputRoot, long seed, Optional<Path> dataPath) {

    /** Validates. */
    public TopicOptions {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(outputRoot, "outputRoot");
        Objects.requireNonNull(dataPath, "dataPath");
    }

    /**
     * @param profile the profile
     * @param outputRoot where run directories go
     * @return options with seed 0 and no explicit data path
     */
    public static TopicOptions of(Profile profile, Path outputRoot) {
        return new TopicOptions(profile, outputRoot, 0L, Optional.empty());
    }
}
