package io.gen4j.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gen4j.core.data.Cifar10Reader;
import io.gen4j.core.data.ColorMode;
import io.gen4j.core.data.DatasetFormatException;
import io.gen4j.core.data.IdxReader;
import io.gen4j.core.data.ImageFolderReader;
import io.gen4j.core.model.DataSpec;
import io.gen4j.core.testing.ReaderFuzz;
import io.gen4j.core.train.TrainingState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random bytes, and valid files cut short or with a changed byte, fed to every reader of the
 * project: IDX, CIFAR-10 binary, an image folder, {@code .npy}, {@code .npz}, a checkpoint and a
 * saved model. Each must either throw a clear, file-naming {@link IOException} ({@link
 * DatasetFormatException}, {@link CorruptCheckpointException}, {@link CorruptFileException}) or,
 * for a valid file, give back exactly what was written; never another exception, a JVM crash, or
 * a different result.
 */
class RandomBytesReaderProperties {

    private static Path dir;
    private static NDManager manager;
    private static TrainingState state;
    private static byte[] checkpoint;
    private static byte[] parameters;
    private static String modelJson;
    private static byte[] idxImages;
    private static byte[] npy;
    private static byte[] npz;

    @BeforeContainer
    static void setUp() throws Exception {
        dir = Files.createTempDirectory("gen4j-fuzz");
        manager = NDManager.newBaseManager();
        Engine.getInstance().setRandomSeed(3);
        var model = new TinyMlpFamily().create(new TinyMlpFamily.Spec(6, 1, DataSpec.vector(2)), manager);
        state = TrainingState.builder().block("net", model.network()).build();
        Path ck = dir.resolve("valid.ckpt");
        Checkpoint.write(ck, state, new CheckpointInfo(7, 0, 1, "{}"));
        checkpoint = Files.readAllBytes(ck);
        Path m = dir.resolve("valid-model");
        ModelStore.save(model, m);
        parameters = Files.readAllBytes(m.resolve(ModelStore.PARAMETERS_FILE));
        modelJson = Files.readString(m.resolve(ModelStore.SPEC_FILE));
        byte[] px = new byte[5 * 4 * 3];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i * 7);
        }
        java.nio.ByteBuffer idx = java.nio.ByteBuffer.allocate(16 + px.length); // big-endian, as IDX is
        idx.putInt(IdxReader.IMAGES_MAGIC).putInt(5).putInt(4).putInt(3).put(px);
        idxImages = idx.array();
        Path np = dir.resolve("valid.npy");
        Npy.write(np, NumpyArray.of(new float[] {1, 2, 3, 4, 5, 6}, new Shape(2, 3)));
        npy = Files.readAllBytes(np);
        Path nz = dir.resolve("valid.npz");
        Npz.write(nz, java.util.Map.of("x", NumpyArray.of(new float[] {1, 2, 3, 4, 5, 6}, new Shape(2, 3))));
        npz = Files.readAllBytes(nz);
    }

    @AfterContainer
    static void tearDown() throws IOException {
        manager.close();
        ReaderFuzz.deleteTree(dir);
    }

    @Provide
    Arbitrary<byte[]> junk() {
        return ReaderFuzz.bytes(3000);
    }

    private static boolean clear(ReaderFuzz.Read read, Path file) {
        return ReaderFuzz.readOrClearError(read, file);
    }

    private static Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    @Property(tries = 60, seed = "15")
    void randomBytesAreRefusedByEveryReader(@ForAll("junk") byte[] bytes) throws Exception {
        Path f = write("junk-images-idx3-ubyte", bytes);
        clear(() -> IdxReader.readImages(f), f);
        Path l = write("junk-labels-idx1-ubyte", bytes);
        clear(() -> IdxReader.readLabels(l), l);
        Path gz = write("junk-idx3-ubyte.gz", bytes);
        clear(() -> IdxReader.readImages(gz), gz);
        Path c = write("junk_batch.bin", bytes);
        // shorter than one 3073-byte record: never a batch
        assertTrue(!clear(() -> Cifar10Reader.readBatches(List.of(c), "junk", Cifar10Reader.CLASS_NAMES), c));
        Path y = write("junk.npy", bytes);
        clear(() -> Npy.read(y), y);
        Path z = write("junk.npz", bytes);
        clear(() -> Npz.read(z), z);
        Path k = write("junk.ckpt", bytes);
        assertTrue(!clear(() -> Checkpoint.load(k, state), k), "random bytes loaded as a checkpoint");
        Path folder = Files.createDirectories(dir.resolve("folder/class-a"));
        Path png = write("folder/class-a/junk.png", bytes);
        clear(() -> ImageFolderReader.read(dir.resolve("folder"), ColorMode.GRAYSCALE), png);
        Path model = Files.createDirectories(dir.resolve("junk-model"));
        Files.write(model.resolve(ModelStore.SPEC_FILE), bytes);
        Files.write(model.resolve(ModelStore.PARAMETERS_FILE), parameters);
        assertTrue(!clear(() -> ModelStore.load(model, manager), model.resolve(ModelStore.SPEC_FILE)));
        Files.delete(png);
        assertTrue(Files.isDirectory(folder));
    }

    @Property(tries = 40, seed = "16")
    void randomParametersUnderAMatchingChecksumAreRefused(@ForAll("junk") byte[] bytes) throws Exception {
        // the checksum passes (it is computed here): the parameter reader itself must refuse the bytes
        Path model = Files.createDirectories(dir.resolve("checksummed-model"));
        ObjectNode root = (ObjectNode) new ObjectMapper().readTree(modelJson);
        ObjectNode p = (ObjectNode) root.get("parameters");
        p.put("bytes", bytes.length);
        p.put("sha256", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
        Files.writeString(model.resolve(ModelStore.SPEC_FILE), root.toString());
        Path params = Files.write(model.resolve(ModelStore.PARAMETERS_FILE), bytes);
        assertTrue(!clear(() -> ModelStore.load(model, manager), params), "random parameters loaded");
    }

    @Property(tries = 80, seed = "17")
    void aValidFileCutShortIsRefused(@ForAll @IntRange(min = 0, max = 100_000) int cutSeed) throws Exception {
        cut("cut.ckpt", checkpoint, cutSeed, f -> Checkpoint.load(f, state));
        cut("cut-idx3-ubyte", idxImages, cutSeed, IdxReader::readImages);
        cut("cut.npy", npy, cutSeed, Npy::read);
        cut("cut.npz", npz, cutSeed, Npz::read);
        Path model = Files.createDirectories(dir.resolve("cut-model"));
        Files.writeString(model.resolve(ModelStore.SPEC_FILE), modelJson);
        Path params = Files.write(model.resolve(ModelStore.PARAMETERS_FILE),
                Arrays.copyOf(parameters, cutSeed % parameters.length));
        assertTrue(!clear(() -> ModelStore.load(model, manager), params));
        // every prefix that lacks the closing brace (cutting only the trailing newline leaves a valid file)
        Files.writeString(model.resolve(ModelStore.SPEC_FILE),
                modelJson.substring(0, cutSeed % (modelJson.lastIndexOf('}') + 1)));
        Files.write(params, parameters);
        assertTrue(!clear(() -> ModelStore.load(model, manager), model.resolve(ModelStore.SPEC_FILE)));
    }

    @Property(tries = 80, seed = "18")
    void aChangedByteInACheckpointOrModelIsRefused(@ForAll @IntRange(min = 0, max = 100_000) int at,
            @ForAll @IntRange(min = 1, max = 255) int xor) throws Exception {
        byte[] ck = checkpoint.clone();
        ck[at % ck.length] ^= (byte) xor;
        Path f = write("changed.ckpt", ck);
        assertTrue(!clear(() -> Checkpoint.load(f, state), f), "a changed checkpoint loaded");
        Path model = Files.createDirectories(dir.resolve("changed-model"));
        Files.writeString(model.resolve(ModelStore.SPEC_FILE), modelJson);
        byte[] p = parameters.clone();
        p[at % p.length] ^= (byte) xor;
        Path params = Files.write(model.resolve(ModelStore.PARAMETERS_FILE), p);
        assertTrue(!clear(() -> ModelStore.load(model, manager), params), "a changed model loaded");
    }

    @FunctionalInterface
    interface FileRead {
        Object read(Path file) throws Exception;
    }

    /** A strict prefix must fail; the whole file must read back as written. */
    private static void cut(String name, byte[] valid, int seed, FileRead reader) throws Exception {
        int length = seed % valid.length;
        Path f = write(name, Arrays.copyOf(valid, length));
        assertTrue(!clear(() -> reader.read(f), f), name + " cut to " + length + " of " + valid.length + " bytes was read");
        Path whole = write("whole-" + name, valid);
        Object back = reader.read(whole);
        if (back instanceof NumpyArray a) {
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, a.toFloatArray());
        } else if (back instanceof IdxReader.IdxImages images) {
            assertEquals(5, images.count());
        }
    }
}
