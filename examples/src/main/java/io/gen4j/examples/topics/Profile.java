package io.gen4j.examples.topics;

import java.util.Locale;

/** How big a topic run is. */
public enum Profile {
    /** Seconds: tiny models and data, used by the tests to prove a topic runs end to end. */
    SMOKE,
    /** The default: the topic's time budget on a laptop CPU (minutes). */
    CPU,
    /** Paper-like sizes for a machine with a GPU. */
    GPU;

    /**
     * @param text {@code smoke}, {@code cpu} or {@code gpu}, any case
     * @return the profile
     */
    public static Profile parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("profile must be smoke, cpu or gpu, got '" + text + "'", e);
        }
    }
}
