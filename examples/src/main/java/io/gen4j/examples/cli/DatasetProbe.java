package io.gen4j.examples.cli;

import java.util.List;

/** Which datasets the resolver can find, for {@code doctor}. */
final class DatasetProbe {

    private DatasetProbe() {}

    static List<String> describe() {
        return List.of("(dataset resolver not available in this build)");
    }
}
