package io.gen4j.core.train;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A console progress bar as a {@link FitListener}:
 * {@code step 120/1000 [##------------------]  12% 45.3 it/s ETA 0:00:19 loss=0.1234}.
 *
 * <p>On a terminal it redraws one line with carriage returns (at most every
 * {@code minRedrawNanos}); otherwise (a log file, CI) it prints a plain line every {@code
 * lineEvery} steps. It writes only to the stream it is given: the CLI passes {@code System.err}.
 */
public final class ProgressBar implements FitListener {

    private static final int WIDTH = 20;
    private static final int MAX_METRICS = 4;

    private final PrintWriter out;
    private final boolean interactive;
    private final long lineEvery;
    private final long minRedrawNanos;
    private long lastDraw = Long.MIN_VALUE;
    private int lastLength;

    /**
     * @param out where to write
     * @param interactive true to redraw one line with carriage returns (a terminal)
     * @param lineEvery when not interactive, print a line every this many steps, &gt; 0
     */
    public ProgressBar(PrintStream out, boolean interactive, long lineEvery) {
        this(new PrintWriter(Objects.requireNonNull(out, "out"), true), interactive, lineEvery);
    }

    /**
     * @param out where to write, e.g. a command's stderr
     * @param interactive true to redraw one line with carriage returns (a terminal)
     * @param lineEvery when not interactive, print a line every this many steps, &gt; 0
     */
    public ProgressBar(PrintWriter out, boolean interactive, long lineEvery) {
        this.out = Objects.requireNonNull(out, "out");
        if (lineEvery <= 0) {
            throw new IllegalArgumentException("lineEvery must be > 0, got " + lineEvery);
        }
        this.interactive = interactive;
        this.lineEvery = lineEvery;
        this.minRedrawNanos = 100_000_000L;
    }

    /**
     * A bar that is interactive when the JVM has a console (stdin/stdout attached to a terminal),
     * and prints a line every 100 steps otherwise.
     *
     * @param out where to write, e.g. {@code System.err}
     * @return the bar
     */
    public static ProgressBar create(PrintStream out) {
        return new ProgressBar(out, System.console() != null, 100);
    }

    /**
     * @param out where to write, e.g. a command's stderr
     * @param lineEvery when there is no console, print a line every this many steps, &gt; 0
     * @return a bar that is interactive when the JVM has a console
     */
    public static ProgressBar create(PrintWriter out, long lineEvery) {
        return new ProgressBar(out, System.console() != null, lineEvery);
    }

    @Override
    public void onStepEnd(StepEnd e) {
        boolean last = e.step() + 1 == e.totalSteps();
        if (interactive) {
            long now = System.nanoTime();
            if (!last && lastDraw != Long.MIN_VALUE && now - lastDraw < minRedrawNanos) {
                return;
            }
            lastDraw = now;
            String line = format(e);
            int pad = Math.max(0, lastLength - line.length());
            out.print("\r" + line + " ".repeat(pad));
            lastLength = line.length();
            out.flush();
        } else if ((e.step() + 1) % lineEvery == 0 || last) {
            out.println(format(e));
            out.flush();
        }
    }

    @Override
    public void onFinish(FitResult result) {
        if (interactive) {
            out.println();
        }
        out.printf(Locale.ROOT, "done: %d steps in %s%n", result.endStep() - result.startStep(),
                duration(result.elapsedNanos() / 1e9));
        out.flush();
    }

    @Override
    public void onStop(FitResult result) {
        if (interactive) {
            out.println();
        }
        out.printf(Locale.ROOT, "interrupted at step %d: %d steps in %s%s%n", result.endStep(),
                result.endStep() - result.startStep(), duration(result.elapsedNanos() / 1e9),
                result.lastCheckpoint().map(p -> ", checkpoint written").orElse(""));
        out.flush();
    }

    /**
     * Formats one progress line.
     *
     * @param e the step event
     * @return the line, without line terminator
     */
    public static String format(StepEnd e) {
        long done = e.step() + 1;
        double frac = e.totalSteps() == 0 ? 1.0 : (double) done / e.totalSteps();
        int filled = (int) Math.round(frac * WIDTH);
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "step %d/%d [%s%s] %3d%% %.1f it/s ETA %s",
                done, e.totalSteps(), "#".repeat(filled), "-".repeat(WIDTH - filled),
                Math.round(frac * 100), e.stepsPerSecond(), duration(e.etaSeconds())));
        int shown = 0;
        for (Map.Entry<String, Double> m : new java.util.TreeMap<>(e.metrics()).entrySet()) {
            if (shown++ == MAX_METRICS) {
                break;
            }
            sb.append(String.format(Locale.ROOT, " %s=%.4g", m.getKey(), m.getValue()));
        }
        return sb.toString();
    }

    private static String duration(double seconds) {
        if (!Double.isFinite(seconds)) {
            return "?";
        }
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
    }
}
