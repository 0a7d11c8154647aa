package io.gen4j.examples.bench;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.JsonUtils;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;

/**
 * Counts the libtorch operations a piece of code issues, with libtorch's own profiler reached through
 * DJL's PyTorch engine ({@link JniUtils#startProfile}, {@link JniUtils#stopProfile}, which writes a
 * Chrome trace). Every profiled event is an operator call; the top-level ones (not nested in another
 * event of the same thread) are the operations the caller issued (an {@code aten::linear} that calls
 * {@code aten::matmul} counts once at top level), the total counts every dispatched operator.
 */
public final class OpCounter {

    /**
     * @param topLevel operator calls not nested in another call on the same thread
     * @param total every operator call the profiler recorded
     */
    public record Counts(long topLevel, long total) {}

    /** Where to keep the traces ({@link #keepTraces}), null to delete them. */
    private static volatile String keepPrefix;
    private static final List<Path> KEPT = new ArrayList<>();

    private OpCounter() {}

    /**
     * Keeps the Chrome trace of every later {@link #count} as {@code prefix-N.json} (N = 1, 2, ... in
     * order) instead of deleting it, for a per-operator breakdown (bench/tools/optime.py).
     *
     * @param prefix the path prefix, or null to delete the traces again (the default)
     */
    public static void keepTraces(String prefix) {
        synchronized (KEPT) {
            keepPrefix = prefix;
            KEPT.clear();
        }
    }

    /** @return the traces kept so far since {@link #keepTraces}, in order */
    public static List<Path> keptTraces() {
        synchronized (KEPT) {
            return List.copyOf(KEPT);
        }
    }

    /** @return whether the engine is PyTorch, whose profiler this class uses */
    public static boolean available() {
        return "PyTorch".equals(Engine.getInstance().getEngineName());
    }

    /**
     * Runs {@code body} under libtorch's profiler and counts its operator calls.
     *
     * @param body the code to profile (its result is discarded)
     * @return the counts
     */
    public static Counts count(Runnable body) {
        Path trace;
        try {
            trace = Files.createTempFile("gen4j-bench-", ".json");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            boolean keeping;
            synchronized (KEPT) {
                keeping = keepPrefix != null;
            }
            // a kept trace (--op-trace) also records every operator's input shapes and strides
            JniUtils.startProfile(false, keeping, false);
            try {
                body.run();
            } finally {
                JniUtils.stopProfile(trace.toString());
            }
            Counts counts;
            try (Reader in = Files.newBufferedReader(trace)) {
                counts = count(JsonUtils.GSON.fromJson(in, JsonElement.class));
            }
            keep(trace);
            return counts;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                Files.deleteIfExists(trace);
            } catch (IOException ignored) {
                // a temporary file left behind is harmless
            }
        }
    }

    private static void keep(Path trace) throws IOException {
        synchronized (KEPT) {
            if (keepPrefix != null) {
                Path to = Path.of(keepPrefix + "-" + (KEPT.size() + 1) + ".json");
                Files.copy(trace, to, StandardCopyOption.REPLACE_EXISTING);
                KEPT.add(to);
            }
        }
    }

    /**
     * Counts the complete events ({@code "ph": "X"}) of a Chrome trace, given as a JSON array of events
     * or an object with a {@code traceEvents} array.
     *
     * @param trace the parsed trace
     * @return the counts
     */
    static Counts count(JsonElement trace) {
        JsonArray events = trace.isJsonArray() ? trace.getAsJsonArray()
                : trace.getAsJsonObject().getAsJsonArray("traceEvents");
        record Event(String tid, double start, double end) {}
        List<Event> list = new ArrayList<>();
        for (JsonElement e : events) {
            JsonObject o = e.getAsJsonObject();
            if (!o.has("ph") || !"X".equals(o.get("ph").getAsString())) {
                continue;
            }
            double ts = o.get("ts").getAsDouble();
            double dur = o.has("dur") ? o.get("dur").getAsDouble() : 0;
            list.add(new Event(o.has("tid") ? o.get("tid").getAsString() : "", ts, ts + dur));
        }
        list.sort(Comparator.comparing(Event::tid).thenComparingDouble(Event::start)
                .thenComparing(Comparator.comparingDouble(Event::end).reversed()));
        long top = 0;
        Deque<Double> open = new ArrayDeque<>();
        String tid = null;
        for (Event e : list) {
            if (!e.tid().equals(tid)) {
                open.clear();
                tid = e.tid();
            }
            while (!open.isEmpty() && open.peek() <= e.start()) {
                open.pop();
            }
            if (open.isEmpty()) {
                top++;
            }
            open.push(e.end());
        }
        return new Counts(top, list.size());
    }
}
