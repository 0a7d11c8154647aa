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
 * (a resumed run continues the same log; a CSV header is written only into an empty file). The CSV
 * columns are {@code step} and the metric names of the first row, sorted; later metrics with other
 * names are left out (and logged once), missing ones are empty cells. The {@code step} column is
 * the number of completed steps.
 */
public final class MetricsLog implements FitListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsLog.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BufferedWriter writer;
    private final MetricsFormat format;
    private final long every;
    private final boolean fresh;
    private List<String> columns;
    private boolean warned;
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
                this.columns = cols;
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
            }
            if (!warned && !columns.containsAll(metrics.keySet())) {
                LOG.warn("metrics {} are not CSV columns {} and are not logged",
                        metrics.keySet(), columns);
                warned = true;
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

    @Override
    public void onStepEnd(StepEnd e) {
        long done = e.step() + 1;
        if (done % every == 0 || done == e.totalSteps()) {
            try {
                write(done, e.metrics());
            } catch (IOException ex) {
                throw new UncheckedIOException("cannot write metrics of step " + done, ex);
            }
        }
    }

    @Override
    public void onFinish(FitResult result) {
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
