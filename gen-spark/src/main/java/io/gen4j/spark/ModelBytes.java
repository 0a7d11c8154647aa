package io.gen4j.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gen4j.core.io.ModelStore;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A saved model (docs/model-format.md) as bytes: what the driver broadcasts so that executors need no
 * shared file system to read it. {@link ExecutorRuntime#model} turns it back into a model, once per JVM.
 *
 * @param description the bytes of {@code model.json}
 * @param parameters the bytes of {@code parameters.bin}
 * @param sha256 the parameters' SHA-256 as {@code model.json} records it (the cache key on executors)
 */
public record ModelBytes(byte[] description, byte[] parameters, String sha256) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Validates. */
    public ModelBytes {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(parameters, "parameters");
        if (sha256 == null || sha256.isEmpty()) {
            throw new IllegalArgumentException("sha256 must be the parameters' checksum, got '" + sha256 + "'");
        }
    }

    /**
     * Reads a model folder.
     *
     * @param dir a folder with {@code model.json} and {@code parameters.bin}
     * @return its bytes
     * @throws IOException when a file is missing or {@code model.json} records no checksum
     */
    public static ModelBytes read(Path dir) throws IOException {
        byte[] json = Files.readAllBytes(dir.resolve(ModelStore.SPEC_FILE));
        byte[] parameters = Files.readAllBytes(dir.resolve(ModelStore.PARAMETERS_FILE));
        JsonNode root = new ObjectMapper().readTree(json);
        String sha = root.path("parameters").path("sha256").asText("");
        if (sha.isEmpty()) {
            throw new IOException(dir.resolve(ModelStore.SPEC_FILE) + " records no parameters.sha256; save the model again");
        }
        ModelStore.readSpec(dir); // a description this class path can read, checked on the driver
        return new ModelBytes(json, parameters, sha);
    }

    /**
     * Writes the two files into a folder (ModelStore checks them when it loads).
     *
     * @param dir the folder, which exists
     * @throws IOException when writing fails
     */
    public void writeTo(Path dir) throws IOException {
        Files.write(dir.resolve(ModelStore.PARAMETERS_FILE), parameters);
        Files.write(dir.resolve(ModelStore.SPEC_FILE), description);
    }
}
