package io.gen4j.core.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The directory of one training run, {@code <root>/<name>-<yyyyMMdd-HHmmss>/}, laid out as
 *
 * <pre>
 * config.json        the run's configuration (any Jackson-serialisable object, records included)
 * metrics.csv        per-step metrics (see io.gen4j.core.train.MetricsLog)
 * checkpoints/       step-0000001000.ckpt ... (see CheckpointStore)
 * images/            sample grids and plots
 * report.md          a human-readable summary
 * </pre>
 *
 * Create a new one with {@link #create}, or {@link #open} an existing one to resume it.
 */
public final class RunDirectory {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path root;

    private RunDirectory(Path root) throws IOException {
        this.root = root;
        Files.createDirectories(checkpoints());
        Files.createDirectories(images());
    }

    /**
     * Creates {@code <parent>/<name>-<timestamp>/} (UTC) with its sub-directories; a suffix
     * {@code -2}, {@code -3}, ... is added when that directory already exists.
     *
     * @param parent the runs directory, e.g. {@code runs}
     * @param name the run's name: letters, digits, '.', '_' and '-', starting with a letter or digit
     * @param now the time stamped into the name
     * @return the run directory
     * @throws IOException when the directories cannot be created
     */
    public static RunDirectory create(Path parent, String name, Instant now) throws IOException {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("run name must match " + NAME + ", got '" + name
                    + "'");
        }
        Files.createDirectories(parent);
        String base = name + "-" + STAMP.format(now);
        for (int i = 1; ; i++) {
            Path dir = parent.resolve(i == 1 ? base : base + "-" + i);
            try {
                Files.createDirectory(dir);
                return new RunDirectory(dir);
            } catch (FileAlreadyExistsException e) {
                // try the next suffix
            }
        }
    }

    /**
     * Creates a run directory stamped with the current time.
     *
     * @param parent the runs directory
     * @param name the run's name
     * @return the run directory
     * @throws IOException when the directories cannot be created
     */
    public static RunDirectory create(Path parent, String name) throws IOException {
        return create(parent, name, Instant.now());
    }

    /**
     * Opens an existing run directory (to resume it).
     *
     * @param dir the run directory
     * @return it
     * @throws IOException when it does not exist or its sub-directories cannot be created
     */
    public static RunDirectory open(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("run directory " + dir + " does not exist");
        }
        return new RunDirectory(dir);
    }

    /** @return the run directory */
    public Path root() {
        return root;
    }

    /** @return {@code checkpoints/} */
    public Path checkpoints() {
        return root.resolve("checkpoints");
    }

    /** @return {@code images/} */
    public Path images() {
        return root.resolve("images");
    }

    /**
     * @param fileName a file name such as {@code samples-001000.png}
     * @return that file under {@code images/}
     */
    public Path image(String fileName) {
        return images().resolve(fileName);
    }

    /** @return {@code metrics.csv} */
    public Path metricsCsv() {
        return root.resolve("metrics.csv");
    }

    /** @return {@code metrics.jsonl} */
    public Path metricsJsonl() {
        return root.resolve("metrics.jsonl");
    }

    /** @return {@code config.json} */
    public Path configFile() {
        return root.resolve("config.json");
    }

    /** @return {@code report.md} */
    public Path reportFile() {
        return root.resolve("report.md");
    }

    /**
     * Serialises a configuration to JSON (records and maps included).
     *
     * @param config the configuration
     * @return the JSON text
     */
    public static String toJson(Object config) {
        try {
            return JSON.writeValueAsString(Objects.requireNonNull(config, "config"));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot serialise " + config.getClass(), e);
        }
    }

    /**
     * Writes {@code config.json}.
     *
     * @param config the configuration
     * @return the JSON written
     * @throws IOException when writing fails
     */
    public String writeConfig(Object config) throws IOException {
        String json = toJson(config);
        Files.writeString(configFile(), json + System.lineSeparator(), StandardCharsets.UTF_8);
        return json;
    }

    /**
     * @return the content of {@code config.json}
     * @throws IOException when it cannot be read
     */
    public String readConfig() throws IOException {
        return Files.readString(configFile(), StandardCharsets.UTF_8).strip();
    }

    /**
     * Replaces {@code report.md}.
     *
     * @param markdown the report
     * @throws IOException when writing fails
     */
    public void writeReport(String markdown) throws IOException {
        Files.writeString(reportFile(), markdown, StandardCharsets.UTF_8);
    }

    /**
     * Appends a section {@code ## title} with a body to {@code report.md}.
     *
     * @param title the section title
     * @param body the markdown body
     * @throws IOException when writing fails
     */
    public void appendReport(String title, String body) throws IOException {
        String section = "## " + title + "\n\n" + body.strip() + "\n\n";
        Files.writeString(reportFile(), section, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /**
     * Appends an image link (relative to the run directory) to {@code report.md}.
     *
     * @param caption the alt text
     * @param image a file under this run directory
     * @throws IOException when writing fails
     */
    public void appendImage(String caption, Path image) throws IOException {
        String rel = root.toAbsolutePath().relativize(image.toAbsolutePath()).toString()
                .replace('\\', '/');
        Files.writeString(reportFile(), "![" + caption + "](" + rel + ")\n\n",
                StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
