package io.gen4j.core.io;

import ai.djl.ndarray.types.Shape;
import io.gen4j.core.data.DatasetFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The header of a {@code .npy} file (NumPy's format, NEP 1): what {@link Npy} reads before the data
 * and writes in front of it.
 *
 * <pre>
 *   "\x93NUMPY"  major minor  header_len (uint16 LE in 1.0, uint32 LE in 2.0 and 3.0)
 *   {'descr': '&lt;f4', 'fortran_order': False, 'shape': (2, 3), }   padded with spaces and '\n'
 * </pre>
 *
 * <p>The written header is byte-for-byte the one of {@code np.save}: keys sorted, 21 − digits spare
 * spaces after the dictionary so that the first dimension can grow in place, total length a
 * multiple of 64. {@link NpyWriter} relies on that spare room to patch the row count at the end.
 *
 * @param type the element type
 * @param byteOrder the byte order of the data that follows
 * @param shape the shape (C order)
 */
record NpyHeader(NumpyType type, ByteOrder byteOrder, Shape shape) {

    /** The six magic bytes every {@code .npy} starts with. */
    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    private static final int ALIGN = 64;
    private static final int GROWTH_DIGITS = 21;
    private static final int MAX_HEADER_LENGTH = 1 << 20;

    /** @return the number of data bytes that follow the header */
    long dataLength() {
        return NumpyArray.byteCount(type, shape);
    }

    /**
     * Reads and validates a header.
     *
     * @param in the stream, positioned at the magic string
     * @param file the file, for error messages
     * @param where what is being read inside the file ({@code ""}, or {@code "entry 'x.npy': "})
     * @return the header; the stream is positioned at the first data byte
     * @throws DatasetFormatException for a bad magic, an unknown version, a malformed or unsupported
     *     header (Fortran order, object, structured or unsupported dtypes)
     * @throws IOException when reading fails
     */
    static NpyHeader read(InputStream in, Path file, String where) throws IOException {
        byte[] prefix = in.readNBytes(8);
        for (int i = 0; i < MAGIC.length; i++) {
            if (i >= prefix.length || prefix[i] != MAGIC[i]) {
                throw new DatasetFormatException(
                        file,
                        where
                                + "not a .npy array: starts with "
                                + hex(prefix, Math.min(prefix.length, 6))
                                + ", expected the magic string \\x93NUMPY"
                                + (prefix.length > 1 && prefix[0] == 'P' && prefix[1] == 'K'
                                        ? " (this is a zip archive: a .npz?)"
                                        : ""));
            }
        }
        if (prefix.length < 8) {
            throw new DatasetFormatException(file, where + "truncated in the format version");
        }
        int major = prefix[6] & 0xFF;
        int minor = prefix[7] & 0xFF;
        if (major < 1 || major > 3 || minor != 0) {
            throw new DatasetFormatException(
                    file,
                    where + "unsupported .npy format version " + major + "." + minor
                            + " (1.0, 2.0 and 3.0 are known)");
        }
        int lengthBytes = major == 1 ? 2 : 4;
        byte[] len = in.readNBytes(lengthBytes);
        if (len.length < lengthBytes) {
            throw new DatasetFormatException(file, where + "truncated in the header length");
        }
        long headerLength = (len[0] & 0xFF) | (len[1] & 0xFF) << 8;
        if (lengthBytes == 4) {
            headerLength |= (long) (len[2] & 0xFF) << 16 | (long) (len[3] & 0xFF) << 24;
        }
        if (headerLength > MAX_HEADER_LENGTH) {
            throw new DatasetFormatException(
                    file, where + "implausible header length " + headerLength + " bytes");
        }
        byte[] header = in.readNBytes((int) headerLength);
        if (header.length < headerLength) {
            throw new DatasetFormatException(
                    file,
                    where + "truncated header: " + header.length + " of " + headerLength + " bytes");
        }
        Charset charset = major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1;
        return parse(new String(header, charset), file, where);
    }

    /**
     * The bytes {@code np.save} writes before the data of an array of this type and shape
     * (little-endian, C order): version 1.0, or 2.0 when the header exceeds 65 535 bytes.
     *
     * @return the header bytes, a multiple of 64 long
     */
    byte[] encode() {
        StringBuilder dict = new StringBuilder()
                .append("{'descr': '")
                .append(type.littleEndianDescr())
                .append("', 'fortran_order': False, 'shape': ")
                .append(pythonTuple(shape.getShape()))
                .append(", }");
        if (shape.dimension() > 0) {
            dict.append(" ".repeat(Math.max(0, GROWTH_DIGITS - Long.toString(shape.get(0)).length())));
        }
        byte[] text = dict.toString().getBytes(StandardCharsets.ISO_8859_1);
        int major = 1;
        int prefix = MAGIC.length + 2 + 2;
        int length = text.length + 1;
        int pad = ALIGN - (prefix + length) % ALIGN;
        if (length + pad > 0xFFFF) {
            major = 2;
            prefix = MAGIC.length + 2 + 4;
            pad = ALIGN - (prefix + length) % ALIGN;
        }
        int headerLength = length + pad;
        byte[] out = new byte[prefix + headerLength];
        System.arraycopy(MAGIC, 0, out, 0, MAGIC.length);
        out[6] = (byte) major;
        out[7] = 0;
        out[8] = (byte) headerLength;
        out[9] = (byte) (headerLength >>> 8);
        if (major == 2) {
            out[10] = (byte) (headerLength >>> 16);
            out[11] = (byte) (headerLength >>> 24);
        }
        System.arraycopy(text, 0, out, prefix, text.length);
        java.util.Arrays.fill(out, prefix + text.length, out.length - 1, (byte) ' ');
        out[out.length - 1] = '\n';
        return out;
    }

    private static String pythonTuple(long[] dims) {
        if (dims.length == 1) {
            return "(" + dims[0] + ",)";
        }
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < dims.length; i++) {
            s.append(i == 0 ? "" : ", ").append(dims[i]);
        }
        return s.append(')').toString();
    }

    private static NpyHeader parse(String text, Path file, String where)
            throws DatasetFormatException {
        Map<String, Object> dict;
        try {
            dict = new LiteralParser(text).dictionary();
        } catch (IllegalArgumentException e) {
            throw new DatasetFormatException(
                    file, where + "malformed header " + quote(text) + ": " + e.getMessage());
        }
        for (String key : List.of("descr", "fortran_order", "shape")) {
            if (!dict.containsKey(key)) {
                throw new DatasetFormatException(
                        file, where + "malformed header " + quote(text) + ": no '" + key + "'");
            }
        }
        Object descr = dict.get("descr");
        if (descr instanceof ListLiteral list) {
            throw new DatasetFormatException(
                    file,
                    where + "structured dtype " + quote(list.text())
                            + " is not supported; save each field as its own array");
        }
        if (!(descr instanceof String d)) {
            throw new DatasetFormatException(
                    file, where + "malformed header " + quote(text) + ": descr is not a string");
        }
        if (!(dict.get("fortran_order") instanceof Boolean fortran)) {
            throw new DatasetFormatException(
                    file, where + "malformed header " + quote(text) + ": fortran_order is not a bool");
        }
        if (!(dict.get("shape") instanceof long[] dims)) {
            throw new DatasetFormatException(
                    file, where + "malformed header " + quote(text) + ": shape is not a tuple of ints");
        }
        NumpyType type = parseDescr(d, file, where);
        ByteOrder order = d.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        if (fortran && dims.length > 1) {
            throw new DatasetFormatException(
                    file,
                    where + "Fortran-order (column-major) arrays are not supported; save "
                            + "np.ascontiguousarray(a) instead");
        }
        Shape shape = new Shape(dims);
        try {
            NumpyArray.byteCount(type, shape);
        } catch (IllegalArgumentException e) {
            throw new DatasetFormatException(file, where + e.getMessage());
        }
        return new NpyHeader(type, order, shape);
    }

    private static NumpyType parseDescr(String descr, Path file, String where)
            throws DatasetFormatException {
        if (descr.isEmpty()) {
            throw new DatasetFormatException(file, where + "empty dtype descr");
        }
        char order = descr.charAt(0);
        String code = "<>|=".indexOf(order) >= 0 ? descr.substring(1) : descr;
        if (code.startsWith("O")) {
            throw new DatasetFormatException(
                    file,
                    where + "'" + descr + "' is an object array (pickled Python objects), which "
                            + "cannot be read outside Python");
        }
        NumpyType type = NumpyType.ofCode(code);
        if (type == null) {
            throw new DatasetFormatException(
                    file,
                    where + "unsupported dtype '" + descr + "'" + describe(code) + "; supported: "
                            + NumpyType.supported());
        }
        return type;
    }

    private static String describe(String code) {
        String name = switch (code.replaceAll("\\d+$", "")) {
            case "f" -> code.equals("f2") ? "float16" : "float" + bits(code);
            case "u" -> "uint" + bits(code);
            case "i" -> "int" + bits(code);
            case "c" -> "complex" + bits(code);
            case "U" -> "a unicode string";
            case "S", "a" -> "a byte string";
            case "V" -> "raw or structured data";
            case "M" -> "a datetime";
            case "m" -> "a timedelta";
            default -> "";
        };
        return name.isEmpty() ? "" : " (" + name + ")";
    }

    private static String bits(String code) {
        try {
            return Integer.toString(8 * Integer.parseInt(code.substring(1)));
        } catch (NumberFormatException e) {
            return "";
        }
    }

    private static String quote(String text) {
        String t = text.strip();
        return "\"" + (t.length() > 200 ? t.substring(0, 200) + "..." : t) + "\"";
    }

    private static String hex(byte[] b, int n) {
        StringBuilder s = new StringBuilder("0x");
        for (int i = 0; i < n; i++) {
            s.append(String.format(Locale.ROOT, "%02x", b[i] & 0xFF));
        }
        return n == 0 ? "nothing (empty)" : s.toString();
    }

    /** A Python list in a header, kept as text (the descr of a structured dtype). */
    private record ListLiteral(String text) {}

    /**
     * Parses the Python literal of a header: a dictionary of string keys whose values are strings,
     * {@code True}/{@code False}, tuples of ints (Python 2's {@code 3L} accepted) or lists (kept as
     * text, for the error message of structured dtypes).
     */
    private static final class LiteralParser {
        private final String s;
        private int i;

        LiteralParser(String s) {
            this.s = s;
        }

        Map<String, Object> dictionary() {
            Map<String, Object> out = new HashMap<>();
            skipSpace();
            expect('{');
            while (true) {
                skipSpace();
                if (peek() == '}') {
                    i++;
                    break;
                }
                String key = string();
                skipSpace();
                expect(':');
                skipSpace();
                out.put(key, value());
                skipSpace();
                if (peek() == ',') {
                    i++;
                } else if (peek() != '}') {
                    throw new IllegalArgumentException("expected ',' or '}' at offset " + i);
                }
            }
            skipSpace();
            if (i != s.length()) {
                throw new IllegalArgumentException("unexpected text after the dictionary");
            }
            return out;
        }

        private Object value() {
            char c = peek();
            if (c == '\'' || c == '"') {
                return string();
            }
            if (c == '(') {
                return tuple();
            }
            if (c == '[') {
                int start = i;
                int depth = 0;
                do {
                    char x = peek();
                    depth += x == '[' ? 1 : x == ']' ? -1 : 0;
                    i++;
                } while (depth > 0);
                return new ListLiteral(s.substring(start, i));
            }
            if (s.startsWith("True", i)) {
                i += 4;
                return Boolean.TRUE;
            }
            if (s.startsWith("False", i)) {
                i += 5;
                return Boolean.FALSE;
            }
            throw new IllegalArgumentException("unexpected value at offset " + i);
        }

        private long[] tuple() {
            expect('(');
            List<Long> dims = new ArrayList<>();
            while (true) {
                skipSpace();
                if (peek() == ')') {
                    i++;
                    break;
                }
                int start = i;
                while (Character.isDigit(peek())) {
                    i++;
                }
                if (start == i) {
                    throw new IllegalArgumentException("expected a non-negative int at offset " + i);
                }
                try {
                    dims.add(Long.parseLong(s.substring(start, i)));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("dimension too large at offset " + start);
                }
                if (peek() == 'L') {
                    i++;
                }
                skipSpace();
                if (peek() == ',') {
                    i++;
                } else if (peek() != ')') {
                    throw new IllegalArgumentException("expected ',' or ')' at offset " + i);
                }
            }
            return dims.stream().mapToLong(Long::longValue).toArray();
        }

        private String string() {
            char quote = peek();
            if (quote != '\'' && quote != '"') {
                throw new IllegalArgumentException("expected a quoted string at offset " + i);
            }
            int end = s.indexOf(quote, i + 1);
            if (end < 0) {
                throw new IllegalArgumentException("unterminated string at offset " + i);
            }
            String out = s.substring(i + 1, end);
            i = end + 1;
            return out;
        }

        private void expect(char c) {
            if (peek() != c) {
                throw new IllegalArgumentException("expected '" + c + "' at offset " + i);
            }
            i++;
        }

        private char peek() {
            if (i >= s.length()) {
                throw new IllegalArgumentException("unexpected end of the header");
            }
            return s.charAt(i);
        }

        private void skipSpace() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }
    }
}
