package io.gen4j.core.io;

import ai.djl.ndarray.types.Shape;
import io.gen4j.core.data.DatasetFormatException;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and writes tables of numbers as text: N rows of D values, e.g. 2-D points or one
 * log-likelihood per line.
 *
 * <p>Reading accepts what {@code np.savetxt} and spreadsheets write: values separated by commas
 * (spaces around them allowed) or, on lines without a comma, by whitespace; blank lines and lines
 * starting with {@code #} are skipped; the first line is a header when none of its fields is a
 * number. Numbers are decimal ({@code 1}, {@code -2.5}, {@code 3e-8}) or {@code nan}/{@code
 * inf}/{@code -inf} in any case. A field that is not a number or a row with another number of
 * columns raises a {@link DatasetFormatException} naming the file, the line and the column.
 *
 * <p>Writing produces comma-separated lines with an optional header; floats are written with the
 * shortest text that reads back to the same value, so a round trip is exact.
 */
public final class Csv {

    private static final Logger LOG = LoggerFactory.getLogger(Csv.class);
    private static final Pattern DECIMAL =
            Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern COMMA = Pattern.compile(",", Pattern.LITERAL);
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private Csv() {}

    /**
     * Reads a table.
     *
     * @param file the file
     * @return a float64 array of shape (N, D), N ≥ 1
     * @throws DatasetFormatException for a field that is not a number, a ragged row or a file
     *     without data rows
     * @throws IOException when the file cannot be read
     */
    public static NumpyArray read(Path file) throws IOException {
        double[] values = new double[1024];
        int count = 0;
        int columns = -1;
        int firstRowLine = -1;
        boolean first = true;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int lineNumber = 0;
            while ((line = in.readLine()) != null) {
                lineNumber++;
                if (lineNumber == 1 && line.startsWith("\uFEFF")) {
                    line = line.substring(1);
                }
                String content = line.strip();
                if (content.isEmpty() || content.startsWith("#")) {
                    continue;
                }
                String[] fields = split(content);
                if (first) {
                    first = false;
                    if (Arrays.stream(fields).noneMatch(f -> parse(f) != null)) {
                        LOG.debug("{}: line {} is a header: {}", file, lineNumber, content);
                        continue;
                    }
                }
                if (columns < 0) {
                    columns = fields.length;
                    firstRowLine = lineNumber;
                } else if (fields.length != columns) {
                    throw new DatasetFormatException(
                            file,
                            "line " + lineNumber + " has " + fields.length + " columns, expected "
                                    + columns + " as on line " + firstRowLine);
                }
                if (count + columns > values.length) {
                    values = Arrays.copyOf(values, Math.max(values.length * 2, count + columns));
                }
                for (int c = 0; c < fields.length; c++) {
                    Double v = parse(fields[c]);
                    if (v == null) {
                        throw new DatasetFormatException(
                                file,
                                "line " + lineNumber + ", column " + (c + 1) + ": '" + fields[c]
                                        + "' is not a number");
                    }
                    values[count++] = v;
                }
            }
        }
        if (columns < 0) {
            throw new DatasetFormatException(file, "has no data rows");
        }
        int rows = count / columns;
        LOG.debug("read {}: {} rows of {} columns", file, rows, columns);
        return NumpyArray.of(Arrays.copyOf(values, count), new Shape(rows, columns));
    }

    /**
     * Writes a vector (one value per line) or a matrix (one row per line), comma-separated.
     *
     * @param file the destination (replaced if it exists)
     * @param array shape (N) or (N, D)
     * @param header column names (D of them, or 1 for a vector), or none for no header line
     * @throws IllegalArgumentException for another rank or a header of the wrong length
     * @throws IOException when writing fails
     */
    public static void write(Path file, NumpyArray array, String... header) throws IOException {
        Shape shape = array.shape();
        if (shape.dimension() != 1 && shape.dimension() != 2) {
            throw new IllegalArgumentException(
                    "CSV holds arrays of shape (N) or (N, D), got " + shape);
        }
        int columns = shape.dimension() == 1 ? 1 : Math.toIntExact(shape.get(1));
        if (header.length != 0 && header.length != columns) {
            throw new IllegalArgumentException(
                    "header must name the " + columns + " columns, got " + header.length
                            + " names");
        }
        for (String name : header) {
            if (name.contains(",") || name.contains("\n") || name.contains("\r")) {
                throw new IllegalArgumentException(
                        "header names must not contain ',' or line breaks, got '" + name + "'");
            }
        }
        ByteBuffer b = ByteBuffer.wrap(array.littleEndianBytes()).order(ByteOrder.LITTLE_ENDIAN);
        long n = array.size();
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            if (header.length > 0) {
                out.write(String.join(",", header));
                out.write('\n');
            }
            for (long i = 0; i < n; i++) {
                out.write(format(array, b, (int) i));
                out.write((i + 1) % columns == 0 ? '\n' : ',');
            }
        }
        LOG.debug("wrote {}: {}", file, array);
    }

    private static String format(NumpyArray array, ByteBuffer b, int i) {
        return switch (array.type()) {
            case FLOAT32 -> formatFloating(b.getFloat(i * 4), Float.toString(b.getFloat(i * 4)));
            case FLOAT64 -> formatFloating(b.getDouble(i * 8), Double.toString(b.getDouble(i * 8)));
            default -> Long.toString(array.getLong(i));
        };
    }

    private static String formatFloating(double v, String shortest) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        return shortest;
    }

    private static String[] split(String content) {
        String[] fields = content.indexOf(',') >= 0
                ? COMMA.split(content, -1)
                : WHITESPACE.split(content);
        for (int i = 0; i < fields.length; i++) {
            fields[i] = fields[i].strip();
        }
        return fields;
    }

    /** @return the value, or {@code null} when the field is not a number */
    private static Double parse(String field) {
        if (DECIMAL.matcher(field).matches()) {
            return Double.parseDouble(field);
        }
        String lower = field.toLowerCase(Locale.ROOT);
        boolean negative = lower.startsWith("-");
        String body = lower.startsWith("-") || lower.startsWith("+") ? lower.substring(1) : lower;
        return switch (body) {
            case "nan" -> Double.NaN;
            case "inf", "infinity" -> negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            default -> null;
        };
    }
}
