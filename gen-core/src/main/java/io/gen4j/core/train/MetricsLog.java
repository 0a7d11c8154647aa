package io.gen4j.core.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the metrics of every N-th step to a CSV or JSON-lines file, as a {@link FitListener}.
 *
 * <p>Each row is flushed, so a killed run keeps its log. The file is appended to when it exists
 * (a resumed run continues the same log; a CSV header is written only into an empty file). A row
 * holds, for every metric, its most recent value in the steps since the previous row, so a metric
 * that is not reported at every step (the generator of a GAN that updates every fifth step) still
 * reaches the log. The CSV columns are {@code step} and the metric names seen so far, sorted; when
 * a new name appears the file is rewritten once with the wider header (earlier rows get empty
 * cells), and a metric missing from a row is an empty cell. The {@code step} column is the number
 * of completed steps.
 */
public final class MetricsLog implements FitListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsLog.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private BufferedWriter writer;
    private final MetricsFormat format;
    private final long every;
    private final boolean fresh;
    private final Map<String, Double> pending = new LinkedHashMap<>();
    private List<String> columns;
    private boolean closed;

    /**
     * Opens (creates or appends to) the log.
     *
     * @param file the file
     * @param format CSV or JSONL
     * @param every log every this many steps, &gt; 0 (the last step is always logged)
     * @throws IOException when the file cannot be opened
     */
    public MetricsLog(Path file, MetricsFormat format, long every) throws IOException {
        if (every <= 0) {
            throw new IllegalArgumentException("every must be > 0, got " + every);
        }
        this.format = Objects.requireNonNull(format, "format");
        this.every = every;
        this.file = file;
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        this.fresh = !Files.exists(file) || Files.size(file) == 0;
        if (!fresh && format == MetricsFormat.CSV) {
            try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
                String header = lines.findFirst().orElse("");
                List<String> cols = new ArrayList<>(List.of(header.split(",")));
                cols.remove(0);
                this.columns = cols.isEmpty() || header.isEmpty() ? null : cols;
            }
        }
        this.writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /**
     * Writes one row.
     *
     * @param completedSteps the step count of the row
     * @param metrics the metric values
     * @throws IOException when writing fails
     */
    public void write(long completedSteps, Map<String, Double> metrics) throws IOException {
        if (format == MetricsFormat.JSONL) {
            ObjectNode node = JSON.createObjectNode();
            node.put("step", completedSteps);
            new TreeMap<>(metrics).forEach(node::put);
            writer.write(JSON.writeValueAsString(node));
        } else {
            if (columns == null) {
                columns = new ArrayList<>(new TreeMap<>(metrics).keySet());
                writer.write("step," + String.join(",", columns));
                writer.newLine();
            } else if (!columns.containsAll(metrics.keySet())) {
                widen(metrics.keySet());
            }
            StringBuilder sb = new StringBuilder().append(completedSteps);
            for (String c : columns) {
                Double v = metrics.get(c);
                sb.append(',');
                if (v != null) {
                    sb.append(String.format(Locale.ROOT, "%s", v));
                }
            }
            writer.write(sb.toString());
        }
        writer.newLine();
        writer.flush();
    }

    /**
     * Cuts a log back to the rows of steps up to {@code lastStep}: what a run resumed from the
     * checkpoint of that step does before it appends, so that steps run again after a crash are not
     * logged twice. A missing file is left missing.
     *
     * @param file a CSV or JSON-lines log written by this class
     * @param lastStep the completed-step count of the checkpoint resumed from
     * @throws IOException when the file cannot be read or written
     */
    public static void truncate(Path file, long lastStep) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            long step;
            if (line.startsWith("{")) {
                step = JSON.readTree(line).path("step").asLong();
            } else if (i == 0) {
                kept.add(line); // the CSV header
                continue;
            } else {
                step = Long.parseLong(line.substring(0, line.indexOf(',') < 0 ? line.length() : line.indexOf(',')));
            }
            if (step <= lastStep) {
                kept.add(line);
            }
        }
        io.gen4j.core.io.AtomicFiles.write(file, o -> o.write((String.join("\n", kept) + "\n")
                .getBytes(StandardCharsets.UTF_8)));
    }

    /** Rewrites the CSV file with the columns widened by {@code names}; earlier rows get empty cells. */
    private void widen(java.util.Set<String> names) throws IOException {
        TreeMap<String, Boolean> all = new TreeMap<>();
        columns.forEach(c -> all.put(c, true));
        names.forEach(c -> all.put(c, true));
        List<String> wider = new ArrayList<>(all.keySet());
        LOG.debug("metrics log {}: columns {} -> {}", file, columns, wider);
        writer.close();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>(lines.size());
        out.add("step," + String.join(",", wider));
        for (int i = 1; i < lines.size(); i++) {
            String[] cells = lines.get(i).split(",", -1);
            Map<String, String> byName = new java.util.HashMap<>();
            for (int c = 0; c < columns.size() && c + 1 < cells.length; c++) {
                byName.put(columns.get(c), cells[c + 1]);
            }
            StringBuilder sb = new StringBuilder(cells[0]);
            for (String c : wider) {
                sb.append(',').append(byName.getOrDefault(c, ""));
            }
            out.add(sb.toString());
        }
        io.gen4j.core.io.AtomicFiles.write(file, o -> o.write((String.join("\n", out) + "\n")
                .getBytes(StandardCharsets.UTF_8)));
        columns = wider;
        writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    @Override
    public void onStepEnd(StepEnd e) {
        long done = e.step() + 1;
        pending.putAll(e.metrics());
        if (done % every == 0 || done == e.totalSteps()) {
            try {
                write(done, pending);
            } catch (IOException ex) {
                throw new UncheckedIOException("cannot write metrics of step " + done, ex);
            }
            pending.clear();
        }
    }

    @Override
    public void onFinish(FitResult result) {
        close();
    }

    /**
     * Closes the file with the rows written so far; the metrics of the steps after the last row are not written
     * (a resume from the stop's checkpoint writes the next row as the uninterrupted run would).
     */
    @Override
    public void onStop(FitResult result) {
        close();
    }

    /** @return whether the file was empty when opened */
    public boolean startedEmpty() {
        return fresh;
    }

    /** Closes the file; later rows are an error. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            writer.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
