package io.gen4j.core.io;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gen4j.core.model.ModelFamily;
import io.gen4j.core.model.ModelSpec;
import io.gen4j.core.model.SaveableModel;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saves and loads any gen4j model, one format for every family: a folder with
 *
 * <pre>
 * model.json        {"format": "gen4j-model", "version": 1, "family": "ddpm",
 *                    "spec": { ...the family's ModelSpec... },
 *                    "parameters": {"file": "parameters.bin", "bytes": 10939780, "sha256": "…"},
 *                    "gen4j": "0.1.0"}
 * parameters.bin    the network's parameters (DJL's Block.saveParameters: bit-exact round trip)
 * </pre>
 *
 * <p>{@link #load} reads the family name, finds its {@link ModelFamily} through {@link
 * ServiceLoader}, reads the spec into the family's record, builds a fresh model from it and loads
 * the parameters into it, after checking their size and SHA-256 against {@code model.json}: the
 * same model comes back, or a one-line error names the file and what is wrong. Both files are
 * written atomically (temporary file, fsync, rename), the parameters first; a save interrupted
 * between the two leaves a {@code model.json} whose checksum does not match, which {@code load}
 * reports instead of loading the wrong weights. The format is described in docs/model-format.md.
 */
public final class ModelStore {

    /** The {@code format} field of every model.json. */
    public static final String FORMAT = "gen4j-model";
    /** The version this code writes and reads. */
    public static final int VERSION = 1;
    /** The name of the description file. */
    public static final String SPEC_FILE = "model.json";
    /** The name of the parameter file. */
    public static final String PARAMETERS_FILE = "parameters.bin";

    private static final Logger LOG = LoggerFactory.getLogger(ModelStore.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ModelStore() {}

    /**
     * Saves a model's spec and current parameters (swap an EMA in first to save the averaged
     * weights).
     *
     * @param model the model
     * @param dir the folder (created when missing); existing model files in it are replaced
     * @return the folder
     * @throws IOException when writing fails
     */
    public static Path save(SaveableModel model, Path dir) throws IOException {
        ModelSpec spec = model.spec();
        if (family(spec.family()) == null) {
            LOG.warn("no ModelFamily named '{}' is registered: this model can be saved but not loaded "
                    + "until one is (META-INF/services/{})", spec.family(), ModelFamily.class.getName());
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            model.network().saveParameters(out);
        }
        byte[] parameters = bytes.toByteArray();
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        root.put("family", spec.family());
        root.set("spec", JSON.valueToTree(spec));
        ObjectNode p = root.putObject("parameters");
        p.put("file", PARAMETERS_FILE);
        p.put("bytes", parameters.length);
        p.put("sha256", sha256(parameters));
        String version = ModelStore.class.getPackage().getImplementationVersion();
        root.put("gen4j", version == null ? "development" : version);
        byte[] json = (JSON.writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8);
        Files.createDirectories(dir);
        AtomicFiles.write(dir.resolve(PARAMETERS_FILE), out -> out.write(parameters));
        AtomicFiles.write(dir.resolve(SPEC_FILE), out -> out.write(json));
        LOG.info("model '{}' saved to {} ({} bytes of parameters)", spec.family(), dir, parameters.length);
        return dir;
    }

    /**
     * Reads only the spec of a saved model (no parameters, no engine work).
     *
     * @param dir the model folder
     * @return the spec, as the family's record
     * @throws IOException when the folder holds no model.json; {@link CorruptFileException} when it
     *     is not a valid one or names a family that is not on the class path
     */
    public static ModelSpec readSpec(Path dir) throws IOException {
        return spec(dir, readDescription(dir));
    }

    /**
     * Loads a saved model.
     *
     * @param dir the model folder
     * @param manager the manager that will own the parameters
     * @return the model, with trainable parameters ready for gradients
     * @throws IOException when a file is missing, damaged or does not fit the spec, or the family is
     *     not on the class path
     */
    public static SaveableModel load(Path dir, NDManager manager) throws IOException {
        JsonNode root = readDescription(dir);
        ModelSpec spec = spec(dir, root);
        Path file = dir.resolve(PARAMETERS_FILE);
        if (!Files.isRegularFile(file)) {
            throw new CorruptFileException(file, "missing; " + dir.resolve(SPEC_FILE)
                    + " describes parameters that are not there (an interrupted copy?)");
        }
        byte[] parameters = Files.readAllBytes(file);
        JsonNode p = root.path("parameters");
        long expectedBytes = p.path("bytes").asLong(-1);
        String expectedHash = p.path("sha256").asText("");
        if (parameters.length != expectedBytes) {
            throw new CorruptFileException(file, (parameters.length < expectedBytes ? "truncated: " : "damaged: ")
                    + parameters.length + " bytes, but " + SPEC_FILE + " says " + expectedBytes
                    + "; save the model again");
        }
        if (!sha256(parameters).equals(expectedHash)) {
            throw new CorruptFileException(file, "damaged: its SHA-256 is not the " + expectedHash + " that "
                    + SPEC_FILE + " records (a changed bit, or a file from another save); save the model again");
        }
        @SuppressWarnings("unchecked")
        ModelFamily<ModelSpec> family = (ModelFamily<ModelSpec>) family(spec.family());
        SaveableModel model = family.create(spec, manager);
        try {
            BlockParameters.load(model.network(), parameters,
                    "model " + dir + " (the '" + spec.family() + "' network its spec describes)");
        } catch (IOException e) {
            throw new CorruptFileException(file, e.getMessage(), e);
        }
        LOG.info("model '{}' loaded from {}", spec.family(), dir);
        return model;
    }

    /**
     * Loads a saved model of a known kind.
     *
     * @param dir the model folder
     * @param manager the manager that will own the parameters
     * @param type what the model must be, e.g. {@code GenerativeModel.class} or a family's class
     * @param <T> that type
     * @return the model
     * @throws IOException when loading fails; {@link CorruptFileException} when the model is not of
     *     that type
     */
    public static <T> T load(Path dir, NDManager manager, Class<T> type) throws IOException {
        SaveableModel model = load(dir, manager);
        if (!type.isInstance(model)) {
            throw new CorruptFileException(dir.resolve(SPEC_FILE), "a '" + model.spec().family() + "' model ("
                    + model.getClass().getSimpleName() + "), not a " + type.getSimpleName());
        }
        return type.cast(model);
    }

    /**
     * @param dir a folder
     * @return whether it holds a model.json
     */
    public static boolean isModel(Path dir) {
        return Files.isRegularFile(dir.resolve(SPEC_FILE));
    }

    /** @return the registered families by name */
    public static Map<String, ModelFamily<?>> families() {
        Map<String, ModelFamily<?>> out = new TreeMap<>();
        for (ModelFamily<?> f : ServiceLoader.load(ModelFamily.class)) {
            ModelFamily<?> old = out.put(f.name(), f);
            if (old != null && old.getClass() != f.getClass()) {
                throw new IllegalStateException("two model families are named '" + f.name() + "': "
                        + old.getClass().getName() + " and " + f.getClass().getName());
            }
        }
        return out;
    }

    private static ModelFamily<?> family(String name) {
        return families().get(name);
    }

    private static JsonNode readDescription(Path dir) throws IOException {
        Path file = dir.resolve(SPEC_FILE);
        if (!Files.isRegularFile(file)) {
            throw new java.nio.file.NoSuchFileException(file.toString(), null, "no saved model here (" + dir
                    + " has no " + SPEC_FILE + ")");
        }
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new CorruptFileException(file, "not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !FORMAT.equals(root.path("format").asText())) {
            throw new CorruptFileException(file, "not a gen4j model description (format is not '" + FORMAT + "')");
        }
        int version = root.path("version").asInt(-1);
        if (version != VERSION) {
            throw new CorruptFileException(file, "format version " + version + "; this gen4j reads version " + VERSION);
        }
        return root;
    }

    private static ModelSpec spec(Path dir, JsonNode root) throws IOException {
        String name = root.path("family").asText("");
        ModelFamily<?> family = family(name);
        if (family == null) {
            // the file names a model this program cannot build: a wrong input, reported like a damaged one
            throw new CorruptFileException(dir.resolve(SPEC_FILE), "a model of family '" + name + "', which is not on"
                    + " the class path (known: " + families().keySet() + "); add the module that provides it");
        }
        try {
            return JSON.treeToValue(root.path("spec"), family.specType());
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new CorruptFileException(dir.resolve(SPEC_FILE), "the '" + name + "' spec is not valid: "
                    + e.getMessage(), e);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
