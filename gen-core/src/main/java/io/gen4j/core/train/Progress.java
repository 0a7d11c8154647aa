package io.gen4j.core.train;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * A progress line for work counted in items that is not a {@link Fit} run (samples drawn, images
 * whose features are computed), in the format of {@link ProgressBar}:
 * {@code sample 128/1000 [##------------------]  13% 45.3 /s ETA 0:00:19}.
 *
 * <p>On a terminal it redraws one line with carriage returns (at most every 0.1 s); otherwise (a log
 * file, CI) it prints a plain line each time another tenth of the total is done, so a log holds at
 * most ten lines of it. {@link #close} ends the line and prints {@code sample: 1000 in 0:00:22}
 * ({@link #stop} ends it without, when the task failed). It
 * writes only to the stream it is given: the CLI passes its stderr.
 *
 * <pre>{@code
 * try (Progress p = Progress.create(System.err, "sample", n)) {
 *     for (...) { ...; p.advance(k); }
 * }
 * }</pre>
 */
public final class Progress implements AutoCloseable {

    private static final int WIDTH = 20;
    private static final long MIN_REDRAW_NANOS = 100_000_000L;

    private final PrintWriter out;
    private final boolean interactive;
    private final String label;
    private final long total;
    private final LongSupplier clock;
    private final long start;
    private long done;
    private long lastDraw = Long.MIN_VALUE;
    private long lastTenth;
    private int lastLength;
    private boolean closed;

    /**
     * @param out where to write
     * @param interactive true to redraw one line with carriage returns (a terminal)
     * @param label what is counted, e.g. {@code sample}
     * @param total how many items make the whole, &gt;= 1
     */
    public Progress(PrintWriter out, boolean interactive, String label, long total) {
        this(out, interactive, label, total, System::nanoTime);
    }

    /**
     * @param out where to write
     * @param interactive true to redraw one line with carriage returns (a terminal)
     * @param label what is counted
     * @param total how many items make the whole, &gt;= 1
     * @param clock nanosecond clock (tests pass a fake one)
     */
    Progress(PrintWriter out, boolean interactive, String label, long total, LongSupplier clock) {
        this.out = Objects.requireNonNull(out, "out");
        this.label = Objects.requireNonNull(label, "label");
        if (total < 1) {
            throw new IllegalArgumentException("total must be >= 1, got " + total);
        }
        this.interactive = interactive;
        this.total = total;
        this.clock = clock;
        this.start = clock.getAsLong();
    }

    /**
     * A progress line that redraws itself when the JVM has a console (stdin and stdout attached to a
     * terminal) and prints a line per tenth otherwise.
     *
     * @param out where to write, e.g. {@code System.err}
     * @param label what is counted
     * @param total how many items make the whole, &gt;= 1
     * @return the progress line
     */
    public static Progress create(PrintStream out, String label, long total) {
        return create(new PrintWriter(out, true), label, total);
    }

    /**
     * @param out where to write, e.g. a command's stderr
     * @param label what is counted
     * @param total how many items make the whole, &gt;= 1
     * @return the progress line, interactive when the JVM has a console
     */
    public static Progress create(PrintWriter out, String label, long total) {
        return new Progress(out, System.console() != null, label, total);
    }

    /**
     * Counts {@code items} more as done and redraws (or prints) when due.
     *
     * @param items how many were just done, &gt;= 0
     */
    public synchronized void advance(long items) {
        if (items < 0) {
            throw new IllegalArgumentException("items must be >= 0, got " + items);
        }
        done = Math.min(total, done + items);
        long now = clock.getAsLong();
        boolean last = done == total;
        if (interactive) {
            if (!last && lastDraw != Long.MIN_VALUE && now - lastDraw < MIN_REDRAW_NANOS) {
                return;
            }
            lastDraw = now;
            String line = format(label, done, total, now - start);
            out.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
            lastLength = line.length();
            out.flush();
        } else {
            long tenth = done * 10 / total;
            if (tenth > lastTenth) {
                lastTenth = tenth;
                out.println(format(label, done, total, now - start));
                out.flush();
            }
        }
    }

    /** @return how many items are done */
    public synchronized long done() {
        return done;
    }

    /**
     * Ends a redrawn line without the summary, for a task that failed: its error message then starts
     * on a line of its own. Nothing more is printed after it.
     */
    public synchronized void stop() {
        if (!closed && interactive && lastDraw != Long.MIN_VALUE) {
            out.println();
            out.flush();
        }
        closed = true;
    }

    /** Ends the line and prints how many items took how long. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (interactive && lastDraw != Long.MIN_VALUE) {
            out.println();
        }
        out.printf(Locale.ROOT, "%s: %d in %s%n", label, done, duration((clock.getAsLong() - start) / 1e9));
        out.flush();
    }

    /**
     * Formats one progress line.
     *
     * @param label what is counted
     * @param done items done
     * @param total items in all
     * @param elapsedNanos time since the start
     * @return e.g. {@code sample 128/1000 [###-----------------]  13% 45.3 /s ETA 0:00:19}
     */
    public static String format(String label, long done, long total, long elapsedNanos) {
        double frac = (double) done / total;
        int filled = (int) Math.round(frac * WIDTH);
        double rate = elapsedNanos <= 0 ? 0 : done * 1e9 / elapsedNanos;
        double eta = rate <= 0 ? Double.NaN : (total - done) / rate;
        return String.format(Locale.ROOT, "%s %d/%d [%s%s] %3d%% %.1f /s ETA %s", label, done, total,
                "#".repeat(filled), "-".repeat(WIDTH - filled), Math.round(frac * 100), rate, duration(eta));
    }

    static String duration(double seconds) {
        if (!Double.isFinite(seconds)) {
            return "?";
        }
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
    }
}
