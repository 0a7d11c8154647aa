package io.gen4j.core.train;

/** File formats of a {@link MetricsLog}. */
public enum MetricsFormat {
    /** Comma-separated values: a header {@code step,<metric names sorted>}, then one row per log. */
    CSV,
    /** JSON lines: one object {@code {"step":..,"<metric>":..}} per line. */
    JSONL
}
