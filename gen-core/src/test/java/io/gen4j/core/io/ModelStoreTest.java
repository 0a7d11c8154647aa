package io.gen4j.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gen4j.core.model.DataSpec;
import io.gen4j.core.model.GenerativeModel;
import io.gen4j.core.model.LatentCodec;
import io.gen4j.core.model.SampleOptions;
import io.gen4j.core.model.SaveableModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelStoreTest {

    @TempDir
    Path dir;

    private static float[] samples(GenerativeModel m, NDManager manager) {
        Engine.getInstance().setRandomSeed(9);
        return m.sample(manager, 5, SampleOptions.defaults().withTemperature(0.5)).toFloatArray();
    }

    @Test
    void theSameModelComesBack() throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            TinyMlpFamily.Spec spec = new TinyMlpFamily.Spec(7, 2.5, DataSpec.vector(4));
            Engine.getInstance().setRandomSeed(1);
            GenerativeModel saved = (GenerativeModel) new TinyMlpFamily().create(spec, manager);
            float[] expected = samples(saved, manager);
            ModelStore.save(saved, dir);

            assertEquals(spec, ModelStore.readSpec(dir));
            Engine.getInstance().setRandomSeed(2); // other random initial weights, replaced by the load
            GenerativeModel loaded = ModelStore.load(dir, manager, GenerativeModel.class);
            assertEquals(spec, loaded.spec());
            assertArrayEquals(expected, samples(loaded, manager));
            // the permissions of any file made here (rw-r--r-- under the usual umask 022), not a temp file's rw-------
            Path plain = Files.createFile(dir.resolve("plain"));
            assertEquals(PosixFilePermissions.toString(Files.getPosixFilePermissions(plain)), PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(dir.resolve(ModelStore.PARAMETERS_FILE))));
            assertEquals(Files.getPosixFilePermissions(plain),
                    Files.getPosixFilePermissions(dir.resolve(ModelStore.SPEC_FILE)));
            assertTrue(ModelStore.families().containsKey("test-mlp"));
        }
    }

    @Test
    void damagedOrMismatchedFilesAreRefusedWithTheirName() throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            SaveableModel m = new TinyMlpFamily().create(
                    new TinyMlpFamily.Spec(3, 1, DataSpec.vector(2)), manager);
            ModelStore.save(m, dir);
            Path params = dir.resolve(ModelStore.PARAMETERS_FILE);
            byte[] bytes = Files.readAllBytes(params);
            bytes[bytes.length - 3] ^= 0x10; // one flipped bit in a weight
            Files.write(params, bytes);
            IOException e = assertThrows(IOException.class, () -> ModelStore.load(dir, manager));
            assertTrue(e instanceof CorruptFileException, e.toString());
            assertTrue(e.getMessage().contains(params.toString()) && e.getMessage().contains("damaged")
                    && e.getMessage().contains("SHA-256"), e.getMessage());
            Files.write(params, java.util.Arrays.copyOf(bytes, bytes.length / 2)); // a copy that stopped halfway
            e = assertThrows(CorruptFileException.class, () -> ModelStore.load(dir, manager));
            assertTrue(e.getMessage().contains(params.toString()) && e.getMessage().contains("truncated: "
                    + bytes.length / 2 + " bytes, but model.json says " + bytes.length), e.getMessage());

            ModelStore.save(m, dir);
            ObjectMapper json = new ObjectMapper();
            ObjectNode root = (ObjectNode) json.readTree(dir.resolve(ModelStore.SPEC_FILE).toFile());
            ((ObjectNode) root.get("spec")).put("hidden", 4); // a spec the parameters do not fit
            root.put("family", "test-mlp");
            Files.writeString(dir.resolve(ModelStore.SPEC_FILE), json.writeValueAsString(root));
            e = assertThrows(IOException.class, () -> ModelStore.load(dir, manager));
            assertTrue(e.getMessage().contains("does not fit") && e.getMessage().contains("(3, 3)"), e.getMessage());

            root.put("family", "no-such-family");
            Files.writeString(dir.resolve(ModelStore.SPEC_FILE), json.writeValueAsString(root));
            // a user's input this gen4j cannot read (exit code 2 in the CLI), naming the file
            e = assertThrows(CorruptFileException.class, () -> ModelStore.load(dir, manager));
            assertTrue(e.getMessage().startsWith(dir.resolve(ModelStore.SPEC_FILE) + ": ")
                    && e.getMessage().contains("no-such-family") && e.getMessage().contains("test-mlp"),
                    e.getMessage());

            root.put("version", 99);
            Files.writeString(dir.resolve(ModelStore.SPEC_FILE), json.writeValueAsString(root));
            e = assertThrows(IOException.class, () -> ModelStore.readSpec(dir));
            assertTrue(e.getMessage().contains("version 99"), e.getMessage());

            Files.writeString(dir.resolve(ModelStore.SPEC_FILE), "{\"format\": ");
            e = assertThrows(IOException.class, () -> ModelStore.readSpec(dir));
            assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());

            e = assertThrows(IOException.class, () -> ModelStore.load(dir.resolve("nothing"), manager));
            assertTrue(e.getMessage().contains("no saved model"), e.getMessage());
        }
    }

    @Test
    void aModelOfTheWrongKindIsNamed() throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            ModelStore.save(new TinyMlpFamily().create(new TinyMlpFamily.Spec(3, 1, DataSpec.vector(2)), manager), dir);
            IOException e = assertThrows(IOException.class, () -> ModelStore.load(dir, manager, LatentCodec.class));
            assertTrue(e.getMessage().contains("not a LatentCodec"), e.getMessage());
        }
    }

    @Test
    void theTestKitsRoundTripCheckPassesForAFamily() {
        try (NDManager manager = NDManager.newBaseManager()) {
            GenerativeModel m = (GenerativeModel) new TinyMlpFamily().create(
                    new TinyMlpFamily.Spec(5, 0.5, DataSpec.vector(3)), manager);
            io.gen4j.core.testing.ModelChecks.assertSaveLoadRoundTrip(m, dir,
                    (model, scope) -> ((GenerativeModel) model).sample(scope, 4, SampleOptions.defaults()));
        }
    }
}
