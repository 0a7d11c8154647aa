package io.gen4j.examples.topics;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a topic run produced.
 *
 * @param runDirectory the run's folder (config, metrics, images, report.md)
 * @param metrics the headline figures, by name
 * @param files the files written
 */
public record TopicResult(Path runDirectory, Map<String, Double> metrics, List<Path> files) {

    /** Copies the collections. */
    public TopicResult {
        metrics = Map.copyOf(metrics);
        files = List.copyOf(files);
    }
}
