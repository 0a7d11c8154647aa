package io.gen4j.examples.cli;

import io.gen4j.core.data.DatasetResolver;
import java.util.List;

/** Which datasets the resolver can find, for {@code doctor}. */
final class DatasetProbe {

    private DatasetProbe() {}

    static List<String> describe() {
        return DatasetResolver.defaults().describe().lines().map(String::strip).toList();
    }
}
