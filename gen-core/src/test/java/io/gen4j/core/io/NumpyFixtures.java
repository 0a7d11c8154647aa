package io.gen4j.core.io;

import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * The files written by real NumPy with {@code src/test/python/make_numpy_fixtures.py}, and the
 * expected arrays its {@code manifest.json} records (floats as IEEE-754 bit patterns).
 */
final class NumpyFixtures {

    private static final JsonNode MANIFEST;

    static {
        try {
            MANIFEST = new ObjectMapper().readTree(file("manifest.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private NumpyFixtures() {}

    /** @return the fixture file of that name */
    static Path file(String name) {
        try {
            return Path.of(NumpyFixtures.class.getResource("numpy/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing fixture " + name, e);
        }
    }

    /** @return the names of the manifest's array fixtures ending in {@code suffix} */
    static List<String> arrayFixtures(String suffix) {
        List<String> out = new ArrayList<>();
        for (Iterator<String> it = MANIFEST.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (name.endsWith(suffix) && MANIFEST.get(name).has("dtype")) {
                out.add(name);
            }
        }
        return out;
    }

    /** @return the manifest entry of a file */
    static JsonNode entry(String name) {
        JsonNode node = MANIFEST.get(name);
        if (node == null) {
            throw new IllegalStateException("no manifest entry " + name);
        }
        return node;
    }

    /** @return the array NumPy saved under that manifest name, as this package represents it */
    static NumpyArray expected(String name) {
        JsonNode e = entry(name);
        NumpyType type = NumpyType.valueOf(e.get("dtype").asText().toUpperCase(Locale.ROOT));
        List<Long> dims = new ArrayList<>();
        e.get("shape").forEach(d -> dims.add(d.asLong()));
        JsonNode values = e.get("values");
        ByteBuffer b = ByteBuffer.allocate(values.size() * type.itemSize()).order(ByteOrder.LITTLE_ENDIAN);
        for (JsonNode v : values) {
            switch (type) {
                case BOOL -> b.put((byte) (v.asBoolean() ? 1 : 0));
                case INT8, UINT8 -> b.put((byte) v.asLong());
                case INT16 -> b.putShort((short) v.asLong());
                case INT32, FLOAT32 -> b.putInt((int) v.asLong());
                case INT64, FLOAT64 -> b.putLong(v.asLong());
            }
        }
        return new NumpyArray(type, new Shape(dims.stream().mapToLong(Long::longValue).toArray()), b.array());
    }

    /** @return the names of a .npz fixture's entries as NumPy listed them */
    static List<String> npzEntries(String name) {
        List<String> out = new ArrayList<>();
        entry(name).get("entries").forEach(n -> out.add(n.asText()));
        return out;
    }

    /** @return the zip compression methods NumPy used (0 stored, 8 deflated) */
    static List<Integer> npzCompression(String name) {
        List<Integer> out = new ArrayList<>();
        entry(name).get("compression").forEach(n -> out.add(n.asInt()));
        return out;
    }
}
