package io.gen4j.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.ndarray.NDManager;
import io.gen4j.core.model.SaveableModel;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a JVM (SIGKILL) while it saves a 7 MB model over an older one, twice, and shows
 * that what is left either loads as exactly one of the two saved models (spec and every parameter
 * byte) or is refused with a {@link CorruptFileException} naming the file: never a mixture, never
 * a truncated file loaded.
 */
class ModelSaveKillTest {

    @TempDir
    Path dir;

    private static boolean hasTemp(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(p -> p.getFileName().toString().endsWith(AtomicFiles.TEMP_SUFFIX));
        }
    }

    private static byte[] parameters(SaveableModel m) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            m.network().saveParameters(out);
        }
        return bytes.toByteArray();
    }

    @Test
    void aSaveKilledAtAnyMomentLeavesAWholeModelOrANamedError() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        int loaded = 0;
        int refused = 0;
        for (int round = 0; round < 2; round++) {
            Path model = dir.resolve("model" + round);
            Process child = new ProcessBuilder(java.toString(), "-Xmx512m", "-Dai.djl.offline=true",
                    "-Dai.djl.pytorch.num_threads=1", "-cp", System.getProperty("java.class.path"),
                    ModelWriterProcess.class.getName(), model.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("child" + round + ".log").toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            boolean caughtMidWrite = false;
            while (System.nanoTime() < deadline && child.isAlive()) {
                // after a first complete save, with a save under way
                if (ModelStore.isModel(model) && hasTemp(model)) {
                    caughtMidWrite = true;
                    Thread.sleep(round * 11L); // a little later into the write in the second round
                    break;
                }
                Thread.sleep(1);
            }
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            assertTrue(caughtMidWrite, "the child never saved; log: " + Files.readString(dir.resolve("child" + round + ".log")));

            try (NDManager m = NDManager.newBaseManager()) {
                SaveableModel back;
                try {
                    back = ModelStore.load(model, m);
                } catch (CorruptFileException e) {
                    assertTrue(e.getMessage().contains(model.toString()), e.getMessage());
                    refused++;
                    continue;
                }
                loaded++;
                byte[] got = parameters(back);
                String which = ((TinyMlpFamily.Spec) back.spec()).scale() == 1 ? "-a" : "-b";
                Path reference = Path.of(model + which);
                assertEquals(ModelStore.readSpec(reference), back.spec());
                assertArrayEquals(Files.readAllBytes(reference.resolve(ModelStore.PARAMETERS_FILE)), got,
                        "the loaded parameters are not those saved with its spec");
            } catch (IOException e) {
                fail("not a CorruptFileException: " + e, e);
            }
        }
        assertEquals(2, loaded + refused);
    }
}
