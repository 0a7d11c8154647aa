package io.gen4j.examples.topics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/** The registry of topics, found through {@link ServiceLoader}. */
public final class Topics {

    private Topics() {}

    /** @return every registered topic, ordered by id */
    public static List<Topic> all() {
        List<Topic> topics = new ArrayList<>();
        ServiceLoader.load(Topic.class).forEach(topics::add);
        topics.sort(Comparator.comparing(Topic::id));
        return topics;
    }

    /**
     * @param id a topic id such as {@code 11-05} (the {@code 11-} may be left out)
     * @return the topic, if registered
     */
    public static Optional<Topic> find(String id) {
        String full = id.startsWith("11-") ? id : "11-" + id;
        return all().stream().filter(t -> t.id().equals(full)).findFirst();
    }
}
